"""What a viewer sees of a round's figures: the one gate that every figure passes through.

A person sees a figure over answers only if they may read each of those answers one by one
(their own; in a development round the team's own managers and HR), or if the figure is
published: the round has closed and the figure is not withheld (see `suppression`). While a
round is open, everyone else sees participation only. Pages and exports get their figures
from `team_view` and `organisation_view` and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache

from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q

from assessments import scoring
from assessments.models import Assessment, Department, Indicator, Level, Membership, Round, Team
from internal_customers.models import Feedback

from .compute import SUBMITTED, Sums, rank, round_figures
from .models import Group, Mean, PeopleFigures, Perspective, Publication

PENDING = "pending"  # shown when the round has closed
SELF, MANAGER, INTERNAL = Perspective.SELF, Perspective.MANAGER, Perspective.INTERNAL
TEAMS_PER_PAGE = 50


@dataclass(frozen=True)
class Figure:
    """One mean on a page. `value` is None when the viewer may not see it (`withheld` says
    why) or when nobody answered; `private` when only those who may read every answer see it."""

    key: str
    count: int | None
    value: Decimal | None
    withheld: str = ""
    private: bool = False


@dataclass(frozen=True)
class People:
    """A group's figures over people in one perspective, as the viewer sees them."""

    key: str
    expected: int
    submitted: int
    distribution: dict[int, int] | None = None
    at_target: int | None = None
    attained_sum: int | None = None
    withheld: str = ""
    private: bool = False
    # A round that asked some levels only: who attained which level cannot be known from it.
    levels_unknown: bool = False

    @property
    def shown(self) -> bool:
        return self.distribution is not None

    @property
    def few(self) -> bool:
        """Shown, but resting on less than half of those expected."""
        return self.shown and 2 * self.submitted < self.expected

    @property
    def missing(self) -> int:
        """Expected, not submitted: participation, which everyone who opens the page sees."""
        return self.expected - self.submitted

    @property
    def share_at_target(self) -> float | None:
        if not self.shown or not self.submitted:
            return None
        return self.at_target / self.submitted

    @property
    def mean_level(self) -> Decimal | None:
        if not self.shown or not self.submitted:
            return None
        return Decimal(self.attained_sum) / self.submitted


@dataclass(frozen=True)
class MeanRow:
    item: Level | Indicator
    self: Figure
    manager: Figure | None
    gap: Decimal | None = None
    internal: Figure | None = None  # internal customers: observable behaviours only

    @property
    def flagged(self) -> bool:
        return scoring.is_conversation_topic(self.gap)


@dataclass
class Viewer:
    """Whose answers the viewer may read one by one, in one round."""

    user: AbstractBaseUser
    round: Round
    managed: set[int]
    unrevealed: set[int] = field(default_factory=set)  # teams rating the viewer, not revealed

    def sees_answers(self, team_ids: set[int] | None, perspective: str) -> bool:
        """Every answer of these teams (None: the whole organisation) one by one?"""
        if not self.round.is_attributed or perspective == INTERNAL:
            # A pulse round is anonymous, and so are internal customers: nobody reads
            # another's answers one by one, HR neither.
            return False
        if (
            perspective == MANAGER
            and self.unrevealed
            and (team_ids is None or team_ids & self.unrevealed)
        ):
            return False
        if self.user.is_staff:
            return True
        return team_ids is not None and bool(team_ids) and team_ids <= self.managed


def viewer_for(user: AbstractBaseUser, round_: Round, managed: set[int] | None = None) -> Viewer:
    """Who the user is in this round; `managed`, the teams they manage now, when known."""
    if managed is None:
        managed = set(
            Membership.objects.current()
            .filter(person=user, role=Membership.Role.MANAGER)
            .values_list("team_id", flat=True)
        )
    viewer = Viewer(user=user, round=round_, managed=managed)
    if round_.is_attributed and (managed or user.is_staff) and not round_.is_closed():
        # A manager's rating of this viewer stays hidden from them until they have submitted
        # their own self-assessment, or the round closes.
        rated = dict(
            Assessment.objects.filter(round=round_, subject=user).values_list(
                "perspective", "status"
            )
        )
        if rated.get(SELF) != Assessment.Status.SUBMITTED:
            viewer.unrevealed = set(
                Assessment.objects.filter(
                    round=round_, subject=user, perspective=MANAGER
                ).values_list("team_id", flat=True)
            )
    return viewer


