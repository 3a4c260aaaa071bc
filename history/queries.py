"""One person's own results over the rounds: the attained level and the level scores, their
own and (once revealed) their managers', scored as the result page scores them.

A fixed number of queries, whatever the number of rounds: the person's submitted
assessments, their ratings, and the levels of the frameworks those rounds used.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch
from django.utils import timezone

from assessments import scoring
from assessments.models import Assessment, Indicator, Level, Rating, Round
from assessments.results import manager_rating_revealed

SELF = Assessment.Perspective.SELF
MANAGER = Assessment.Perspective.MANAGER


@dataclass
class RoundLine:
    """One round of the person's history: a profile per perspective they may read."""

    round: Round
    levels: list[Level]  # the levels the round asked
    own: scoring.Profile | None = None
    manager: scoring.Profile | None = None
    manager_hidden: bool = False

    def cells(self, profile: scoring.Profile | None) -> list[tuple[Level, Decimal | None]]:
        """(level, score) for each level the round asked."""
        scores = {o.number: o.score for o in profile.levels} if profile else {}
        return [(level, scores.get(level.number)) for level in self.levels]

    @property
    def own_cells(self) -> list[tuple[Level, Decimal | None]]:
        return self.cells(self.own)

    @property
    def manager_cells(self) -> list[tuple[Level, Decimal | None]]:
        return self.cells(self.manager)


@dataclass
class History:
    lines: list[RoundLine] = field(default_factory=list)  # oldest first
    top_level: int = 5  # the highest level of the frameworks used

    def chart_data(self, own_label: str, manager_label: str) -> dict:
        """The attained level over the rounds, per perspective (None where unknown)."""
        return {
            "labels": [line.round.name for line in self.lines],
            "datasets": [
                {
                    "label": own_label,
                    "data": [line.own.attained if line.own else None for line in self.lines],
                },
                {
                    "label": manager_label,
                    "data": [
                        line.manager.attained if line.manager else None for line in self.lines
                    ],
                },
            ],
            "max": self.top_level,
        }


def _mean(values: list[int]) -> Decimal | None:
    return Decimal(sum(values)) / len(values) if values else None


def person_history(*, person: AbstractBaseUser, today: datetime.date | None = None) -> History:
    today = today or timezone.localdate()
    submitted = list(
        Assessment.objects.filter(subject=person, status=Assessment.Status.SUBMITTED)
        .select_related("round__framework")
        .order_by("round__opens_on", "round_id")
    )
    own_rounds = {a.round_id for a in submitted if a.perspective == SELF}
    readable = [
        a
        for a in submitted
        if a.perspective == SELF
        or manager_rating_revealed(a.round, own_submitted=a.round_id in own_rounds, today=today)
    ]
    readable_ids = {a.pk for a in readable}
    values: dict[tuple[int, str], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    perspective_of = {a.pk: (a.round_id, a.perspective) for a in readable}
    for assessment_id, indicator_id, value in Rating.objects.filter(
        assessment__in=[a.pk for a in readable], value__isnull=False
    ).values_list("assessment_id", "indicator_id", "value"):
        values[perspective_of[assessment_id]][indicator_id].append(value)

    frameworks = {a.round.framework_id for a in submitted}
    levels_of: dict[int, list[Level]] = defaultdict(list)
    for level in (
        Level.objects.filter(framework__in=frameworks)
        .order_by("framework", "number")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("position")))
    ):
        levels_of[level.framework_id].append(level)

    lines: dict[int, RoundLine] = {}
    for assessment in submitted:
        round_ = assessment.round
        levels = levels_of[round_.framework_id]
        asked = set(round_.asked_levels) or {level.number for level in levels}
        line = lines.setdefault(
            round_.pk,
            RoundLine(round=round_, levels=[lv for lv in levels if lv.number in asked]),
        )
        if assessment.pk not in readable_ids:
            line.manager_hidden = True
            continue
        if assessment.perspective == SELF and line.own is None:
            line.own = _profile(round_, levels, asked, values[(round_.pk, SELF)])
        elif assessment.perspective == MANAGER and line.manager is None:
            line.manager = _profile(round_, levels, asked, values[(round_.pk, MANAGER)])
    top = max((level.number for levels in levels_of.values() for level in levels), default=5)
    return History(lines=list(lines.values()), top_level=top)


def _profile(
    round_: Round, levels: list[Level], asked: set[int], values: dict[int, list[int]]
) -> scoring.Profile:
    """As the result page scores it: several managers' ratings are averaged per behaviour."""
    framework = round_.framework
    return scoring.profile(
        [
            [_mean(values.get(i.pk, [])) for i in level.indicators.all()]
            if level.number in asked
            else None
            for level in levels
        ],
        threshold=framework.mastery_threshold,
        min_rated_share=framework.min_rated_share,
    )
