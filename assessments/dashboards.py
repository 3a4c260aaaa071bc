"""Dashboard figures, computed by the database.

Each function runs a fixed number of queries, whatever the number of people or rounds; the
results are small (one row per level, indicator, team or round). Where the answers are
anonymous (pulse rounds), a figure over fewer than the minimum group size is withheld.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, Q

from . import scoring
from .models import Assessment, Department, Indicator, LevelResult, Rating, Round, Team

SUBMITTED = Q(status=Assessment.Status.SUBMITTED)
LEVELS = range(0, 6)


def min_group_size() -> int:
    return settings.KLANTGERICHT_MIN_GROUP_SIZE


@dataclass
class Figures:
    """The figures of one group (a team, a department, the organisation) in one round."""

    expected: int
    submitted: int
    distribution: dict[int, int] = field(default_factory=dict)
    at_target: int = 0
    withheld: bool = False

    @property
    def share_at_target(self) -> float | None:
        if self.withheld or not self.submitted:
            return None
        return self.at_target / self.submitted

    @property
    def participation(self) -> float | None:
        return self.submitted / self.expected if self.expected else None


def _withhold(round_: Round, submitted: int) -> bool:
    return not round_.is_attributed and 0 < submitted < min_group_size()


def team_figures(round_: Round, team: Team, perspective: str) -> Figures:
    base = Assessment.objects.filter(round=round_, team=team, perspective=perspective)
    totals = base.aggregate(
        expected=Count("id"),
        submitted=Count("id", filter=SUBMITTED),
        at_target=Count("id", filter=SUBMITTED & Q(attained_level__gte=team.target_level)),
    )
    figures = Figures(
        expected=totals["expected"],
        submitted=totals["submitted"],
        at_target=totals["at_target"],
    )
    if _withhold(round_, figures.submitted):
        figures.withheld, figures.at_target = True, 0
        return figures
    rows = base.filter(SUBMITTED).values("attained_level").annotate(n=Count("id"))
    figures.distribution = dict.fromkeys(LEVELS, 0) | {r["attained_level"]: r["n"] for r in rows}
    return figures


def _means(queryset, round_: Round, team: Team, key: str, value: str) -> dict:
    """The mean of `value` per (`key`, perspective) over the team's submitted assessments."""
    rows = (
        queryset.filter(
            assessment__round=round_, assessment__team=team, assessment__status="submitted"
        )
        .values(key, "assessment__perspective")
        .annotate(mean=Avg(value))
    )
    return {(r[key], r["assessment__perspective"]): r["mean"] for r in rows}


def level_means(round_: Round, team: Team) -> dict[tuple[int, str], Decimal]:
    """Mean level score per (level number, perspective)."""
    return _means(LevelResult.objects, round_, team, "level__number", "score")


def indicator_means(round_: Round, team: Team) -> dict[tuple[int, str], float]:
    """Mean rating per (indicator id, perspective); unrated answers do not count."""
    return _means(Rating.objects, round_, team, "indicator_id", "value")


def heatmap(round_: Round, team: Team, perspective: str) -> dict[int, dict[int, int | None]]:
    """Each submitted member's rating per indicator: {person id: {indicator id: value}}."""
    cells: dict[int, dict[int, int | None]] = {}
    rows = Rating.objects.filter(
        assessment__round=round_,
        assessment__team=team,
        assessment__perspective=perspective,
        assessment__status="submitted",
    ).values_list("assessment__subject_id", "indicator_id", "value")
    for person, indicator, value in rows:
        cells.setdefault(person, {})[indicator] = value
    return cells


@dataclass
class TrendPoint:
    round: Round
    expected: int
    submitted: int
    at_target: int
    mean_level: float | None
    withheld: bool

    @property
    def share_at_target(self) -> float | None:
        if self.withheld or not self.submitted:
            return None
        return self.at_target / self.submitted


def team_trend(team: Team, perspective: str, rounds: list[Round]) -> list[TrendPoint]:
    rows = {
        r["round_id"]: r
        for r in Assessment.objects.filter(team=team, perspective=perspective, round__in=rounds)
        .values("round_id")
        .annotate(
            expected=Count("id"),
            submitted=Count("id", filter=SUBMITTED),
            at_target=Count("id", filter=SUBMITTED & Q(attained_level__gte=team.target_level)),
            mean_level=Avg("attained_level", filter=SUBMITTED),
        )
    }
    points = []
    for round_ in sorted(rounds, key=lambda r: r.opens_on):
        row = rows.get(round_.pk)
        if row is None:
            continue
        withheld = _withhold(round_, row["submitted"])
        points.append(
            TrendPoint(
                round=round_,
                expected=row["expected"],
                submitted=row["submitted"],
                at_target=0 if withheld else row["at_target"],
                mean_level=None if withheld else row["mean_level"],
                withheld=withheld,
            )
        )
    return points


@dataclass
class TeamRow:
    team_id: int
    name: str
    department: str
    figures: Figures
    mean_level: float | None
    department_id: int = 0