def is_published(round_: Round) -> bool:
    try:
        return round_.publication is not None
    except Publication.DoesNotExist:
        return False


def published_versions(rounds: Iterable[Round]) -> str:
    """Which of `rounds` are published, and when: what figures read from them depend on."""
    return ".".join(
        f"{publication}:{round_}:{published_at.timestamp()}"
        for publication, round_, published_at in (
            _version(r.publication) for r in rounds if is_published(r)
        )
    )


def _people(
    figures: PeopleFigures | None,
    key: str,
    *,
    sees: bool,
    published: bool,
    round_: Round | None = None,
) -> People:
    if figures is None:
        return People(key=key, expected=0, submitted=0)
    if round_ is not None and not round_.asks_every_level:
        return People(key, figures.expected, figures.submitted, levels_unknown=True)
    visible = sees or (published and not figures.withheld)
    if not visible:
        reason = figures.withheld if published else PENDING
        return People(key, figures.expected, figures.submitted, withheld=reason)
    return People(
        key,
        figures.expected,
        figures.submitted,
        distribution=figures.distribution,
        at_target=figures.at_target,
        attained_sum=figures.attained_sum,
        private=published and bool(figures.withheld),
    )


def _figure(mean: Sums | Stored | None, key: str, *, sees: bool, published: bool) -> Figure:
    if mean is None:
        return Figure(key, 0, None) if (sees or published) else Figure(key, None, None, PENDING)
    if sees:
        return Figure(key, mean.count, mean.value, private=published and bool(mean.withheld))
    if not published:
        return Figure(key, None, None, PENDING)
    if mean.withheld:
        return Figure(key, None, None, mean.withheld)
    return Figure(key, mean.count, mean.value)


# --- Team ------------------------------------------------------------------------------------


@dataclass
class TrendPoint:
    round: Round
    people: People


@dataclass
class TeamView:
    team: Team
    round: Round
    perspective: str
    published: bool
    sees_answers: bool
    # Each member's standing, self and manager side by side (who needs what): both readable.
    reads_members: bool
    target_level: int  # as it was when the round was published
    people: People
    trend: list[TrendPoint]
    user: AbstractBaseUser
    indicators: list[Indicator]
    internal: People | None  # the internal customers' participation, when they take part
    make_row: Callable[[Level | Indicator, str], MeanRow]

    # Built when read: a page whose figures are rendered already does not read them.
    @cached_property
    def levels(self) -> list[MeanRow]:
        return [self.make_row(level, f"l{level.pk}") for level in _levels(self.indicators)]

    @cached_property
    def behaviours(self) -> list[MeanRow]:
        return [self.make_row(i, f"i{i.pk}") for i in self.indicators]

    @property
    def pending(self) -> bool:
        return not self.published and not self.sees_answers

    @property
    def means_withheld(self) -> str:
        """Why no mean at all is shown (every level and behaviour withheld), or ""."""
        cells = [c for row in self.levels + self.behaviours for c in (row.self, row.manager) if c]
        reasons = {c.withheld for c in cells}
        if cells and "" not in reasons:
            return "small" if "small" in reasons else reasons.pop()
        return ""

    @cached_property
    def trend_cache_key(self) -> str | None:
        """What the trend depends on, when every round in it is published; else None."""
        versions = []
        for point in self.trend:
            if not is_published(point.round):
                return None
            publication, _round, published_at = _version(point.round.publication)
            versions.append(f"{publication}:{published_at.timestamp()}")
        reads_all = self.user.is_staff or self.team.pk in self.team.managed
        return f"{'.'.join(versions)}.{self.team.pk}.{self.perspective}.{int(reads_all)}"

    @cached_property
    def cache_key(self) -> str | None:
        """What the published part of the page depends on; None while the round is open."""
        if not self.published:
            return None
        publication, _round, published_at = _version(self.round.publication)
        return (
            f"{publication}.{published_at.timestamp()}.{self.team.pk}.{self.perspective}."
            f"{int(self.sees_answers)}.{int(self.reads_members)}"
        )


