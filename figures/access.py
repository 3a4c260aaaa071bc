"""Who may open which dashboard, decided in the lookup itself: 404 for anyone else.

What they then see of the figures is decided by `confidentiality`.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from assessments.access import managed_team_ids
from assessments.models import Department, Membership, Team


def team_for_dashboard(user: AbstractBaseUser, pk: int) -> Team:
    """The team, if the user may open its dashboard: its members, managers in its department,
    and HR. `team.is_manager` says whether the user manages it."""
    teams = Team.objects.select_related("department").annotate(
        is_manager=Exists(
            Membership.objects.current().filter(
                team=OuterRef("pk"), person=user, role=Membership.Role.MANAGER
            )
        )
    )
    if not user.is_staff:
        teams = teams.filter(
            Q(pk__in=Membership.objects.current().filter(person=user).values("team_id"))
            | Q(
                department__in=Team.objects.filter(pk__in=managed_team_ids(user)).values(
                    "department"
                )
            )
        )
    return get_object_or_404(teams, pk=pk)


def departments_for_rollup(user: AbstractBaseUser) -> QuerySet | None:
    """The departments whose roll-up the user may read; None means the whole organisation."""
    if user.is_staff:
        return None
    return Department.objects.filter(
        pk__in=Team.objects.filter(pk__in=managed_team_ids(user)).values("department")
    )
