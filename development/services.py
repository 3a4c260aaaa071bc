"""Writes to development actions, each in one transaction, holding to the rules of
`Action.may_*` and the limit of three per person per round."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Assessment, Indicator, Level, Round
from assessments.results import person_result

from .access import Plan
from .models import MAX_ACTIONS, Action, Role


class ActionRefused(Exception):
    """A change the rules do not allow; `status` is the HTTP status that says so."""

    def __init__(self, message: str, *, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Basis:
    """What the actions of a person in a round are about: the level that holds them back
    in the perspective the person can see (the manager's once visible, else their own), and
    its behaviours, the development points first among them as suggestions."""

    perspective: str | None  # "manager", "self", or None before anything is submitted
    bottleneck: Level | None
    indicators: list[Indicator] = field(default_factory=list)
    suggested: list[int] = field(default_factory=list)


def action_basis(*, plan: Plan) -> Basis:
    # As the person sees their result: the manager's rating only once it is shown to them.
    result = person_result(round_=plan.round, subject=plan.person, viewer=plan.person)
    by_key = {p.key: p for p in result.perspectives}
    chosen = by_key.get("manager") or by_key.get("self")
    if chosen is None:
        return Basis(perspective=None, bottleneck=None)
    if chosen.profile.bottleneck is None:
        # Every level is met: nothing to suggest, but any behaviour can still be worked on.
        every = [i for row in result.levels for i in (line.indicator for line in row.indicators)]
        return Basis(perspective=chosen.key, bottleneck=None, indicators=every)
    row = result.levels[chosen.profile.bottleneck - 1]
    return Basis(
        perspective=chosen.key,
        bottleneck=row.level,
        indicators=[line.indicator for line in row.indicators],
        suggested=[i.pk for i in chosen.development_points],
    )


def adding_refusal(*, submitted: bool, count: int) -> str | None:
    """Why no action can be added to a person's round, if so."""
    if not submitted:
        return _(
            "Actions can be agreed once the self-assessment of this round has been submitted: "
            "they follow from its result."
        )
    if count >= MAX_ACTIONS:
        return ngettext(
            "There is already %(count)d action for this round: at most %(max)d are agreed, so "
            "that each gets attention. Change or remove one instead.",
            "There are already %(count)d actions for this round: at most %(max)d are agreed, "
            "so that each gets attention. Change or remove one instead.",
            count,
        ) % {"count": count, "max": MAX_ACTIONS}
    return None


def _now() -> datetime.datetime:
    return timezone.now()


@transaction.atomic
def action_propose(
    *,
    plan: Plan,
    by: AbstractBaseUser,
    indicators: Collection[Indicator],
    description: str,
    due_on: datetime.date,
) -> Action:
    """A new action: proposed by the person, or added (and so agreed) by their manager."""
    if plan.role == Role.READER:
        raise ActionRefused(_("Only the person and their manager agree actions."), status=403)
    # The self-assessment's row lock makes two proposals at once count each other.
    own = Assessment.objects.select_for_update().get(
        round=plan.round, subject_id=plan.person_id, perspective=Assessment.Perspective.SELF
    )
    count = Action.objects.filter(round=plan.round, person_id=plan.person_id).count()
    if refusal := adding_refusal(submitted=own.is_submitted, count=count):
        raise ActionRefused(refusal)
    by_manager = plan.role == Role.MANAGER
    action = Action.objects.create(
        round=plan.round,
        person_id=plan.person_id,
        team_id=plan.team_id,
        description=description,
        due_on=due_on,
        proposed_by=by,
        status=Action.Status.AGREED if by_manager else Action.Status.PROPOSED,
        agreed_by=by if by_manager else None,
        agreed_at=_now() if by_manager else None,
    )
    action.indicators.set(indicators)
    return action


def _lock(action: Action) -> Action:
    locked = Action.objects.select_for_update().get(pk=action.pk)
    locked.role = action.role
    return locked


@transaction.atomic
def action_update(
    *,
    action: Action,
    by: AbstractBaseUser,
    indicators: Collection[Indicator],
    description: str,
    due_on: datetime.date,
) -> Action:
    """A changed action. The manager's change is their agreement; the person's change of an
    agreed action asks for the manager's confirmation again."""
    action = _lock(action)
    if not action.may_edit(action.role):
        raise ActionRefused(_("This action has been followed up; it can no longer be changed."))
    changed = (
        action.description != description
        or action.due_on != due_on
        or set(action.indicators.values_list("pk", flat=True)) != {i.pk for i in indicators}
    )
    action.description = description
    action.due_on = due_on
    if action.role == Role.MANAGER and not action.is_agreed:
        action.status, action.agreed_by, action.agreed_at = Action.Status.AGREED, by, _now()
    elif action.role == Role.PERSON and action.is_agreed and changed:
        action.status, action.agreed_by, action.agreed_at = Action.Status.PROPOSED, None, None
    action.save()
    action.indicators.set(indicators)
    return action


@transaction.atomic
def action_confirm(*, action: Action, by: AbstractBaseUser) -> Action:
    """The manager agrees to a proposed action; confirming twice changes nothing."""
    action = _lock(action)
    if action.role != Role.MANAGER:
        raise ActionRefused(_("Only a manager of the team confirms an action."), status=403)
    if action.is_agreed:
        return action
    if not action.may_confirm(action.role):
        raise ActionRefused(_("This action has been followed up; it can no longer be changed."))
    action.status, action.agreed_by, action.agreed_at = Action.Status.AGREED, by, _now()
    action.save(update_fields=["status", "agreed_by", "agreed_at", "updated_at"])
    return action


@transaction.atomic
def action_delete(*, action: Action) -> None:
    """Removes the action; its history keeps what it was, and who removed it when."""
    action = _lock(action)
    if not action.may_delete(action.role):
        if action.is_followed_up:
            raise ActionRefused(_("This action has been followed up; it can no longer be changed."))
        raise ActionRefused(
            _("This action has been agreed: only your manager can remove it now."), status=403
        )
    action.delete()


def later_round_open(*, person_id: int, round_: Round, today: datetime.date) -> bool:
    """Whether a later development round of the person has opened: then what became of this
    round's actions can be said, whatever their due dates."""
    return (
        Assessment.objects.filter(
            subject_id=person_id,
            perspective=Assessment.Perspective.SELF,
            round__kind=Round.Kind.DEVELOPMENT,
            round__opens_on__lte=today,
        )
        .filter(
            Q(round__opens_on__gt=round_.opens_on)
            | Q(round__opens_on=round_.opens_on, round_id__gt=round_.pk)
        )
        .exists()
    )


def follow_up_refusal(action: Action, today: datetime.date) -> str | None:
    """Why the viewer (`action.role`) cannot say now what became of the action, if so."""
    if action.role == Role.READER:
        return _("Only the person and their manager say what became of an action.")
    next_open = later_round_open(person_id=action.person_id, round_=action.round, today=today)
    if action.may_follow_up(action.role, today=today, next_round_open=next_open):
        return None
    return _(
        "What became of this action can be recorded from its due date (%(date)s) on, or once "
        "the next round has opened."
    ) % {"date": date_format(action.due_on)}


@transaction.atomic
def action_follow_up(
    *,
    action: Action,
    by: AbstractBaseUser,
    outcome: str,
    note: str,
    today: datetime.date | None = None,
) -> Action:
    """Records what became of the action; said again, the latest word counts (and the history
    keeps the earlier one)."""
    today = today or timezone.localdate()
    action = _lock(action)
    if refusal := follow_up_refusal(action, today):
        raise ActionRefused(refusal, status=403 if action.role == Role.READER else 409)
    action.outcome, action.outcome_note = outcome, note
    action.outcome_by, action.outcome_at = by, _now()
    action.save(update_fields=["outcome", "outcome_note", "outcome_by", "outcome_at", "updated_at"])
    return action
