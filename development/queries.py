"""Reads of development actions for the pages that show them: the result page, the next
round's form, the home page and the team dashboard. Each runs a fixed number of queries,
whatever the number of people, actions or rounds; every read of one person's actions goes
through `access.visible_actions`."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from assessments.access import managed_team_ids
from assessments.models import Assessment, Indicator, Round, Team
from klantgericht.sql import one_row, placeholders

from .access import manages_team, role_in_round, role_of, visible_actions
from .models import MAX_ACTIONS, Action, Role
from .services import later_round_open

# A manager's home lists their team's actions due within this time (and those overdue).
DUE_SOON = datetime.timedelta(days=14)


def with_indicators(actions: QuerySet) -> QuerySet:
    return actions.prefetch_related(
        Prefetch(
            "indicators",
            queryset=Indicator.objects.select_related("level").order_by(
                "level__number", "position"
            ),
        )
    )


def _mark(actions: Iterable[Action], *, today: datetime.date, next_round_open: bool) -> None:
    """What the viewer may do with each action (`action.role` set), for the templates."""
    for action in actions:
        action.can_edit = action.may_edit(action.role)
        action.can_confirm = action.may_confirm(action.role)
        action.can_delete = action.may_delete(action.role)
        action.can_follow_up = action.may_follow_up(
            action.role, today=today, next_round_open=next_round_open
        )
        action.overdue = action.is_overdue(today)


def _persons_actions(user: AbstractBaseUser, person_id: int) -> QuerySet:
    return (
        Action.objects.filter(visible_actions(user), person_id=person_id)
        .annotate(managed=manages_team(user, OuterRef("team_id")))
        .select_related("round")
        .order_by("due_on", "id")
    )


def _latest_earlier_round(actions: QuerySet, round_: Round) -> Subquery:
    """The latest round before this one in which the person has actions."""
    return Subquery(
        actions.earlier_than(round_)
        .order_by("-round__opens_on", "-round_id")
        .values("round_id")[:1]
    )


def _with_roles(actions: QuerySet, user: AbstractBaseUser) -> list[Action]:
    found = list(actions)
    for action in found:
        action.role = role_of(user, action.person_id, action.managed)
    return found


@dataclass
class ResultActions:
    """A person's actions in a round and what became of those of their previous round."""

    round: Round
    person_id: int
    role: Role
    submitted: bool
    actions: list[Action] = field(default_factory=list)
    previous: list[Action] = field(default_factory=list)
    limit: int = MAX_ACTIONS

    @property
    def can_add(self) -> bool:
        return self.role != Role.READER and self.submitted and len(self.actions) < self.limit

    @property
    def previous_round(self) -> Round | None:
        return self.previous[0].round if self.previous else None

    @property
    def outcomes(self) -> list[tuple[str, str]]:
        return Action.Outcome.choices


@dataclass
class FormActions:
    """What became of the previous round's actions, on the next round's form."""

    previous: list[Action]

    @property
    def previous_round(self) -> Round | None:
        return self.previous[0].round if self.previous else None

    @property
    def outcomes(self) -> list[tuple[str, str]]:
        return Action.Outcome.choices


def result_actions(
    *,
    user: AbstractBaseUser,
    round_: Round,
    person_id: int,
    submitted: bool,
    today: datetime.date | None = None,
) -> ResultActions | None:
    """For the result page of a development round; None for a pulse round. `submitted`: the
    person's self-assessment of the round is (then actions can be agreed).

    Queries: the actions of this round and of the latest earlier one with actions (one), their
    behaviours (one, if any); whether a later round has opened (one, if this round has
    actions); for a viewer other than the person, whether they manage the person's team (one).
    """
    if not round_.is_attributed:
        return None
    today = today or timezone.localdate()
    mine = _persons_actions(user, person_id)
    both = with_indicators(
        mine.filter(Q(round=round_) | Q(round_id=_latest_earlier_round(mine, round_)))
    )
    found = _with_roles(both, user)
    current = [a for a in found if a.round_id == round_.pk]
    previous = [a for a in found if a.round_id != round_.pk]
    if current:
        _mark(
            current,
            today=today,
            next_round_open=later_round_open(person_id=person_id, round_=round_, today=today),
        )
    _mark(previous, today=today, next_round_open=round_.opens_on <= today)
    return ResultActions(
        round=round_,
        person_id=person_id,
        role=role_in_round(user, round_, person_id),
        submitted=submitted,
        actions=current,
        previous=previous,
    )


def form_actions(
    *, user: AbstractBaseUser, assessment: Assessment, today: datetime.date | None = None
) -> FormActions:
    """The previous round's actions of the person an assessment of a development round is
    about, for its form. Queries: the actions (one), their behaviours (one, if any)."""
    round_ = assessment.round
    if not round_.is_attributed:
        return FormActions(previous=[])
    today = today or timezone.localdate()
    mine = _persons_actions(user, assessment.subject_id)
    previous = _with_roles(
        with_indicators(mine.filter(round_id=_latest_earlier_round(mine, round_))), user
    )
    _mark(previous, today=today, next_round_open=round_.opens_on <= today)
    return FormActions(previous=previous)


