"""Who may rate which team as its internal customer, decided in the lookup itself.

A person is an internal customer of a team when they are in a team it serves (and not in the
team itself). They rate it in a round that covers it; their own rating is theirs to read.
Anyone else gets 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assessments.models import Membership, Round, Team

from .models import Feedback, Service


def served_teams(user: AbstractBaseUser) -> QuerySet:
    """The teams that serve a team the user is in now, the user's own teams excluded."""
    own = Membership.objects.current().filter(person=user).values("team_id")
    return Team.objects.filter(
        pk__in=Service.objects.filter(customer__in=own).values("provider_id")
    ).exclude(pk__in=own)


@dataclass
class ToRate:
    round: Round
    team: Team
    asked: bool
    feedback: Feedback | None


def to_rate(user: AbstractBaseUser, today: datetime.date | None = None) -> list[ToRate]:
    """Every open round and serving team the user may rate: two queries."""
    today = today or timezone.localdate()
    teams = {t.pk: t for t in served_teams(user)}
    if not teams:
        return []
    rounds = (
        Round.objects.filter(
            teams__in=teams, opens_on__lte=today, closes_on__gte=today, closed_at__isnull=True
        )
        .values_list("pk", "teams")
        .order_by()
    )
    pairs = sorted({(r, t) for r, t in rounds if t in teams})
    if not pairs:
        return []
    round_objects = {r.pk: r for r in Round.objects.filter(pk__in={r for r, _ in pairs})}
    feedback = {
        (f.round_id, f.team_id): f
        for f in Feedback.objects.filter(assessor=user, round__in=round_objects)
    }
    return [
        ToRate(
            round=round_objects[r],
            team=teams[t],
            asked=round_objects[r].asks_internal_customers,
            feedback=feedback.get((r, t)),
        )
        for r, t in pairs
    ]


def feedback_place(user: AbstractBaseUser, round_pk: int, team_pk: int) -> tuple[Round, Team]:
    """The round and the team, if the user may rate that team in that round, or 404.

    A rating already given stays the user's to read when they are no longer a customer.
    """
    round_ = get_object_or_404(Round.objects.select_related("framework"), pk=round_pk)
    given = Feedback.objects.filter(round=round_, team_id=team_pk, assessor=user).exists()
    if not given and not (
        served_teams(user).filter(pk=team_pk).exists() and round_.teams.filter(pk=team_pk).exists()
    ):
        raise Http404("Not an internal customer of this team in this round.")
    return round_, get_object_or_404(Team, pk=team_pk)
