"""Who may see and change development actions, decided in the lookup itself.

Exactly as for the result they follow from (`assessments.access`): the person, the current
managers of the team the assessment was made in, and HR. Anyone else gets 404; HR reads but
does not change (403), since an action is agreed between a person and their manager.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.access import managed_team_ids, result_subject
from assessments.models import Assessment, Membership, Round

from .models import Action, Role


def manages_team(user: AbstractBaseUser, team: OuterRef) -> Exists:
    return Exists(
        Membership.objects.current().filter(
            person_id=user.pk, role=Membership.Role.MANAGER, team_id=team
        )
    )


def role_of(user: AbstractBaseUser, person_id: int, managed: bool) -> Role:
    # Someone who manages their own team still does not confirm their own actions.
    if user.pk == person_id:
        return Role.PERSON
    return Role.MANAGER if managed else Role.READER


def role_in_round(user: AbstractBaseUser, round_: Round, person_id: int) -> Role:
    """How the user stands to the person's actions in the round, for a page that has looked
    up the person's result with `result_subject` already (who may add an action)."""
    if user.pk == person_id:
        return Role.PERSON
    managed = (
        Membership.objects.current()
        .filter(person_id=user.pk, role=Membership.Role.MANAGER)
        .filter(
            team__in=Assessment.objects.filter(
                round=round_, subject_id=person_id, perspective=Assessment.Perspective.SELF
            ).values("team_id")
        )
        .exists()
    )
    return Role.MANAGER if managed else Role.READER


def visible_actions(user: AbstractBaseUser) -> Q:
    """The actions the user may read: their own, their teams' members', everyone's for HR."""
    if user.is_staff:
        return Q()
    return Q(person_id=user.pk) | Q(team__in=managed_team_ids(user))


@dataclass(frozen=True)
class Plan:
    """One person's actions in one development round, as one viewer stands to them."""

    round: Round
    person: AbstractBaseUser
    team_id: int
    submitted: bool  # the person's self-assessment: actions follow the result it gives
    role: Role

    @property
    def person_id(self) -> int:
        return self.person.pk


def plan_for(
    user: AbstractBaseUser, round_pk: int, person_pk: int, *, change: bool = False
) -> Plan:
    """The person's actions in the round if the user may read their result there, or 404;
    with `change`, 403 for a reader."""
    round_, person_pk = result_subject(user, round_pk, person_pk)
    if not round_.is_attributed:
        raise Http404("A pulse round has no development actions.")
    own = (
        Assessment.objects.filter(
            round=round_, subject_id=person_pk, perspective=Assessment.Perspective.SELF
        )
        .select_related("subject")
        .annotate(managed=manages_team(user, OuterRef("team_id")))
        .first()
    )
    if own is None:
        raise Http404("No self-assessment in this round.")
    plan = Plan(
        round=round_,
        person=own.subject,
        team_id=own.team_id,
        submitted=own.is_submitted,
        role=role_of(user, person_pk, own.managed),
    )
    if change and plan.role == Role.READER:
        raise PermissionDenied
    return plan


def action_for(user: AbstractBaseUser, pk: int, *, change: bool = False) -> Action:
    """The action if the user may read it, or 404; with `change`, 403 for a reader.
    `action.role` says how the user stands to it."""
    actions = (
        Action.objects.filter(visible_actions(user))
        .select_related("round__framework", "person")
        .annotate(managed=manages_team(user, OuterRef("team_id")))
    )
    action = get_object_or_404(actions, pk=pk)
    action.role = role_of(user, action.person_id, action.managed)
    if change and action.role == Role.READER:
        raise PermissionDenied
    return action
