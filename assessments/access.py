"""Who may see what, decided once per object type in the lookup itself.

A person who may not see a thing gets 404, never a hint that it exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Assessment, Membership, Round


def managed_team_ids(user: AbstractBaseUser) -> QuerySet:
    return (
        Membership.objects.current()
        .filter(person=user, role=Membership.Role.MANAGER)
        .values("team_id")
    )


def assessment_to_fill_in(user: AbstractBaseUser, pk: int, *, lock: bool = False) -> Assessment:
    """Only the assessor fills in an assessment: the person themselves, or their manager.

    With `lock` (in a transaction, to save into it), the same lookup takes the row lock that
    the services need, and reads just the assessment and its round.
    """
    if lock:
        assessments = Assessment.objects.select_for_update(of=("self",)).select_related("round")
    else:
        assessments = Assessment.objects.select_related("round__framework", "subject", "team")
    return get_object_or_404(assessments, pk=pk, assessor=user)


def visible_results(user: AbstractBaseUser, round_: Round) -> Q:
    """The assessed people whose results in this round the user may read.

    Their own, always. In a development round also those of members of teams they manage, and
    everyone's for HR. A pulse round is anonymous: results are shown to nobody but the person.
    """
    own = Q(subject=user)
    if not round_.is_attributed:
        return own
    if user.is_staff:
        return Q()
    return own | Q(team__in=managed_team_ids(user))


def result_subject(user: AbstractBaseUser, round_pk: int, person_pk: int) -> tuple[Round, int]:
    """The round and the person whose result the user asked for, or 404."""
    round_ = get_object_or_404(Round.objects.select_related("framework"), pk=round_pk)
    visible = Assessment.objects.filter(visible_results(user, round_), round=round_)
    if not visible.filter(subject_id=person_pk).exists():
        raise Http404("No such result.")
    return round_, person_pk


def round_for_hr(user: AbstractBaseUser, pk: int) -> Round:
    """A round as HR follows it (who has not submitted): HR only, 404 for everyone else."""
    rounds = Round.objects.all() if user.is_staff else Round.objects.none()
    return get_object_or_404(rounds, pk=pk)