def team_view(
    user: AbstractBaseUser, team: Team, round_: Round, perspective: str, rounds: list[Round]
) -> TeamView:
    """The team's figures in one round and perspective, and its trend over `rounds`.

    `team` comes from `access.team_for_dashboard`, which knows the teams the user manages."""
    viewer = viewer_for(user, round_, managed=team.managed)
    sees = {p: viewer.sees_answers({team.pk}, p) for p in (SELF, MANAGER, INTERNAL)}
    published = is_published(round_)
    key = f"r{round_.pk}.t{team.pk}"
    stored, live = _people_per_round(team, perspective, rounds)
    means: dict[tuple[str, str], Sums | Stored] = {}
    target_level = team.target_level
    if published:
        people = stored.get(round_.pk)
        if people is not None:
            target_level = people.target_level
        means = _published_means(_version(round_.publication), team.pk)
    elif sees[SELF] or sees[MANAGER]:
        tree = round_figures(round_, team_ids=[team.pk])
        people = tree.people.get((f"t{team.pk}", perspective))
        means = {(p, measure): m for (g, p, measure), m in tree.means.items() if g == f"t{team.pk}"}
    else:
        people = live.get(round_.pk)

    perspectives = [SELF, MANAGER] if round_.is_attributed else [SELF]
    internal_stored, internal_live = _people_per_round(team, INTERNAL, [round_])
    internal_people = (internal_stored if published else internal_live).get(round_.pk)
    if internal_people is not None or round_.asks_internal_customers:
        perspectives.append(INTERNAL)
    observable = {i.pk for i in indicators_of(round_) if i.observable}
    observable_levels = {i.level_id for i in indicators_of(round_) if i.observable}

    def row(item: Level | Indicator, measure: str) -> MeanRow:
        cells = {
            p: _figure(
                means.get((p, measure)),
                f"{key}.{p}.{measure}",
                sees=sees[p],
                published=published,
            )
            for p in perspectives
        }
        if INTERNAL in cells and item.pk not in (
            observable_levels if measure.startswith("l") else observable
        ):
            cells[INTERNAL] = None  # not something an internal customer is asked about
        manager = cells.get(MANAGER)
        gap = None
        if manager is not None and cells[SELF].value is not None and manager.value is not None:
            gap = cells[SELF].value - manager.value
        return MeanRow(
            item=item, self=cells[SELF], manager=manager, gap=gap, internal=cells.get(INTERNAL)
        )

    indicators = indicators_of(round_)
    current = _people(
        people,
        f"{key}.{perspective}.people",
        sees=sees[perspective],
        published=published,
        round_=round_,
    )
    trend = []
    for other in sorted(rounds, key=lambda r: (r.opens_on, r.pk)):
        if other.pk == round_.pk:
            trend.append(TrendPoint(other, current))
        elif is_published(other) and other.pk in stored:
            # Closed: the reveal holds for everyone, so a team's managers and HR read all.
            others_sees = other.is_attributed and (user.is_staff or team.pk in viewer.managed)
            trend.append(
                TrendPoint(
                    other,
                    _people(
                        stored[other.pk],
                        f"r{other.pk}.t{team.pk}.{perspective}.people",
                        sees=others_sees,
                        published=True,
                        round_=other,
                    ),
                )
            )
        elif other.pk in live:  # open: participation only, whoever looks
            trend.append(
                TrendPoint(
                    other,
                    _people(
                        live[other.pk],
                        f"r{other.pk}.t{team.pk}.{perspective}.people",
                        sees=False,
                        published=False,
                    ),
                )
            )
    internal = None
    if INTERNAL in perspectives:
        internal = _people(
            internal_people, f"{key}.{INTERNAL}.people", sees=False, published=published
        )
    return TeamView(
        team=team,
        round=round_,
        perspective=perspective,
        published=published,
        sees_answers=sees[perspective],
        reads_members=round_.is_attributed and sees[SELF] and sees[MANAGER],
        target_level=target_level,
        people=current,
        internal=internal,
        trend=trend,
        user=user,
        indicators=indicators,
        make_row=row,
    )


