"""Each member's own answers, for those who may read them one by one (see `confidentiality`).

One query for a page of members and one for their ratings, whatever the team's size; the
export streams its rows straight from the database.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Avg, QuerySet

from assessments.models import Assessment, Indicator, Rating, Round

User = get_user_model()
MEMBERS_PER_PAGE = 50


def _subjects(round_: Round, team_ids: list[int], perspective: str) -> QuerySet:
    return (
        User.objects.filter(
            assessments_received__round=round_,
            assessments_received__team_id__in=team_ids,
            assessments_received__perspective=perspective,
            assessments_received__status=Assessment.Status.SUBMITTED,
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
        .only("pk", "first_name", "last_name", "username")
    )


def heatmap_page(
    round_: Round, team_ids: list[int], perspective: str, indicators: list[Indicator], number
) -> Page:
    """A page of members with their rating per behaviour (the mean, where several managers
    rated them), in the order of `indicators`; None where not rated."""
    page = Paginator(_subjects(round_, team_ids, perspective), MEMBERS_PER_PAGE).get_page(number)
    people = list(page.object_list)
    values: dict[tuple[int, int], float | None] = {
        (row["assessment__subject_id"], row["indicator_id"]): row["value"]
        for row in Rating.objects.filter(
            assessment__round=round_,
            assessment__team_id__in=team_ids,
            assessment__perspective=perspective,
            assessment__status=Assessment.Status.SUBMITTED,
            assessment__subject__in=[p.pk for p in people],
        )
        .values("assessment__subject_id", "indicator_id")
        .annotate(value=Avg("value"))
        .order_by()
    }
    page.object_list = [
        (person, [values.get((person.pk, i.pk)) for i in indicators]) for person in people
    ]
    return page


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
