"""Each member's own answers, for those who may read them one by one (see `confidentiality`):
who needs what, and the members × behaviours heatmap.

Three queries for a page of members (the page, their assessments, their ratings) and none
per member; the export streams its rows straight from the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from assessments import scoring
from assessments.models import Assessment, Indicator, Rating, Round

User = get_user_model()
MEMBERS_PER_PAGE = 50
SELF, MANAGER = Assessment.Perspective.SELF, Assessment.Perspective.MANAGER


@dataclass
class Standing:
    """Where a member stands in one perspective: submitted or not, and if so, their level,
    the level that holds them back and its weakest behaviours."""

    submitted: bool
    attained: int | None = None
    bottleneck: int | None = None
    points: list[Indicator] = field(default_factory=list)


@dataclass
class Member:
    person: object
    self: Standing | None
    manager: Standing | None
    values: list[Decimal | int | None]  # the heatmap's row, in the chosen perspective
    rated: bool = False  # submitted in the chosen perspective: a row of the heatmap

    @property
    def focus(self) -> Standing | None:
        """The perspective that says what to work on: the manager's once submitted."""
        if self.manager is not None and self.manager.submitted:
            return self.manager
        if self.self is not None and self.self.submitted:
            return self.self
        return None


def _subjects(round_: Round, team_ids: list[int]) -> QuerySet:
    return (
        User.objects.filter(
            assessments_received__round=round_, assessments_received__team_id__in=team_ids
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
        .only("pk", "first_name", "last_name", "username")
    )


def member_page(
    round_: Round, team_ids: list[int], perspective: str, indicators: list[Indicator], number
) -> Page:
    """A page of the members, each with where they stand (self and manager) and their
    ratings in `perspective`, in the order of `indicators`.

    A published round's answers never change (nobody can change an answer after the close),
    so its pages are kept in each process; do not change what it returns."""
    if round_.is_closed() and hasattr(round_, "publication"):
        publication = round_.publication
        version = (publication.pk, publication.published_at)
        return _published_member_page(
            version, round_, tuple(team_ids), perspective, tuple(indicators), number
        )
    return _member_page(round_, team_ids, perspective, indicators, number)


@lru_cache(maxsize=256)
def _published_member_page(version, round_, team_ids, perspective, indicators, number) -> Page:
    return _member_page(round_, list(team_ids), perspective, list(indicators), number)


def _member_page(
    round_: Round, team_ids: list[int], perspective: str, indicators: list[Indicator], number
) -> Page:
    page = Paginator(_subjects(round_, team_ids), MEMBERS_PER_PAGE).get_page(number)
    people = list(page.object_list)
    assessments = list(
        Assessment.objects.filter(
            round=round_, team_id__in=team_ids, subject__in=[p.pk for p in people]
        ).values_list("pk", "subject_id", "perspective", "status")
    )
    submitted = [pk for pk, _, _, status in assessments if status == Assessment.Status.SUBMITTED]
    values: dict[tuple[int, str], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    owner = {pk: (subject, p) for pk, subject, p, _ in assessments}
    for assessment, indicator, value in Rating.objects.filter(
        assessment__in=submitted, value__isnull=False
    ).values_list("assessment_id", "indicator_id", "value"):
        values[owner[assessment]][indicator].append(value)

    status: dict[tuple[int, str], bool] = {}
    for _, subject, p, state in assessments:
        key = (subject, p)
        status[key] = status.get(key, False) or state == Assessment.Status.SUBMITTED
    levels: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        levels[indicator.level.number].append(indicator)
    framework = round_.framework
    numbers = (
        sorted(levels)
        if round_.asks_every_level
        else sorted(framework.levels.values_list("number", flat=True))
    )

    def standing(subject: int, p: str) -> Standing | None:
        if (subject, p) not in status:
            return None
        if not status[(subject, p)]:
            return Standing(submitted=False)
        means = {i: _mean(v) for i, v in values[(subject, p)].items()}
        # `levels` holds the asked levels only: a level the round did not ask is unknown.
        profile = scoring.profile(
            [[means.get(i.pk) for i in levels[n]] if n in levels else None for n in numbers],
            threshold=framework.mastery_threshold,
            min_rated_share=framework.min_rated_share,
        )
        points = []
        if profile.bottleneck:
            weakest = levels[profile.bottleneck]
            chosen = scoring.development_points(
                {i.pk: means.get(i.pk) for i in weakest}, below=framework.mastery_threshold
            )
            points = [i for i in weakest if i.pk in chosen]
            points.sort(key=lambda i: chosen.index(i.pk))
        return Standing(True, profile.attained, profile.bottleneck, points)

    page.object_list = [
        Member(
            person=person,
            self=standing(person.pk, SELF),
            manager=standing(person.pk, MANAGER) if round_.is_attributed else None,
            values=[_mean(values[(person.pk, perspective)].get(i.pk, [])) for i in indicators],
            rated=status.get((person.pk, perspective), False),
        )
        for person in people
    ]
    return page


def _mean(values: list[int]) -> Decimal | int | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return Decimal(sum(values)) / len(values)


def rows(
    round_: Round, team_ids: list[int], perspective: str, indicators: list[Indicator]
) -> Iterator[list]:
    """Per submitted assessment: the member, their team, who rated, the attained level and the
    rating per behaviour; streamed from one ordered query."""
    position = {indicator.pk: index for index, indicator in enumerate(indicators)}
    ratings = (
        Rating.objects.filter(
            assessment__round=round_,
            assessment__team_id__in=team_ids,
            assessment__perspective=perspective,
            assessment__status=Assessment.Status.SUBMITTED,
        )
        .order_by(
            "assessment__subject__last_name", "assessment__subject__first_name", "assessment_id"
        )
        .values_list(
            "assessment_id",
            "assessment__subject__username",
            "assessment__subject__first_name",
            "assessment__subject__last_name",
            "assessment__team__name",
            "assessment__assessor__username",
            "assessment__attained_level",
            "indicator_id",
            "value",
        )
        .iterator(chunk_size=5000)
    )
    current, row = None, None
    for assessment, username, first, last, team, assessor, attained, indicator, value in ratings:
        if assessment != current:
            if row is not None:
                yield row
            current = assessment
            name = f"{first} {last}".strip()
            row = [username, name, team, assessor, attained, *[None] * len(indicators)]
        if indicator in position:
            row[5 + position[indicator]] = value
    if row is not None:
        yield row