def _people_per_round(
    team: Team, perspective: str, rounds: list[Round]
) -> tuple[dict[int, Stored], dict[int, Stored]]:
    """The team's figures over people per round: stored for the published rounds (read once
    per process: they never change), counted now for the others (one query)."""
    published = tuple(_version(r.publication) for r in rounds if is_published(r))
    stored = _published_people(published, team.pk, perspective) if published else {}
    live = {}
    open_rounds = [r for r in rounds if not is_published(r)]
    if open_rounds:
        answers = (
            Feedback.objects.filter(team=team)
            if perspective == INTERNAL
            else Assessment.objects.filter(team=team, perspective=perspective)
        )
        rows = (
            answers.filter(round__in=open_rounds)
            .values("round_id")
            .annotate(expected=Count("id"), submitted=Count("id", filter=SUBMITTED))
            .order_by()
        )
        for row in rows:
            live[row["round_id"]] = Stored(expected=row["expected"], submitted=row["submitted"])
    return stored, live


# A publication never changes, so what pages read of it is kept in each process. The keys
# hold the moment of publication as well as its id: an id alone may come back for another
# publication (a database reset, a test).
Version = tuple[int, int, object]  # publication id, round id, published at


def _version(publication: Publication) -> Version:
    return (publication.pk, publication.round_id, publication.published_at)


@dataclass(frozen=True)
class Stored:
    """A published figure, as pages read it (a light copy of PeopleFigures or Mean)."""

    expected: int = 0
    submitted: int = 0
    distribution: dict | None = None
    at_target: int = 0
    attained_sum: int = 0
    withheld: str = ""
    target_level: int | None = None
    count: int = 0
    total: Decimal = Decimal(0)

    @property
    def value(self) -> Decimal | None:
        return self.total / self.count if self.count else None


@lru_cache(maxsize=2048)
def _published_means(version: Version, team_pk: int) -> dict[tuple[str, str], Stored]:
    return {
        (m.perspective, m.measure): Stored(count=m.count, total=m.total, withheld=m.withheld)
        for m in Mean.objects.filter(group__publication_id=version[0], group__team_id=team_pk)
    }


@lru_cache(maxsize=2048)
def _published_people(
    versions: tuple[Version, ...], team_pk: int, perspective: str
) -> dict[int, Stored]:
    """Per round id: the team's published figures over people in one perspective."""
    return {
        f.round_id: Stored(
            expected=f.expected,
            submitted=f.submitted,
            distribution=f.distribution,
            at_target=f.at_target,
            attained_sum=f.attained_sum,
            withheld=f.withheld,
            target_level=f.target_level,
        )
        for f in PeopleFigures.objects.filter(
            group__team_id=team_pk,
            perspective=perspective,
            group__publication_id__in=[v[0] for v in versions],
        ).annotate(
            round_id=F("group__publication__round_id"), target_level=F("group__target_level")
        )
    }


def indicators_of(round_: Round) -> list[Indicator]:
    """The round's behaviours in the model's order, with their levels: those of the levels it
    asked (a pulse can ask some levels only)."""
    return _indicators(
        round_.pk, round_.created_at, round_.framework_id, tuple(round_.asked_levels or ())
    )


@lru_cache(maxsize=256)
def _indicators(round_pk: int, created_at, framework_pk: int, asked: tuple) -> list[Indicator]:
    # A framework that a round uses never changes (FrameworkInUse), so neither does this
    # while the round exists: kept per round (its id and creation time) in each process.
    indicators = Indicator.objects.filter(level__framework_id=framework_pk)
    if asked:
        indicators = indicators.filter(level__number__in=asked)
    return list(indicators.select_related("level").order_by("level__number", "position"))


def _levels(indicators: list[Indicator]) -> list[Level]:
    seen: dict[int, Level] = {}
    for indicator in indicators:
        seen.setdefault(indicator.level_id, indicator.level)
    return list(seen.values())


# --- Organisation ----------------------------------------------------------------------------


@dataclass
class GroupRow:
    group: Group
    people: People


