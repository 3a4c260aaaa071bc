"""Generates a large organisation with a year of submitted monthly rounds, for benchmarks.

The default size is 10,000 people in 1,000 teams under 100 departments in 10 divisions, and
12 past monthly development rounds in which every employee rated themselves and was rated by
their manager on every indicator: about 4.5 million ratings. On PostgreSQL the rows are
streamed with COPY; elsewhere they go through bulk_create.

--extra-teams 5,50,1000 adds teams of exactly those sizes besides (people rated, each team with
a manager of its own on top), in the first department, taking part in every round like the
others: the benchmark measures the team dashboard of a small, a large and a 1,000-person team.

It refuses to run with DEBUG off unless --force is given, and refuses to run twice.
"""

from __future__ import annotations

import datetime
import io
import math
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.utils import timezone

from assessments import scoring
from assessments.models import (
    Assessment,
    Department,
    Framework,
    Indicator,
    LevelResult,
    Membership,
    Rating,
    Round,
    Team,
)

User = get_user_model()

FIRST_USERNAME = "gen000001"
DIVISIONS = 10
DEPARTMENTS = 100  # leaf departments, spread over the divisions
BATCH = 5000
NULL = "\\N"  # NULL in COPY's text format

FIRST_NAMES = ["Sanne", "Daan", "Emma", "Lucas", "Julia", "Sem", "Lotte", "Bram", "Fleur", "Koen"]
LAST_NAMES = ["de Jong", "Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "Mulder"]

# How a person's ability (in levels, 0..5) turns into ratings: an indicator of level n is
# rated around BASE + SLOPE * (ability - n + 0.5), with SPREAD scale points of noise.
BASE = 4.0
SLOPE = 1.2
SPREAD = 0.8
SELF_BIAS = 0.4  # people rate themselves a little higher than their manager does
GROWTH = 0.04  # levels per month: the organisation slowly improves
VALUES = (1, 2, 3, 4, 5)
STEPS = 4  # the mean is rounded to a quarter point to look up its distribution


def _cum_weights() -> dict[int, list[float]]:
    """For every mean on the quarter-point grid, cumulative weights of the values 1..5."""
    table = {}
    for key in range(1 * STEPS, 5 * STEPS + 1):
        mean = key / STEPS
        weights = [math.exp(-(((v - mean) / SPREAD) ** 2) / 2) for v in VALUES]
        total, cumulative = 0.0, []
        for weight in weights:
            total += weight
            cumulative.append(total)
        table[key] = cumulative
    return table


@dataclass
class Org:
    teams: list[int]  # team ids
    managers: list[int]  # the manager's user id, per team
    employees: list[list[int]]  # the employees' user ids, per team
    team_ability: list[float]
    leniency: list[float]  # the manager's bias, per team
    person_offset: dict[int, float]


@dataclass
class Spec:
    team_id: int
    subject_id: int
    assessor_id: int
    perspective: str
    submitted_at: datetime.datetime
    values: list[int]  # in indicator order
    profile: scoring.Profile


class Command(BaseCommand):
    help = (
        "Generates a large organisation with past monthly rounds and submitted assessments, "
        "for benchmarks (DEBUG only, or --force)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--teams", type=int, default=1_000)
        parser.add_argument("--rounds", type=int, default=12)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--extra-teams",
            default="",
            help=(
                "Comma-separated sizes, e.g. 5,50,1000: adds a team per size with that many "
                "members rated, plus its manager, on top of --people."
            ),
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args, people, teams, rounds, seed, force, extra_teams, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "generate_org only runs with DJANGO_DEBUG=1, or with --force: it fills the "
                "database with thousands of made-up people."
            )
        if teams < 1 or rounds < 0:
            raise CommandError("--teams must be at least 1 and --rounds at least 0.")
        if people < 2 * teams:
            raise CommandError(
                "Every team needs a manager and an employee: --people >= 2 * --teams."
            )
        extra = _sizes(extra_teams)
        if User.objects.filter(username=FIRST_USERNAME).exists():
            raise CommandError(f"The organisation is already generated ({FIRST_USERNAME} exists).")
        framework = Framework.objects.order_by("id").first()
        if framework is None:
            raise CommandError("There is no framework; run the migrations first.")
        indicators = list(
            Indicator.objects.filter(level__framework=framework)
            .order_by("level__number", "position")
            .values_list("id", "level_id", "level__number")
        )
        if not indicators:
            raise CommandError(f"The framework {framework} has no indicators.")

        started = time.monotonic()
        rng = random.Random(seed)
        with transaction.atomic():
            org = self._organisation(rng, people=people, teams=teams, extra_sizes=extra)
        self.stdout.write(
            f"Organisation: {people} people in {teams} teams ({time.monotonic() - started:.1f}s)"
        )
        if extra:
            self.stdout.write(
                f"Extra teams of {', '.join(map(str, extra))} people rated, each with a manager: "
                f"{sum(extra) + len(extra)} people more"
            )
        generator = Generator(framework, indicators, org, rng)
        today = timezone.localdate()
        first_of_month = today.replace(day=1)
        for index in range(rounds):
            tick = time.monotonic()
            opens_on = _add_months(first_of_month, index - rounds)
            closes_on = _add_months(opens_on, 1) - datetime.timedelta(days=1)
            with transaction.atomic():
                round_ = Round.objects.create(
                    name=f"Gen maandronde {opens_on:%Y-%m}",
                    framework=framework,
                    kind=Round.Kind.DEVELOPMENT,
                    opens_on=opens_on,
                    closes_on=closes_on,
                )
                round_.teams.set(org.teams)
                assessments, ratings = generator.round(round_, growth=GROWTH * index)
            reset_queries()  # with DEBUG on, Django keeps every query in memory
            self.stdout.write(
                f"Round {index + 1}/{rounds} {round_.name}: {assessments} assessments, "
                f"{ratings} ratings ({time.monotonic() - tick:.1f}s)"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Generated in {time.monotonic() - started:.1f}s."),
        )

    def _organisation(
        self,
        rng: random.Random,
        *,
        people: int,
        teams: int,
        extra_sizes: tuple[int, ...] | list[int] = (),
    ) -> Org:
        leaves = min(DEPARTMENTS, teams)
        divisions = Department.objects.bulk_create(
            Department(name=f"Gen divisie {d + 1:02d}") for d in range(min(DIVISIONS, leaves))
        )
        departments = Department.objects.bulk_create(
            Department(name=f"Gen afdeling {d + 1:03d}", parent=divisions[d % len(divisions)])
            for d in range(leaves)
        )
        team_objects = Team.objects.bulk_create(
            (
                Team(
                    name=f"Gen team {t + 1:04d}",
                    department=departments[t % leaves],
                    target_level=rng.choice((2, 3, 3, 4)),
                )
                for t in range(teams)
            ),
            batch_size=BATCH,
        )
        password = make_password(None)  # unusable, and computed once
        everyone = people + sum(extra_sizes) + len(extra_sizes)  # the extra teams' managers too
        width = max(6, len(str(everyone)))
        users = User.objects.bulk_create(
            (
                User(
                    username=f"gen{n:0{width}d}",
                    first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
                    last_name=f"{LAST_NAMES[n % len(LAST_NAMES)]} {n}",
                    email=f"gen{n:0{width}d}@example.org",
                    password=password,
                )
                for n in range(1, everyone + 1)
            ),
            batch_size=BATCH,
        )
        all_ids = _ids(users, User, "username")
        user_ids, extra_ids = all_ids[:people], all_ids[people:]

        size, extra = divmod(people, teams)
        managers, employees, memberships = [], [], []
        start = 0
        for t, team in enumerate(team_objects):
            members = user_ids[start : start + size + (1 if t < extra else 0)]
            start += len(members)
            managers.append(members[0])
            employees.append(members[1:])
            memberships.append(
                Membership(person_id=members[0], team=team, role=Membership.Role.MANAGER)
            )
            memberships.extend(
                Membership(person_id=p, team=team, role=Membership.Role.EMPLOYEE)
                for p in members[1:]
            )
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        org = Org(
            teams=[team.pk for team in team_objects],
            managers=managers,
            employees=employees,
            # Teams range from hardly past level 1 to nearly everything mastered.
            team_ability=[rng.uniform(0.5, 4.8) for _ in team_objects],
            leniency=[rng.gauss(0, 0.3) for _ in team_objects],
            person_offset={p: rng.gauss(0, 0.5) for p in user_ids},
        )
        if extra_sizes:  # drawn after the rest: the other teams come out as without them
            self._extra_teams(rng, org, departments[0], extra_sizes, extra_ids)
        return org

    def _extra_teams(
        self, rng: random.Random, org: Org, department: Department, sizes, user_ids
    ) -> None:
        """Teams of exactly `sizes` members rated, each with a manager, in `department`."""
        extra_teams = Team.objects.bulk_create(
            Team(
                name=f"Gen extra team {n + 1:02d} ({size} people)",
                department=department,
                target_level=rng.choice((2, 3, 3, 4)),
            )
            for n, size in enumerate(sizes)
        )
        memberships, start = [], 0
        for team, size in zip(extra_teams, sizes, strict=True):
            manager, members = user_ids[start], user_ids[start + 1 : start + 1 + size]
            start += 1 + size
            org.teams.append(team.pk)
            org.managers.append(manager)
            org.employees.append(members)
            org.team_ability.append(rng.uniform(0.5, 4.8))
            org.leniency.append(rng.gauss(0, 0.3))
            org.person_offset.update({p: rng.gauss(0, 0.5) for p in (manager, *members)})
            memberships.append(
                Membership(person_id=manager, team=team, role=Membership.Role.MANAGER)
            )
            memberships.extend(
                Membership(person_id=p, team=team, role=Membership.Role.EMPLOYEE) for p in members
            )
        Membership.objects.bulk_create(memberships, batch_size=BATCH)


