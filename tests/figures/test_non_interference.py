"""Non-interference: for a viewer who may not read an answer, every page and export they can
reach is the same whatever that answer is, and what is published never lets them work out
fewer than k answers.

Hypothesis builds small organisations (departments, nested or not, teams of 1 to 5 people,
with or without a manager, one team serving another), a round of either kind, open or
closed, who submitted, the answers with "Kan ik niet beoordelen" patterns (the internal
customers' included), and a viewer. The pages are found the way a
person finds them: every URL the viewer could type (each team, round, perspective, department
and export) and every link on the pages they reach. Three properties:

1. While a round is open, changing any answer the viewer may not read changes no page.
2. Once it is closed, swapping two people's answers within a team changes no page for a
   viewer who may read neither: nothing is attributed to anyone.
3. Once it is closed, every figure a page shows rests on answers the viewer may read one by
   one, or on at least k answers, and every group of answers that the viewer can isolate by
   adding and subtracting the figures shown (and what they may read one by one) holds no
   answer or at least k. The expected figures are computed here from the answers themselves.
"""

from __future__ import annotations

import datetime
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import (
    Assessment,
    Department,
    Indicator,
    LevelResult,
    Membership,
    Rating,
    Round,
    Team,
)
from assessments.services import CANNOT_RATE, Answers, assessment_submit, round_populate
from internal_customers.models import Answer as InternalAnswer
from internal_customers.models import Feedback, Service
from internal_customers.services import feedback_save
from tests.figures.pages import content

pytestmark = pytest.mark.django_db

