"""A round's figures per team, department and organisation, computed by the database.

The same computation serves the publication of a closed round (every group, then stored with
the withheld ones marked) and the live view of those who may see every answer of a group
while its round is open (a team's managers, HR). The result is a tree of unsaved `Group`
objects carrying their `PeopleFigures` and means (`Sums`, which publishing writes as `Mean`
rows), so that pages read it exactly as they read a stored publication. Three aggregate
queries, whatever the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum

from assessments.models import Assessment, Department, LevelResult, Rating, Round, Team
from internal_customers.models import Answer, Feedback

from .models import LEVELS, Group, PeopleFigures, Perspective, Withheld

SUBMITTED = Q(status=Assessment.Status.SUBMITTED)


@dataclass(slots=True)
class Sums:
    """A group's answers on a level or a behaviour in one perspective: a `Mean` row to be.
    Plain, not a model instance: a round of 10,000 people has 58,000 of them."""

    count: int
    total: Decimal
    withheld: str = Withheld.SHOWN

    @property
    def value(self) -> Decimal | None:
        return self.total / self.count if self.count else None


@dataclass
class Tree:
    """The groups of one round, parents before children, with their figures."""

    groups: dict[str, Group]  # by key: "o", "d<id>", "t<id>"
    people: dict[tuple[str, str], PeopleFigures] = field(default_factory=dict)
    # (group key, perspective, "l<level id>" | "i<indicator id>") -> Sums
    means: dict[tuple[str, str, str], Sums] = field(default_factory=dict)
    # The teams each manager rated: whose answers that manager may read one by one.
    managers: dict[int, set[int]] = field(default_factory=dict)

    def parents(self) -> dict[str, str | None]:
        return {
            key: (None if group.parent is None else group.parent.key)
            for key, group in self.groups.items()
        }


def round_figures(round_: Round, *, team_ids: Iterable[int] | None = None, means: bool = True):
    """The figures of the round's teams (or of `team_ids` only), rolled up to the top."""
    assessments = Assessment.objects.filter(round=round_)
    if team_ids is not None:
        team_ids = list(team_ids)
        assessments = assessments.filter(team_id__in=team_ids)
    people_rows = list(
        assessments.values("team_id", "perspective")
        .annotate(
            expected=Count("id"),
            submitted=Count("id", filter=SUBMITTED),
            attained_sum=Sum("attained_level", filter=SUBMITTED, default=0),
            **{f"level_{n}": Count("id", filter=SUBMITTED & Q(attained_level=n)) for n in LEVELS},
        )
        .order_by()
    )
    feedback = Feedback.objects.filter(round=round_)
    if team_ids is not None:
        feedback = feedback.filter(team_id__in=team_ids)
    internal_rows = list(
        feedback.values("team_id")
        .annotate(expected=Count("id"), submitted=Count("id", filter=SUBMITTED))
        .order_by()
    )
    tree = _tree({row["team_id"] for row in people_rows + internal_rows})
    for row in internal_rows:
        # Internal customers rate the team, not its people: participation only, no levels.
        figures = PeopleFigures(
            perspective=Perspective.INTERNAL,
            expected=row["expected"],
            submitted=row["submitted"],
        )
        _add_people(tree, tree.groups[f"t{row['team_id']}"], figures)
    for row in people_rows:
        team = tree.groups[f"t{row['team_id']}"]
        figures = PeopleFigures(
            perspective=row["perspective"],
            expected=row["expected"],
            submitted=row["submitted"],
            attained_sum=row["attained_sum"],
            **{f"level_{n}": row[f"level_{n}"] for n in LEVELS},
        )
        figures.at_target = sum(
            count for n, count in figures.distribution.items() if n >= team.target_level
        )
        _add_people(tree, team, figures)
    if round_.is_attributed:
        for manager, team in (
            assessments.filter(perspective=Assessment.Perspective.MANAGER)
            .values_list("assessor_id", "team_id")
            .distinct()
        ):
            tree.managers.setdefault(manager, set()).add(team)
    if means:
        submitted = {"assessment__round": round_, "assessment__status": "submitted"}
        if team_ids is not None:
            submitted["assessment__team_id__in"] = team_ids
        level_rows = (
            LevelResult.objects.filter(score__isnull=False, **submitted)
            .values_list("assessment__team_id", "assessment__perspective", "level_id")
            .annotate(count=Count("id"), total=Sum("score"))
            .order_by()
        )
        behaviour_rows = (
            Rating.objects.filter(value__isnull=False, **submitted)
            .values_list("assessment__team_id", "assessment__perspective", "indicator_id")
            .annotate(count=Count("id"), total=Sum("value"))
            .order_by()
        )
        _add_means(tree, level_rows, "l")
        _add_means(tree, behaviour_rows, "i")
        _add_internal_means(tree, feedback)
    return tree


CENT = Decimal("0.01")


