"""One person's result in one round: the perspectives side by side, scored by `scoring`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from . import scoring
from .models import Assessment, Indicator, Level, Rating, ReflectionAnswer, Round

Value = Decimal | int | None


@dataclass
class Perspective:
    key: str
    label: str
    values: dict[int, Value]
    examples: dict[int, str]
    profile: scoring.Profile | None = None
    development_points: list[Indicator] = field(default_factory=list)


@dataclass
class IndicatorRow:
    indicator: Indicator
    values: list[Value]
    examples: list[str]
    gap: Value
    flagged: bool


@dataclass
class LevelRow:
    level: Level
    scores: list[Value]
    met: list[bool]
    gap: Value
    indicators: list[IndicatorRow]

    @property
    def cells(self) -> list[tuple[Value, bool]]:
        return list(zip(self.scores, self.met, strict=True))


@dataclass
class Result:
    round: Round
    subject: AbstractBaseUser
    perspectives: list[Perspective]
    levels: list[LevelRow]
    reflections: list[ReflectionAnswer]
    manager_hidden: bool
    has_gap: bool

    def chart_data(self) -> dict:
        return {
            "labels": [f"{row.level.number}. {row.level.name}" for row in self.levels],
            "threshold": float(self.round.framework.mastery_threshold),
            "max": max(o.value for o in self.round.framework.scale.all()),
            "datasets": [
                {
                    "label": p.label,
                    "data": [
                        None if row.scores[i] is None else round(float(row.scores[i]), 2)
                        for row in self.levels
                    ],
                }
                for i, p in enumerate(self.perspectives)
            ],
            "thresholdLabel": _("mastery threshold"),
        }


def _mean(values: list[int]) -> Decimal | None:
    return Decimal(sum(values)) / len(values) if values else None


def manager_rating_revealed(round_: Round, *, own_submitted: bool, today=None) -> bool:
    """Whether a person may read their managers' rating of them in this round: once they have
    submitted their own self-assessment, or once the round has closed. A pulse round has no
    managers' rating."""
    return round_.is_attributed and (
        own_submitted or round_.is_closed(today or timezone.localdate())
    )


def person_result(*, round_: Round, subject: AbstractBaseUser, viewer: AbstractBaseUser) -> Result:
    """The submitted assessments of the subject in the round that the viewer may see.

    The subject sees their managers' ratings once they have submitted their own, or once the
    round has closed; managers and HR see both perspectives as soon as each is submitted.
    """
    framework = round_.framework
    submitted = list(
        Assessment.objects.filter(
            round=round_, subject=subject, status=Assessment.Status.SUBMITTED
        ).select_related("assessor")
    )
    own = next((a for a in submitted if a.perspective == Assessment.Perspective.SELF), None)
    managers = [a for a in submitted if a.perspective == Assessment.Perspective.MANAGER]
    manager_hidden = False
    if (
        viewer.pk == subject.pk
        and managers
        and not manager_rating_revealed(round_, own_submitted=own is not None)
    ):
        managers, manager_hidden = [], True
    if not round_.is_attributed:
        managers = []

    ratings: dict[int, list[Rating]] = defaultdict(list)
    for rating in Rating.objects.filter(assessment__in=[*([own] if own else []), *managers]):
        ratings[rating.assessment_id].append(rating)

    perspectives: list[Perspective] = []
    if own:
        perspectives.append(
            Perspective(
                key="self",
                label=_("Self"),
                values={r.indicator_id: r.value for r in ratings[own.pk]},
                examples={r.indicator_id: r.example for r in ratings[own.pk] if r.example},
            )
        )
    if managers:
        per_indicator: dict[int, list[int]] = defaultdict(list)
        examples: dict[int, str] = {}
        for assessment in managers:
            for r in ratings[assessment.pk]:
                if r.value is not None:
                    per_indicator[r.indicator_id].append(r.value)
                if r.example:
                    examples[r.indicator_id] = r.example
        names = ", ".join(a.assessor.get_full_name() or a.assessor.username for a in managers)
        perspectives.append(
            Perspective(
                key="manager",
                label=_("Manager (%(names)s)") % {"names": names},
                values={i: _mean(v) for i, v in per_indicator.items()},
                examples=examples,
            )
        )

    levels = list(
        framework.levels.prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position"))
        )
    )
    # A round that asks some levels only: the others are unknown, and not shown.
    asked = set(round_.asked_levels) or {level.number for level in levels}
    for p in perspectives:
        p.profile = scoring.profile(
            [
                [p.values.get(i.pk) for i in level.indicators.all()]
                if level.number in asked
                else None
                for level in levels
            ],
            threshold=framework.mastery_threshold,
            min_rated_share=framework.min_rated_share,
        )
        if p.profile.bottleneck:
            bottleneck = levels[p.profile.bottleneck - 1]
            indicators = {i.pk: i for i in bottleneck.indicators.all()}
            points = scoring.development_points({pk: p.values.get(pk) for pk in indicators})
            p.development_points = [indicators[pk] for pk in points]

    both = len(perspectives) == 2
    rows = []
    has_gap = False
    for index, level in enumerate(levels):
        if level.number not in asked:
            continue
        indicator_rows = []
        for indicator in level.indicators.all():
            values = [p.values.get(indicator.pk) for p in perspectives]
            gap = scoring.gap(values[0], values[1]) if both else None
            flagged = scoring.is_conversation_topic(gap)
            has_gap = has_gap or flagged
            indicator_rows.append(
                IndicatorRow(
                    indicator=indicator,
                    values=values,
                    examples=[p.examples.get(indicator.pk, "") for p in perspectives],
                    gap=gap,
                    flagged=flagged,
                )
            )
        scores = [p.profile.levels[index].score for p in perspectives]
        rows.append(
            LevelRow(
                level=level,
                scores=scores,
                met=[p.profile.levels[index].met for p in perspectives],
                gap=scoring.score_gap(scores[0], scores[1]) if both else None,
                indicators=indicator_rows,
            )
        )

    reflections = (
        list(
            ReflectionAnswer.objects.filter(assessment=own)
            .exclude(text="")
            .select_related("question")
            .order_by("question__position")
        )
        if own
        else []
    )
    return Result(
        round=round_,
        subject=subject,
        perspectives=perspectives,
        levels=rows,
        reflections=reflections,
        manager_hidden=manager_hidden,
        has_gap=has_gap,
    )