@dataclass
class OrganisationView:
    round: Round
    perspective: str
    scope: Department | None
    published: bool
    total: People
    departments: list[GroupRow]
    teams: Page | list[GroupRow]

    @property
    def pending(self) -> bool:
        return not self.published and not self.total.shown


def organisation_view(
    user: AbstractBaseUser,
    round_: Round,
    perspective: str,
    scope: Department | None,
    *,
    page: str | int | None = 1,
    all_teams: bool = False,
) -> OrganisationView:
    """The round's figures rolled up to `scope` (None: the whole organisation): its total, the
    departments directly below it, and its teams (a page of them, or all for an export)."""
    viewer = viewer_for(user, round_)
    if is_published(round_):
        return _published_organisation(viewer, round_, perspective, scope, page, all_teams)
    return _live_organisation(viewer, round_, perspective, scope, page, all_teams)


def scope_trend(
    user: AbstractBaseUser, rounds: list[Round], perspective: str, scope: Department | None
) -> list[TrendPoint]:
    """The published figures over people of `scope` (None: the organisation) in each of
    `rounds` that is published, as the organisation page shows its total: one query.

    Open rounds are left out: nothing over people is published for them yet."""
    published = [r for r in rounds if is_published(r)]
    if not published:
        return []
    top = (
        Q(group__kind=Group.Kind.ORGANISATION)
        if scope is None
        else Q(group__kind=Group.Kind.DEPARTMENT, group__department=scope)
    )
    figures = {
        f.round_id: f
        for f in PeopleFigures.objects.filter(
            top,
            group__publication__in=[r.publication for r in published],
            perspective=perspective,
        ).annotate(round_id=F("group__publication__round_id"))
    }
    group = "o" if scope is None else f"d{scope.pk}"
    return [
        TrendPoint(
            r,
            # As `_row` decides for a stored department or the organisation: the round has
            # closed, so nothing is unrevealed, and only HR reads every answer.
            _people(
                figures[r.pk],
                f"r{r.pk}.{group}.{perspective}.people",
                sees=r.is_attributed and user.is_staff,
                published=True,
                round_=r,
            ),
        )
        for r in sorted(published, key=lambda r: (r.opens_on, r.pk))
        if r.pk in figures
    ]


def _row(viewer: Viewer, figures: PeopleFigures, *, published: bool, teams=None) -> GroupRow:
    group = figures.group
    if group.kind == Group.Kind.TEAM:
        sees = viewer.sees_answers({group.team_id}, figures.perspective)
    elif teams is not None:
        sees = viewer.sees_answers(teams, figures.perspective)
    else:  # a stored department: the round has closed, so nothing is unrevealed any more
        sees = viewer.round.is_attributed and viewer.user.is_staff
    key = f"r{viewer.round.pk}.{group.key}.{figures.perspective}.people"
    return GroupRow(
        group, _people(figures, key, sees=sees, published=published, round_=viewer.round)
    )


def _published_organisation(viewer, round_, perspective, scope, page, all_teams):
    publication = round_.publication
    top = (
        Q(group__kind=Group.Kind.ORGANISATION)
        if scope is None
        else Q(group__kind=Group.Kind.DEPARTMENT, group__department=scope)
    )
    groups = list(
        PeopleFigures.objects.filter(group__publication=publication, perspective=perspective)
        .filter(top | Q(group__kind=Group.Kind.DEPARTMENT, **_below(scope)))
        .select_related("group__department")
    )
    total = next((f for f in groups if _is_scope(f.group, scope)), None)
    if total is None:  # no team of this department took part in the round
        empty = People(key="", expected=0, submitted=0)
        return OrganisationView(round_, perspective, scope, True, empty, [], [])
    departments = [
        _row(viewer, f, published=True)
        for f in sorted(groups, key=lambda f: f.group.name)
        if f is not total
    ]
    everything = viewer.sees_answers(None, perspective)
    teams = (
        PeopleFigures.objects.filter(
            group__publication=publication,
            group__kind=Group.Kind.TEAM,
            group__path__startswith=total.group.path,
            perspective=perspective,
        )
        .select_related("group__parent")
        .order_by("rank_all" if everything else "rank")
    )
    return OrganisationView(
        round=round_,
        perspective=perspective,
        scope=scope,
        published=True,
        total=_row(viewer, total, published=True).people,
        departments=departments,
        teams=_page(teams, page, all_teams, lambda f: _row(viewer, f, published=True)),
    )