def _add_internal_means(tree: Tree, feedback) -> None:
    """The internal customers' means: per behaviour over those who rated it, per level over
    each customer's own mean of the level's behaviours they rated, to two decimals as a
    person's level score is kept (the mean of the behaviours rated)."""
    answers = Answer.objects.filter(
        feedback__in=feedback.filter(status=Feedback.Status.SUBMITTED), value__isnull=False
    )
    behaviour_rows = (
        answers.values_list("feedback__team_id", "indicator_id")
        .annotate(count=Count("id"), total=Sum("value"))
        .order_by()
    )
    _add_means(
        tree, ((t, Perspective.INTERNAL, i, c, total) for t, i, c, total in behaviour_rows), "i"
    )
    per_customer = (
        answers.values_list("feedback__team_id", "feedback_id", "indicator__level_id")
        .annotate(mean=Avg("value"))
        .order_by()
    )
    levels: dict[tuple[int, int], list] = {}
    for team_id, _feedback, level_id, mean in per_customer:
        found = levels.setdefault((team_id, level_id), [0, Decimal(0)])
        found[0] += 1
        found[1] += Decimal(str(mean)).quantize(CENT)
    _add_means(
        tree,
        ((t, Perspective.INTERNAL, level, c, total) for (t, level), (c, total) in levels.items()),
        "l",
    )


def _add_means(tree: Tree, rows, kind: str) -> None:
    """Adds up each team's (count, sum) per level or behaviour into every group above it."""
    above: dict[int, list[str]] = {}
    sums: dict[tuple[str, str, str], list] = {}
    for team_id, perspective, item, count, total in rows:
        keys = above.get(team_id)
        if keys is None:
            keys = above[team_id] = [g.key for g in _ancestry(tree.groups[f"t{team_id}"])]
        measure = f"{kind}{item}"
        for key in keys:
            found = sums.get((key, perspective, measure))
            if found is None:
                sums[(key, perspective, measure)] = [count, Decimal(total)]
            else:
                found[0] += count
                found[1] += total
    for (key, perspective, measure), (count, total) in sums.items():
        tree.means[(key, perspective, measure)] = Sums(count=count, total=total)


def _tree(team_ids: set[int]) -> Tree:
    """The organisation, every department above the teams, and the teams, linked up."""
    organisation = Group(kind=Group.Kind.ORGANISATION, name="", path="/")
    groups: dict[str, Group] = {"o": organisation}
    departments = {
        d["pk"]: d for d in Department.objects.values("pk", "name", "parent_id").order_by()
    }

    def department(pk: int) -> Group:
        key = f"d{pk}"
        if key not in groups:
            row = departments[pk]
            parent = organisation if row["parent_id"] is None else department(row["parent_id"])
            groups[key] = Group(
                kind=Group.Kind.DEPARTMENT,
                department_id=pk,
                name=row["name"],
                parent=parent,
                path=f"{parent.path}{pk}/",
            )
        return groups[key]

    teams = Team.objects.filter(pk__in=team_ids).values(
        "pk", "name", "department_id", "target_level"
    )
    for team in sorted(teams, key=lambda t: t["pk"]):
        parent = department(team["department_id"])
        groups[f"t{team['pk']}"] = Group(
            kind=Group.Kind.TEAM,
            team_id=team["pk"],
            name=team["name"],
            parent=parent,
            path=parent.path,
            target_level=team["target_level"],
        )
    return Tree(groups=groups)


def _ancestry(group: Group) -> list[Group]:
    chain = [group]
    while chain[-1].parent is not None:
        chain.append(chain[-1].parent)
    return chain


def _add_people(tree: Tree, team: Group, figures: PeopleFigures) -> None:
    for group in _ancestry(team):
        key = (group.key, figures.perspective)
        total = tree.people.get(key)
        if total is None:
            total = tree.people[key] = PeopleFigures(
                group=group, perspective=figures.perspective, expected=0, submitted=0
            )
        total.expected += figures.expected
        total.submitted += figures.submitted
        total.at_target += figures.at_target
        total.attained_sum += figures.attained_sum
        for n in LEVELS:
            name = f"level_{n}"
            setattr(total, name, getattr(total, name) + getattr(figures, name))


def measures(tree: Tree) -> dict[tuple[str, str], dict[str, int]]:
    """The number of answers per team for every figure: (perspective, measure) -> counts.

    "people" is the figure over people (attained levels, share at target, their mean);
    "l<id>" a level's mean score, "i<id>" a behaviour's mean rating.
    """
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for (key, perspective), figures in tree.people.items():
        if key.startswith("t"):
            counts[(perspective, "people")][key] = figures.submitted
    for (key, perspective, measure), mean in tree.means.items():
        if key.startswith("t"):
            counts[(perspective, measure)][key] = mean.count
    return counts


def rank(tree: Tree) -> None:
    """Orders the teams by share at or above target, best first, per perspective: as others
    see them (`rank`, withheld teams last) and over all answers (`rank_all`). Teams whose
    figures rest on less than half of the team come after the others."""
    teams = [f for (key, _p), f in tree.people.items() if key.startswith("t")]

    def order(figures: PeopleFigures, *, public: bool):
        if (public and figures.withheld) or not figures.submitted:
            return (2, 0.0, figures.group.name, figures.group.team_id)
        # A share over less than half of the team says little: after the others.
        few = 2 * figures.submitted < figures.expected
        share = figures.at_target / figures.submitted
        return (int(few), -share, figures.group.name, figures.group.team_id)

    for perspective in {f.perspective for f in teams}:
        mine = [f for f in teams if f.perspective == perspective]
        for position, figures in enumerate(sorted(mine, key=lambda f: order(f, public=True)), 1):
            figures.rank = position
        for position, figures in enumerate(sorted(mine, key=lambda f: order(f, public=False)), 1):
            figures.rank_all = position