@dataclass
class HomeActions:
    own: list[Action]  # the user's open actions
    team: list[Action]  # their teams' actions to confirm, due soon or overdue
    # The latest development round in which they submitted, if it has no actions yet.
    to_propose: Round | None


def home_actions(user: AbstractBaseUser, today: datetime.date | None = None) -> HomeActions:
    """Queries: the actions (one), and the user's latest submitted self-assessment in a
    development round (one)."""
    today = today or timezone.localdate()
    needs_manager = Q(status=Action.Status.PROPOSED) | Q(due_on__lte=today + DUE_SOON)
    actions = list(
        Action.objects.open()
        .filter(Q(person_id=user.pk) | (Q(team__in=managed_team_ids(user)) & needs_manager))
        .select_related("round", "person")
        .order_by("due_on", "id")
    )
    for action in actions:
        action.overdue = action.is_overdue(today)
    latest = (
        Assessment.objects.filter(
            subject_id=user.pk,
            perspective=Assessment.Perspective.SELF,
            status=Assessment.Status.SUBMITTED,
            round__kind=Round.Kind.DEVELOPMENT,
        )
        .annotate(
            has_actions=Exists(Action.objects.filter(round=OuterRef("round"), person_id=user.pk))
        )
        .select_related("round")
        .order_by("-round__opens_on", "-round_id")
        .first()
    )
    return HomeActions(
        own=[a for a in actions if a.person_id == user.pk],
        team=[a for a in actions if a.person_id != user.pk],
        to_propose=latest.round if latest is not None and not latest.has_actions else None,
    )


# --- For the team dashboard -----------------------------------------------------------------


@dataclass(frozen=True)
class ActionCounts:
    """A team's actions in one round. `agreed` counts those the manager agreed (followed up
    or not); `overdue` those past their due date that nobody has followed up."""

    total: int
    proposed: int
    agreed: int
    done: int
    partly: int
    not_yet: int
    overdue: int


def team_action_counts(
    team: Team, round_: Round, *, today: datetime.date | None = None
) -> ActionCounts:
    """One query, whatever the team's size. The caller shows it only to those who may read the
    members' results (the team's managers and HR)."""
    today = today or timezone.localdate()
    outcome = Action.Outcome
    counts = Action.objects.filter(team=team, round=round_).aggregate(
        total=Count("id"),
        proposed=Count("id", filter=Q(status=Action.Status.PROPOSED)),
        agreed=Count("id", filter=Q(status=Action.Status.AGREED)),
        done=Count("id", filter=Q(outcome=outcome.DONE)),
        partly=Count("id", filter=Q(outcome=outcome.PARTLY)),
        not_yet=Count("id", filter=Q(outcome=outcome.NOT_YET)),
        overdue=Count("id", filter=Q(outcome="", due_on__lt=today)),
    )
    return ActionCounts(**counts)


def actions_stamp(
    team: Team, round_: Round, person_ids: Iterable[int], *, today: datetime.date | None = None
) -> str:
    """What `team_action_counts` and `open_actions` of these people show depends on, in one
    query: their actions' number and latest change, and today (for what is overdue). Pages
    that keep those sections rendered key them on this."""
    today = today or timezone.localdate()
    people = list(person_ids)
    members = f" OR person_id IN ({placeholders(people)})" if people else ""
    count, last, changed = one_row(
        f"SELECT COUNT(*), MAX(id), MAX(updated_at) FROM {Action._meta.db_table} "
        f"WHERE (team_id = %s AND round_id = %s){members}",
        [team.pk, round_.pk, *people],
    )
    return f"{today.isoformat()}.{count}.{last}.{changed}"


def open_actions(
    person_ids: Iterable[int], *, today: datetime.date | None = None
) -> dict[int, list[Action]]:
    """Each person's actions that nobody has followed up yet, by due date, with their
    behaviours and `action.overdue`. Two queries, whatever the number of people. It checks
    no access: pass only people whose results the viewer may read."""
    today = today or timezone.localdate()
    actions = with_indicators(
        Action.objects.open()
        .filter(person_id__in=list(person_ids))
        .select_related("round")
        .order_by("due_on", "id")
    )
    found: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        action.overdue = action.is_overdue(today)
        found[action.person_id].append(action)
    return dict(found)


def own_actions(user: AbstractBaseUser, today: datetime.date | None = None) -> list[Action]:
    """All of the user's own actions, newest round first: for their own page. Two queries."""
    today = today or timezone.localdate()
    actions = list(
        with_indicators(
            Action.objects.filter(person=user)
            .select_related("round")
            .order_by("-round__opens_on", "due_on", "id")
        )
    )
    for action in actions:
        action.overdue = action.is_overdue(today)
    return actions