User = get_user_model()
NOW = timezone.make_aware(datetime.datetime(2026, 1, 15, 10, 0))
# make test tries a dozen organisations per property; search harder with, e.g.,
# KLANTGERICHT_NI_EXAMPLES=300 make test PYTEST_ARGS=tests/figures/test_non_interference.py
EXAMPLES = settings(
    max_examples=int(os.environ.get("KLANTGERICHT_NI_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=False,
)
LINK = re.compile(r'href="(/(?:teams|organisation|rounds)/[^"#]*)"')


# --- The world ---------------------------------------------------------------------------


@dataclass
class World:
    round: Round
    k: int
    people: list  # every user, HR included
    teams: list[Team]
    departments: list[Department]
    # The answers that can be given: assessments, and internal customers' ratings (Slot).
    assessments: list = field(default_factory=list)
    patterns: dict[int, tuple] = field(default_factory=dict)  # answer id -> answers


@dataclass(frozen=True)
class Slot:
    """An internal customer's rating to give: its id is negative, to tell it from an
    assessment's; it is made when the rating is saved."""

    pk: int
    round: Round
    team_id: int  # the team rated
    assessor_id: int
    perspective: str = "internal"
    subject_id: int | None = None


def pattern_strategy(pool):
    """An assessment's answers: a base value, a few behaviours (from a small pool, so that
    they coincide between people) answered "Kan ik niet beoordelen", one or two different."""
    return st.tuples(
        st.integers(1, 5),
        st.frozensets(st.sampled_from(pool), max_size=3),
        st.dictionaries(st.sampled_from(pool), st.integers(1, 5), max_size=2),
    )


def answers_of(pattern, indicators) -> dict:
    base, cannot, other = pattern
    return {pk: CANNOT_RATE if pk in cannot else other.get(pk, base) for pk in indicators}


def build(data, framework) -> World:
    """The organisation, the round and who takes part; no answers yet."""
    k = data.draw(st.sampled_from([3, 4]), label="k")
    kind = data.draw(st.sampled_from(["development", "pulse"]), label="kind")
    departments = [Department.objects.create(name="Top")]
    if data.draw(st.booleans(), label="second department"):
        nested = data.draw(st.booleans(), label="nested")
        departments.append(
            Department.objects.create(name="Onder", parent=departments[0] if nested else None)
        )
    hr = User.objects.create(username="hr", first_name="Hanna", is_staff=True)
    people = [hr]
    teams = []
    for t in range(data.draw(st.integers(2, 4), label="teams")):
        team = Team.objects.create(
            name=f"Team {t}",
            department=departments[data.draw(st.integers(0, len(departments) - 1))],
            target_level=data.draw(st.integers(1, 4), label="target"),
        )
        teams.append(team)
        if kind == "development" or data.draw(st.booleans(), label="manager"):
            manager = User.objects.create(username=f"m{t}", first_name=f"Manager {t}")
            Membership.objects.create(person=manager, team=team, role="manager")
            people.append(manager)
        for e in range(data.draw(st.integers(1, 5), label="size")):
            person = User.objects.create(username=f"e{t}{e}", first_name=f"Lid {t}.{e}")
            Membership.objects.create(person=person, team=team)
            people.append(person)
    if data.draw(st.booleans(), label="hr is a member"):
        Membership.objects.create(person=hr, team=teams[0])
    today = timezone.localdate()
    closed = data.draw(st.booleans(), label="closed")
    opens = today - datetime.timedelta(days=40)
    round_ = Round.objects.create(
        name="Ronde",
        framework=framework,
        kind=kind,
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=10) if closed else today + datetime.timedelta(5),
    )
    round_.teams.set(teams)
    round_populate(round_=round_)
    world = World(round_, k, people, teams, departments)
    world.assessments = list(Assessment.objects.filter(round=round_).order_by("pk"))
    if data.draw(st.integers(0, 2), label="internal customers") > 0:
        provider, customer = data.draw(st.permutations(teams), label="serves")[:2]
        Service.objects.create(provider=provider, customer=customer)
        for m in Membership.objects.filter(team=customer).order_by("pk"):
            if not Membership.objects.filter(team=provider, person_id=m.person_id).exists():
                slot = Slot(-len(world.assessments) - 1, round_, provider.pk, m.person_id)
                world.assessments.append(slot)
    indicators = list(
        Indicator.objects.filter(level__framework=framework)
        .order_by("level__number", "position")
        .values_list("pk", flat=True)
    )
    pool = indicators[:2] + indicators[8:10]  # of levels 1 and 3: observable too
    for assessment in world.assessments:
        if data.draw(st.integers(0, 9), label="submits") < 8:
            world.patterns[assessment.pk] = data.draw(pattern_strategy(pool), label="answers")
    world.pool = pool
    world.indicators = indicators
    return world


def draw_viewer(data, world: World):
    """HR, a manager or anyone else, as often as each other: who sees the most is tried most."""
    kind = data.draw(st.sampled_from(["hr", "manager", "anyone"]), label="kind of viewer")
    managers = [p for p in world.people if p.username.startswith("m")]
    if kind == "hr":
        return world.people[0]
    if kind == "manager" and managers:
        return data.draw(st.sampled_from(managers), label="viewer")
    return data.draw(st.sampled_from(world.people), label="viewer")


def answer(world: World, patterns: dict[int, tuple]) -> None:
    """Submits every assessment and rating that has a pattern, on a day the round was open."""
    day = world.round.opens_on
    observable = set(
        Indicator.objects.filter(pk__in=world.indicators, observable=True).values_list(
            "pk", flat=True
        )
    )
    for assessment in world.assessments:
        if isinstance(assessment, Slot) and assessment.pk in patterns:
            choices = answers_of(patterns[assessment.pk], world.indicators)
            feedback_save(
                round_=world.round,
                team=Team.objects.get(pk=assessment.team_id),
                assessor=User.objects.get(pk=assessment.assessor_id),
                choices={pk: c for pk, c in choices.items() if pk in observable},
                remark="",
                submit=True,
                today=day,
            )
        elif assessment.pk in patterns:
            assessment_submit(
                assessment=assessment,
                answers=Answers(choices=answers_of(patterns[assessment.pk], world.indicators)),
                today=day,
            )
    # Times are not answers: the same in every world.
    Assessment.objects.filter(round=world.round).update(submitted_at=NOW, updated_at=NOW)
    Feedback.objects.filter(round=world.round).update(submitted_at=NOW)
    world.feedback_slot = {
        (team, assessor): next(
            s.pk
            for s in world.assessments
            if isinstance(s, Slot) and (s.team_id, s.assessor_id) == (team, assessor)
        )
        for team, assessor in Feedback.objects.filter(round=world.round).values_list(
            "team_id", "assessor_id"
        )
    }


# --- Who may read what -------------------------------------------------------------------


def manages(viewer, team_id) -> bool:
    return Membership.objects.filter(person=viewer, team_id=team_id, role="manager").exists()


def may_read(viewer, assessment: Assessment, submitted: set[int]) -> bool:
    """May the viewer read this answer one by one (PRODUCT.md, Confidentiality)?"""
    round_ = assessment.round
    if assessment.assessor_id == viewer.pk:
        return True
    if assessment.perspective == "internal":
        return False  # anonymous: only the internal customer themselves
    if assessment.subject_id == viewer.pk:
        if assessment.perspective == "self":
            return True
        # A manager's rating of them: once they submitted their own, or the round closed.
        own = Assessment.objects.get(round=round_, subject=viewer, perspective="self")
        return round_.is_closed() or own.pk in submitted
    if not round_.is_attributed:
        return False
    return viewer.is_staff or manages(viewer, assessment.team_id)


# --- Reading -----------------------------------------------------------------------------


def urls_for(world: World) -> list[str]:
    r = world.round.pk
    urls = ["/", "/model/"]
    urls += [f"/rounds/{r}/people/{p.pk}/" for p in world.people]
    for perspective in ("self", "manager"):
        q = f"?round={r}&perspective={perspective}"
        for team in world.teams:
            urls += [
                f"/teams/{team.pk}/{q}",
                f"/teams/{team.pk}/export.csv{q}",
                f"/teams/{team.pk}/export.xlsx{q}",
                f"/teams/{team.pk}/people.csv{q}",
            ]
        for d in ["", *[f"&department={d.pk}" for d in world.departments]]:
            urls += [f"/organisation/{q}{d}", f"/organisation/export.csv{q}{d}"]
            urls += [f"/organisation/people.csv{q}{d}"]
    return urls


def crawl(client: Client, world: World) -> dict[str, tuple[int, bytes]]:
    """Every page the viewer can type or click to, with what it shows."""
    seen: dict[str, tuple[int, bytes]] = {}
    queue = urls_for(world)
    while queue and len(seen) < 400:
        url = queue.pop(0).replace("&amp;", "&")
        if url in seen:
            continue
        response = client.get(url)
        body = content(response)
        seen[url] = (response.status_code, body)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            queue += [link for link in LINK.findall(body.decode()) if link not in seen]
    return seen


def in_each_world(client, world, worlds) -> list[dict]:
    pages = []
    for patterns in worlds:
        with transaction.atomic():
            answer(world, patterns)
            pages.append(crawl(client, world))
            transaction.set_rollback(True)
    return pages


def assert_same(first: dict, second: dict) -> None:
    differing = [url for url in first if first[url] != second.get(url)]
    assert not differing, differing[:5]


def logged_in(viewer) -> Client:
    client = Client()
    client.force_login(viewer)
    return client


# --- 1. Open rounds ----------------------------------------------------------------------


@EXAMPLES
@given(data=st.data())
def test_while_a_round_is_open_no_page_depends_on_an_answer_the_viewer_may_not_read(
    data, framework
):
    with transaction.atomic():
        world = build(data, framework)
        Round.objects.filter(pk=world.round.pk).update(
            closes_on=timezone.localdate() + datetime.timedelta(days=5)
        )
        world.round.refresh_from_db()
        viewer = draw_viewer(data, world)
        submitted = set(world.patterns)
        hidden = [
            a for a in world.assessments if a.pk in submitted and not may_read(viewer, a, submitted)
        ]
        if hidden:
            target = data.draw(st.sampled_from(hidden), label="target")
            other = data.draw(pattern_strategy(world.pool), label="other answers")
            first, second = in_each_world(
                logged_in(viewer),
                world,
                [world.patterns, {**world.patterns, target.pk: other}],
            )
            assert_same(first, second)
        transaction.set_rollback(True)


# --- 2. Closed rounds: nothing is attributed ----------------------------------------------


@EXAMPLES
@given(data=st.data())
def test_once_closed_swapping_two_peoples_answers_within_a_team_changes_no_page(data, framework):
    with transaction.atomic():
        world = build(data, framework)
        Round.objects.filter(pk=world.round.pk).update(closes_on=world.round.opens_on)
        world.round.refresh_from_db()
        viewer = draw_viewer(data, world)
        submitted = set(world.patterns)
        pairs = [
            (a, b)
            for a in world.assessments
            for b in world.assessments
            if a.pk < b.pk
            and {a.pk, b.pk} <= submitted
            and (a.team_id, a.perspective) == (b.team_id, b.perspective)
            and not may_read(viewer, a, submitted)
            and not may_read(viewer, b, submitted)
            and world.patterns[a.pk] != world.patterns[b.pk]
        ]
        if pairs:
            a, b = data.draw(st.sampled_from(pairs), label="pair")
            swapped = {**world.patterns, a.pk: world.patterns[b.pk], b.pk: world.patterns[a.pk]}
            first, second = in_each_world(logged_in(viewer), world, [world.patterns, swapped])
            assert_same(first, second)
        transaction.set_rollback(True)


# --- 3. Closed rounds: every figure shown rests on k answers, with nothing smaller derivable


FIGURE = re.compile(
    r'data-figure="r(?P<round>\d+)\.(?P<group>[tdo]\d*)\.(?P<perspective>\w+)\.'
    r'(?P<measure>people|[li]\d+)(?:\.(?P<part>target|mean|l\d))?"'
    r'(?: data-n="(?P<n>\d+)")?(?: data-value="(?P<value>[-\d.]+)")?'
)


@dataclass(frozen=True)
class Shown:
    group: str
    perspective: str
    measure: str
    part: str | None
    n: int
    value: Decimal


def shown_figures(pages: dict) -> set[Shown]:
    found = set()
    for status, body in pages.values():
        if status != 200 or body[:1] != b"<":
            continue
        for match in FIGURE.finditer(body.decode()):
            if match["value"] is None:
                continue  # withheld, or no answers at all
            found.add(
                Shown(
                    match["group"],
                    match["perspective"],
                    match["measure"],
                    match["part"],
                    int(match["n"]),
                    Decimal(match["value"]),
                )
            )
    return found


def teams_of(world: World, group: str) -> set[int]:
    if group == "o":
        return {t.pk for t in world.teams}
    if group.startswith("t"):
        return {int(group[1:])}
    department = int(group[1:])
    below = {department}
    for _ in range(3):
        below |= {d.pk for d in world.departments if d.parent_id in below}
    return {t.pk for t in world.teams if t.department_id in below}


def expected(world: World, figure: Shown) -> tuple[set[int], Decimal | None]:
    """The answers a figure rests on, and its value, computed from the answers themselves."""
    if figure.perspective == "internal":
        return expected_internal(world, figure)
    submitted = Assessment.objects.filter(
        round=world.round,
        team__in=teams_of(world, figure.group),
        perspective=figure.perspective,
        status="submitted",
    )
    if figure.measure == "people":
        rows = list(submitted.values_list("pk", "attained_level", "team__target_level"))
        ids = {pk for pk, _, _ in rows}
        if figure.part == "target":
            value = Decimal(sum(1 for _, level, target in rows if level >= target)) / len(rows)
        elif figure.part == "mean":
            value = Decimal(sum(level for _, level, _ in rows)) / len(rows)
        else:
            value = Decimal(sum(1 for _, level, _ in rows if level == int(figure.part[1:])))
        return ids, value
    if figure.measure.startswith("l"):
        rows = list(
            LevelResult.objects.filter(
                assessment__in=submitted, level_id=int(figure.measure[1:]), score__isnull=False
            ).values_list("assessment_id", "score")
        )
    else:
        rows = list(
            Rating.objects.filter(
                assessment__in=submitted, indicator_id=int(figure.measure[1:]), value__isnull=False
            ).values_list("assessment_id", "value")
        )
    return {pk for pk, _ in rows}, Decimal(sum(v for _, v in rows)) / len(rows)


def expected_internal(world: World, figure: Shown) -> tuple[set[int], Decimal | None]:
    """An internal customers' figure: per behaviour, over those who rated it; per level, the
    mean of each customer's own mean of the level's behaviours they rated."""
    answers = InternalAnswer.objects.filter(
        feedback__round=world.round,
        feedback__team__in=teams_of(world, figure.group),
        feedback__status="submitted",
        value__isnull=False,
    )
    slot = world.feedback_slot
    if figure.measure.startswith("i"):
        rows = answers.filter(indicator_id=int(figure.measure[1:])).values_list(
            "feedback__team_id", "feedback__assessor_id", "value"
        )
        values = {slot[(t, a)]: Decimal(v) for t, a, v in rows}
    else:
        per_customer: dict[int, list[int]] = defaultdict(list)
        for t, a, v in answers.filter(indicator__level_id=int(figure.measure[1:])).values_list(
            "feedback__team_id", "feedback__assessor_id", "value"
        ):
            per_customer[slot[(t, a)]].append(v)
        # Each customer's level mean is kept to two decimals, as a person's level score is.
        values = {
            k: (Decimal(sum(v)) / len(v)).quantize(Decimal("0.01")) for k, v in per_customer.items()
        }
    return set(values), sum(values.values()) / len(values)


@EXAMPLES
@given(data=st.data())
def test_once_closed_every_figure_shown_rests_on_k_answers_and_isolates_no_fewer(data, framework):
    with transaction.atomic():
        world = build(data, framework)
        Round.objects.filter(pk=world.round.pk).update(closes_on=world.round.opens_on)
        world.round.refresh_from_db()
        viewer = draw_viewer(data, world)
        answer(world, world.patterns)
        pages = crawl(logged_in(viewer), world)
        submitted = set(world.patterns)
        readable = {
            a.pk for a in world.assessments if a.pk in submitted and may_read(viewer, a, submitted)
        }
        # What the viewer reads one by one, except their own answers: with exactly k answers
        # a respondent knows the sum of the others, the rule's known limit (SECURITY.md).
        known = {
            a.pk
            for a in world.assessments
            if a.pk in readable and viewer.pk not in (a.subject_id, a.assessor_id)
        }
        figures = shown_figures(pages)
        sets: dict[tuple, set[frozenset]] = defaultdict(set)
        for figure in figures:
            answers, value = expected(world, figure)
            assert figure.n == len(answers), figure
            assert abs(figure.value - value) < Decimal("0.0001"), (figure, value)
            if answers <= readable:
                continue
            assert len(answers) >= world.k, (figure, len(answers))
            sets[(figure.perspective, figure.measure)].add(frozenset(answers))
        for measure, groups in sets.items():
            for group in groups:
                # Everything shown below it (figures over subsets), and what the viewer reads.
                covered = set().union(*(g for g in groups if g < group)) | known
                rest = group - covered
                assert len(rest) == 0 or len(rest) >= world.k, (measure, len(rest))
        transaction.set_rollback(True)