def organisation_rows(
    round_: Round, perspective: str, teams: list[int] | None = None
) -> tuple[list[TeamRow], Figures]:
    """One row per team of the round (within `teams` when given), and their total.

    In an anonymous round a team below the minimum group size is withheld, and when exactly
    one team would be withheld, the next smallest is withheld too, so that no team's figures
    follow from the total minus the others.
    """
    qs = Assessment.objects.filter(round=round_, perspective=perspective)
    if teams is not None:
        qs = qs.filter(team_id__in=teams)
    # Grouped by team id alone (no join, no sort): the names come in a second, small query.
    counts = list(
        qs.values("team_id")
        .annotate(
            expected=Count("id"),
            submitted=Count("id", filter=SUBMITTED),
            mean_level=Avg("attained_level", filter=SUBMITTED),
            **{f"level{n}": Count("id", filter=SUBMITTED & Q(attained_level=n)) for n in LEVELS},
        )
        .order_by()
    )
    info = {
        t["pk"]: t
        for t in Team.objects.filter(pk__in=[r["team_id"] for r in counts]).values(
            "pk", "name", "target_level", "department_id", "department__name"
        )
    }
    result = []
    for r in counts:
        team = info[r["team_id"]]
        distribution = {n: r[f"level{n}"] for n in LEVELS}
        result.append(
            TeamRow(
                team_id=r["team_id"],
                name=team["name"],
                department=team["department__name"],
                figures=Figures(
                    expected=r["expected"],
                    submitted=r["submitted"],
                    at_target=sum(c for n, c in distribution.items() if n >= team["target_level"]),
                    distribution=distribution,
                ),
                mean_level=r["mean_level"],
                department_id=team["department_id"],
            )
        )
    total = Figures(
        expected=sum(r.figures.expected for r in result),
        submitted=sum(r.figures.submitted for r in result),
        at_target=sum(r.figures.at_target for r in result),
        distribution={n: sum(r.figures.distribution[n] for r in result) for n in LEVELS},
    )
    if not round_.is_attributed:
        small = [r for r in result if _withhold(round_, r.figures.submitted)]
        if len(small) == 1:
            others = sorted(
                (r for r in result if r not in small and r.figures.submitted),
                key=lambda r: r.figures.submitted,
            )
            small += others[:1]
        for row in small:
            row.figures.withheld, row.figures.at_target, row.figures.distribution = True, 0, {}
            row.mean_level = None
        if _withhold(round_, total.submitted):
            total.withheld, total.at_target, total.distribution = True, 0, {}
    result.sort(
        key=lambda r: (
            r.figures.share_at_target is None,
            -(r.figures.share_at_target or 0),
            r.name,
        )
    )
    return result, total


@dataclass
class DepartmentRow:
    department: Department
    figures: Figures
    teams: int


def department_rows(
    round_: Round, rows: list[TeamRow], scope: Department | None
) -> list[DepartmentRow] | None:
    """The teams' figures summed per department directly below the scope.

    In an anonymous round with a withheld team, no department total is shown: a total next
    to its shown teams would give the withheld team away. None means: withheld.
    """
    if any(r.figures.withheld for r in rows):
        return None
    departments = {d.pk: d for d in Department.objects.all()}

    def top(department_id: int) -> Department:
        """The department directly below the scope (or the top level) that holds this one."""
        chain = [departments[department_id]]
        while chain[-1].parent_id is not None and not (scope and chain[-1].pk == scope.pk):
            chain.append(departments[chain[-1].parent_id])
        if scope is not None and len(chain) >= 2:
            return chain[-2]
        return chain[-1]

    grouped: dict[int, DepartmentRow] = {}
    for row in rows:
        department = top(row.department_id)
        group = grouped.setdefault(
            department.pk,
            DepartmentRow(
                department=department,
                figures=Figures(expected=0, submitted=0, distribution=dict.fromkeys(LEVELS, 0)),
                teams=0,
            ),
        )
        group.teams += 1
        group.figures.expected += row.figures.expected
        group.figures.submitted += row.figures.submitted
        group.figures.at_target += row.figures.at_target
        for level in LEVELS:
            group.figures.distribution[level] += row.figures.distribution.get(level, 0)
    return sorted(
        grouped.values(),
        key=lambda g: (g.figures.share_at_target is None, -(g.figures.share_at_target or 0)),
    )


def department_team_ids(department: Department) -> list[int]:
    """The teams of a department and of every department nested in it."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Department.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    ids, stack = [], [department.pk]
    while stack:
        pk = stack.pop()
        ids.append(pk)
        stack.extend(children.get(pk, []))
    return list(Team.objects.filter(department_id__in=ids).values_list("pk", flat=True))


def indicators_of(round_: Round) -> list[Indicator]:
    return list(
        Indicator.objects.filter(level__framework_id=round_.framework_id)
        .select_related("level")
        .order_by("level__number", "position")
    )


def gap(self_mean, manager_mean):
    return scoring.score_gap(
        None if self_mean is None else Decimal(str(self_mean)),
        None if manager_mean is None else Decimal(str(manager_mean)),
    )