class Generator:
    """Makes one round's assessments, ratings and level results and writes them."""

    def __init__(self, framework: Framework, indicators, org: Org, rng: random.Random):
        self.framework = framework
        self.org = org
        self.rng = rng
        self.indicator_ids = [i for i, _, _ in indicators]
        self.numbers = sorted({number for _, _, number in indicators})
        self.level_ids = {number: level_id for _, level_id, number in indicators}
        self.sizes = [sum(1 for *_, n in indicators if n == number) for number in self.numbers]
        self.cum_weights = _cum_weights()
        self.postgres = connection.vendor == "postgresql"

    def round(self, round_: Round, *, growth: float) -> tuple[int, int]:
        specs = self._specs(round_, growth)
        if self.postgres:
            self._copy(round_, specs)
        else:
            self._bulk_create(round_, specs)
        return len(specs), len(specs) * len(self.indicator_ids)

    def _specs(self, round_: Round, growth: float) -> list[Spec]:
        org, rng = self.org, self.rng
        days = (round_.closes_on - round_.opens_on).days
        specs = []
        for t, team_id in enumerate(org.teams):
            manager = org.managers[t]
            for person in org.employees[t]:
                ability = org.team_ability[t] + org.person_offset[person] + growth
                day = rng.randint(0, days)
                for perspective, assessor, bias, later in (
                    (Assessment.Perspective.SELF, person, SELF_BIAS, 0),
                    (Assessment.Perspective.MANAGER, manager, org.leniency[t], 1),
                ):
                    levels = self._ratings(ability + bias + rng.gauss(0, 0.25))
                    submitted_at = datetime.datetime.combine(
                        round_.opens_on + datetime.timedelta(days=min(days, day + later)),
                        datetime.time(7 + rng.randrange(10), rng.randrange(60)),
                        tzinfo=datetime.UTC,
                    )
                    specs.append(
                        Spec(
                            team_id=team_id,
                            subject_id=person,
                            assessor_id=assessor,
                            perspective=perspective,
                            submitted_at=submitted_at,
                            values=[v for level in levels for v in level],
                            profile=scoring.profile(
                                levels,
                                threshold=self.framework.mastery_threshold,
                                min_rated_share=self.framework.min_rated_share,
                            ),
                        )
                    )
        return specs

    def _ratings(self, ability: float) -> list[list[int]]:
        """One list of values per level, for a person of this ability."""
        levels = []
        for number, size in zip(self.numbers, self.sizes, strict=True):
            mean = BASE + SLOPE * (ability - number + 0.5)
            key = min(5 * STEPS, max(STEPS, round(mean * STEPS)))
            levels.append(self.rng.choices(VALUES, cum_weights=self.cum_weights[key], k=size))
        return levels

    def _level_rows(self, spec: Spec):
        for number, outcome in zip(self.numbers, spec.profile.levels, strict=True):
            score = None if outcome.score is None else round(outcome.score, 2)
            yield self.level_ids[number], score, outcome.rated, outcome.met

    # --- PostgreSQL: COPY, with the assessment ids taken from their sequence up front.

    def _copy(self, round_: Round, specs: list[Spec]) -> None:
        table = Assessment._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(specs)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            assessments, ratings, results = [], [], []
            for pk, spec in zip(ids, specs, strict=True):
                submitted = spec.submitted_at.isoformat()
                assessments.append(
                    f"{pk}\t{round_.pk}\t{spec.team_id}\t{spec.subject_id}\t{spec.assessor_id}\t"
                    f"{spec.perspective}\tsubmitted\t{submitted}\t{submitted}\t"
                    f"{spec.profile.attained}\n"
                )
                ratings.extend(
                    f"{pk}\t{indicator}\t{value}\tf\t\n"
                    for indicator, value in zip(self.indicator_ids, spec.values, strict=True)
                )
                results.extend(
                    f"{pk}\t{level}\t{NULL if score is None else score}\t{rated}\t"
                    f"{'t' if met else 'f'}\n"
                    for level, score, rated, met in self._level_rows(spec)
                )
            _copy_rows(
                cursor,
                Assessment,
                [
                    "id",
                    "round",
                    "team",
                    "subject",
                    "assessor",
                    "perspective",
                    "status",
                    "updated_at",
                    "submitted_at",
                    "attained_level",
                ],
                assessments,
            )
            _copy_rows(
                cursor,
                Rating,
                ["assessment", "indicator", "value", "cannot_rate", "example"],
                ratings,
            )
            _copy_rows(
                cursor, LevelResult, ["assessment", "level", "score", "rated_count", "met"], results
            )

    # --- Other databases: bulk_create.

    def _bulk_create(self, round_: Round, specs: list[Spec]) -> None:
        assessments = Assessment.objects.bulk_create(
            [
                Assessment(
                    round=round_,
                    team_id=spec.team_id,
                    subject_id=spec.subject_id,
                    assessor_id=spec.assessor_id,
                    perspective=spec.perspective,
                    status=Assessment.Status.SUBMITTED,
                    submitted_at=spec.submitted_at,
                    attained_level=spec.profile.attained,
                )
                for spec in specs
            ],
            batch_size=BATCH,
        )
        if any(a.pk is None for a in assessments):  # a database that returns no ids
            by_key = {
                (s, a): pk
                for pk, s, a in Assessment.objects.filter(round=round_).values_list(
                    "pk", "subject_id", "assessor_id"
                )
            }
            for a in assessments:
                a.pk = by_key[(a.subject_id, a.assessor_id)]
        Rating.objects.bulk_create(
            (
                Rating(assessment_id=a.pk, indicator_id=indicator, value=value)
                for a, spec in zip(assessments, specs, strict=True)
                for indicator, value in zip(self.indicator_ids, spec.values, strict=True)
            ),
            batch_size=BATCH,
        )
        LevelResult.objects.bulk_create(
            (
                LevelResult(
                    assessment_id=a.pk, level_id=level, score=score, rated_count=rated, met=met
                )
                for a, spec in zip(assessments, specs, strict=True)
                for level, score, rated, met in self._level_rows(spec)
            ),
            batch_size=BATCH,
        )