def _below(scope: Department | None) -> dict:
    if scope is None:
        return {"group__parent__kind": Group.Kind.ORGANISATION}
    return {"group__parent__department": scope, "group__parent__kind": Group.Kind.DEPARTMENT}


def _is_scope(group: Group, scope: Department | None) -> bool:
    if scope is None:
        return group.kind == Group.Kind.ORGANISATION
    return group.kind == Group.Kind.DEPARTMENT and group.department_id == scope.pk


def _live_organisation(viewer, round_, perspective, scope, page, all_teams):
    team_ids = None if scope is None else department_team_ids(scope)
    tree = round_figures(round_, team_ids=team_ids, means=False)
    rank(tree)
    below: dict[str, set[int]] = {}
    for group in tree.groups.values():
        if group.kind == Group.Kind.TEAM:
            node = group
            while node is not None:
                below.setdefault(node.key, set()).add(group.team_id)
                node = node.parent
    top = "o" if scope is None else f"d{scope.pk}"
    total = tree.people.get((top, perspective))
    if total is None:
        empty = People(key="", expected=0, submitted=0)
        return OrganisationView(round_, perspective, scope, False, empty, [], [])
    departments = [
        _row(viewer, f, published=False, teams=below[key])
        for (key, p), f in sorted(tree.people.items(), key=lambda item: item[1].group.name)
        if p == perspective
        and f.group.kind == Group.Kind.DEPARTMENT
        and f.group.parent is not None
        and f.group.parent.key == top
    ]
    everything = viewer.sees_answers(below[top], perspective)
    teams = sorted(
        (f for (key, p), f in tree.people.items() if p == perspective and key.startswith("t")),
        key=lambda f: f.rank_all if everything else (f.group.name, f.group.team_id),
    )
    return OrganisationView(
        round=round_,
        perspective=perspective,
        scope=scope,
        published=False,
        total=_row(viewer, total, published=False, teams=below[top]).people,
        departments=departments,
        teams=_page(teams, page, all_teams, lambda f: _row(viewer, f, published=False)),
    )


def _page(items, number, all_items: bool, make_row):
    if all_items:
        return [make_row(item) for item in items]
    page = Paginator(items, TEAMS_PER_PAGE).get_page(number)
    page.object_list = [make_row(item) for item in page.object_list]
    return page


def department_ids(
    department: Department, every: Iterable[tuple[int, int | None]] | None = None
) -> list[int]:
    """A department and every department nested in it; `every` (pk, parent) of all
    departments, when the caller has read them already."""
    children: dict[int | None, list[int]] = {}
    if every is None:
        every = Department.objects.order_by().values_list("pk", "parent_id")
    for pk, parent in every:
        children.setdefault(parent, []).append(pk)
    ids, stack = [], [department.pk]
    while stack:
        pk = stack.pop()
        ids.append(pk)
        stack.extend(children.get(pk, []))
    return ids


def department_team_ids(department: Department) -> list[int]:
    """The teams of a department and of every department nested in it."""
    return list(
        Team.objects.filter(department_id__in=department_ids(department)).values_list(
            "pk", flat=True
        )
    )


def internal_remarks(user: AbstractBaseUser, view: TeamView) -> list[str]:
    """The remarks internal customers wrote about the team, for its managers and HR: without
    names, in alphabetical order (not the order they came in), and only where the internal
    customers' figures are published and shown (at least k of them)."""
    internal = view.internal
    if internal is None or not view.published or internal.withheld:
        return []
    if not (user.is_staff or view.team.pk in view.team.managed):
        return []
    remarks = Feedback.objects.filter(
        round=view.round, team=view.team, status=Feedback.Status.SUBMITTED
    ).exclude(remark="")
    return sorted((r.strip() for r in remarks.values_list("remark", flat=True)), key=str.casefold)
