"""Where the open rounds stand: who has submitted, per department and team, and who not yet.

Counted by the database (`AssessmentQuerySet.participation`), in a fixed number of queries
whatever the size of the organisation. Participation is no figure over anyone's answers, so
the confidentiality gate of `figures` does not apply; names of people who have not submitted
are shown only where the reader may see those people's answers (HR, and a team's managers in
a development round).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet

from .access import managed_team_ids
from .models import Assessment, Department, Round

SELF = Assessment.Perspective.SELF
MANAGER = Assessment.Perspective.MANAGER


@dataclass
class Tally:
    submitted: int = 0
    expected: int = 0

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.expected) if self.expected else 0

    def add(self, other: Tally) -> None:
        self.submitted += other.submitted
        self.expected += other.expected


@dataclass
class Participation:
    """Self-assessments and managers' ratings, submitted of expected, in one group."""

    pk: int
    name: str
    self_assessments: Tally = field(default_factory=Tally)
    manager_ratings: Tally = field(default_factory=Tally)
    department: str = ""  # a team's department, as its path

    @property
    def missing(self) -> int:
        return self.self_assessments.missing + self.manager_ratings.missing

    def count(self, perspective: str, submitted: int, expected: int) -> None:
        tally = self.self_assessments if perspective == SELF else self.manager_ratings
        tally.add(Tally(submitted, expected))


@dataclass
class RoundProgress:
    round: Round
    days_left: int
    total: Participation
    departments: list[Participation]
    teams: list[Participation]  # with `department`, the name of their department


def days_left(round_: Round, today: datetime.date) -> int:
    """Days after today on which the round is still open (0: today is the last day)."""
    return (round_.closes_on - today).days


def open_rounds(today: datetime.date) -> list[RoundProgress]:
    """Every open round, with its participation per department and team (HR's home): three
    queries."""
    rounds = list(Round.objects.open(today).order_by("closes_on", "name"))
    rows = Assessment.objects.filter(round__in=rounds).participation(
        "round_id", "team_id", "team__name", "team__department_id"
    )
    paths = department_paths()
    totals = {r.pk: Participation(pk=r.pk, name=r.name) for r in rounds}
    departments: dict[int, dict[int, Participation]] = defaultdict(dict)
    teams: dict[int, dict[int, Participation]] = defaultdict(dict)
    for row in rows:
        round_id, department_id, team_id = (
            row["round_id"],
            row["team__department_id"],
            row["team_id"],
        )
        counts = (row["perspective"], row["submitted"], row["expected"])
        totals[round_id].count(*counts)
        department = departments[round_id].setdefault(
            department_id, Participation(pk=department_id, name=paths[department_id])
        )
        department.count(*counts)
        team = teams[round_id].setdefault(
            team_id, Participation(pk=team_id, name=row["team__name"])
        )
        team.department = paths[department_id]
        team.count(*counts)
    return [
        RoundProgress(
            round=r,
            days_left=days_left(r, today),
            total=totals[r.pk],
            departments=sorted(departments[r.pk].values(), key=lambda d: d.name),
            teams=sorted(teams[r.pk].values(), key=lambda t: (t.department, t.name)),
        )
        for r in rounds
    ]


def department_paths() -> dict[int, str]:
    """Every department's name with those it is part of: "Bedrijfsvoering / Financiën"."""
    rows = {
        pk: (name, parent)
        for pk, name, parent in Department.objects.values_list("pk", "name", "parent_id")
    }

    def path(pk: int, seen: tuple[int, ...] = ()) -> str:
        name, parent = rows[pk]
        if parent is None or parent in seen:
            return name
        return f"{path(parent, (*seen, pk))} / {name}"

    return {pk: path(pk) for pk in rows}


@dataclass
class TeamProgress:
    """A team the reader manages, in one open round."""

    round: Round
    team_name: str
    days_left: int
    members: Tally  # the members' self-assessments
    mine: Tally  # the reader's own ratings of the members
    not_submitted: list[str] = field(default_factory=list)  # names; development rounds only


def managed_teams(user: AbstractBaseUser, today: datetime.date) -> list[TeamProgress]:
    """The open rounds of the teams the user manages, with who has not submitted yet (a
    manager's home): two queries."""
    assessments = Assessment.objects.filter(
        round__in=Round.objects.open(today), team__in=managed_team_ids(user)
    )
    rows = (
        assessments.order_by()
        .values("round_id", "team_id", "team__name")
        .annotate(
            expected=Count("id", filter=Q(perspective=SELF)),
            submitted=Count("id", filter=Q(perspective=SELF, status=Assessment.Status.SUBMITTED)),
            mine=Count("id", filter=Q(perspective=MANAGER, assessor=user)),
            mine_done=Count(
                "id",
                filter=Q(perspective=MANAGER, assessor=user, status=Assessment.Status.SUBMITTED),
            ),
        )
    )
    rows = list(rows)
    rounds = Round.objects.in_bulk({row["round_id"] for row in rows})  # none: no query
    names: dict[tuple[int, int], list[str]] = defaultdict(list)
    # Who has not submitted: in a pulse round the team sees participation only, not names.
    for row in (
        assessments.filter(perspective=SELF, round__kind=Round.Kind.DEVELOPMENT)
        .not_submitted()
        .order_by("subject__first_name", "subject__last_name", "subject__username")
        .values(
            "round_id", "team_id", "subject__first_name", "subject__last_name", "subject__username"
        )
    ):
        full = f"{row['subject__first_name']} {row['subject__last_name']}".strip()
        names[(row["round_id"], row["team_id"])].append(full or row["subject__username"])
    progress = [
        TeamProgress(
            round=rounds[row["round_id"]],
            team_name=row["team__name"],
            days_left=days_left(rounds[row["round_id"]], today),
            members=Tally(row["submitted"], row["expected"]),
            mine=Tally(row["mine_done"], row["mine"]),
            not_submitted=names[(row["round_id"], row["team_id"])],
        )
        for row in rows
    ]
    return sorted(progress, key=lambda p: (p.round.closes_on, p.round.name, p.team_name))


def outstanding_people(
    round_: Round, *, team_id: int | None = None, department_id: int | None = None
) -> QuerySet:
    """The people with an assessment of the round that is not submitted, one row per person
    and team, with what they still have to do: their self-assessment, their ratings."""
    assessments = Assessment.objects.filter(round=round_).not_submitted()
    if team_id is not None:
        assessments = assessments.filter(team_id=team_id)
    if department_id is not None:
        assessments = assessments.filter(team__department_id=department_id)
    return (
        assessments.order_by()
        .values(
            "assessor_id",
            "assessor__first_name",
            "assessor__last_name",
            "assessor__username",
            "assessor__email",
            "assessor__is_active",
            "team_id",
            "team__name",
        )
        .annotate(
            self_open=Count("id", filter=Q(perspective=SELF)),
            ratings_open=Count("id", filter=Q(perspective=MANAGER)),
        )
        .order_by("team__name", "assessor__first_name", "assessor__last_name", "assessor_id")
    )