def _copy_rows(cursor, model, fields: list[str], rows: list[str]) -> None:
    """COPY tab-separated lines into the model's table, with psycopg2 or psycopg 3."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    data = "".join(rows)
    if hasattr(cursor, "copy_expert"):  # psycopg2
        cursor.copy_expert(sql, io.StringIO(data))
    else:  # psycopg 3
        with cursor.copy(sql) as copy:
            copy.write(data)


def _ids(objects, model, field: str) -> list[int]:
    """The primary keys of bulk-created objects, looked up where the database returned none."""
    if all(obj.pk is not None for obj in objects):
        return [obj.pk for obj in objects]
    keys = [getattr(obj, field) for obj in objects]
    found = dict(model.objects.filter(**{f"{field}__in": keys}).values_list(field, "pk"))
    return [found[key] for key in keys]


def _sizes(text: str) -> list[int]:
    """The sizes of --extra-teams: "5,50,1000" -> [5, 50, 1000]."""
    try:
        sizes = [int(part) for part in str(text).split(",") if part.strip()]
    except ValueError:
        raise CommandError(f"--extra-teams takes sizes such as 5,50,1000, not {text!r}.") from None
    if any(size < 1 for size in sizes):
        raise CommandError("Every --extra-teams size must be at least 1.")
    return sizes


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The first of the month `months` after (or before) the month of a first-of-month day."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)
