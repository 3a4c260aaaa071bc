"""One person's result in one round: the perspectives side by side, scored by `scoring`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import scoring
from .models import Assessment, Indicator, Level, Rating, ReflectionAnswer, Round, Team

Value = Decimal | int | None


@dataclass
class Example:
    """An example from practice, with whose it is: "Self" or the manager's name."""

    author: str
    text: str


@dataclass
class Outcome:
    """One level in one perspective, with the plain words for why it is not met."""

    perspective: str  # its label
    score: Value
    met: bool
    reasons: list[str]


@dataclass
class Perspective:
    key: str
    label: str
    values: dict[int, Value]
    examples: dict[int, list[Example]]
    profile: scoring.Profile | None = None
    development_points: list[Indicator] = field(default_factory=list)
    # The level that holds this perspective back, and why, in words.
    bottleneck: Level | None = None
    bottleneck_reasons: list[str] = field(default_factory=list)
    # Why no development point is suggested although a level is not met ("" if some are).
    no_points_reason: str = ""


@dataclass
class IndicatorRow:
    indicator: Indicator
    values: list[Value]
    examples: list[Example]
    gap: Value
    flagged: bool
    labels: list[str] = field(default_factory=list)  # the perspectives of `values`

    @property
    def cells(self) -> list[tuple[str, Value]]:
        return list(zip(self.labels, self.values, strict=True))


@dataclass
class LevelRow:
    level: Level
    outcomes: list[Outcome]
    gap: Value
    indicators: list[IndicatorRow]

    @property
    def scores(self) -> list[Value]:
        return [o.score for o in self.outcomes]

    @property
    def met(self) -> list[bool]:
        return [o.met for o in self.outcomes]


@dataclass
class Result:
    round: Round
    subject: AbstractBaseUser
    perspectives: list[Perspective]
    levels: list[LevelRow]
    reflections: list[ReflectionAnswer]
    manager_hidden: bool
    has_gap: bool
    # The target of the team the assessment was made in (None when nothing is submitted).
    team: Team | None = None
    target_level: int | None = None

    @property
    def columns(self) -> int:
        """Columns of the per-behaviour table: the behaviour, each perspective, the gap."""
        return 1 + len(self.perspectives) + (1 if len(self.perspectives) == 2 else 0)

    @property
    def threshold(self) -> Decimal:
        return self.round.framework.mastery_threshold

    @property
    def threshold_text(self) -> str:
        return decimal_text(self.threshold)

    @property
    def min_rated_percent(self) -> int:
        return int(self.round.framework.min_rated_share * 100)

    def chart_data(self) -> dict:
        return {
            "labels": [f"{row.level.number}. {row.level.name}" for row in self.levels],
            # On a phone the names do not fit beside the bars: the table below has them.
            "shortLabels": [
                _("Level %(number)s") % {"number": row.level.number} for row in self.levels
            ],
            "threshold": float(self.threshold),
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
            "thresholdLabel": _("needed to meet a level"),
        }


def _mean(values: list[int]) -> Decimal | None:
    return Decimal(sum(values)) / len(values) if values else None


def decimal_text(value: Decimal, *, below: Decimal | None = None) -> str:
    """A score in the reader's notation, rounded to two decimals as in the tables, with one
    where that says it all (3,8, not 3,80). A score `below` a threshold is cut off instead
    where rounding would reach it: 3,996 reads 3,99 against 4,0, never 4,00."""
    value = Decimal(value)
    shown = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if below is not None and value < below <= shown:
        shown = value.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    places = 1 if shown == shown.quantize(Decimal("0.1")) else 2
    return number_format(shown, decimal_pos=places)


def why_not_met(outcome: scoring.LevelOutcome) -> list[str]:
    """scoring's shortfalls of a level, in words: "mean 3,8 < 4,0", "2 of 5 rated…"."""
    reasons = []
    if scoring.Shortfall.TOO_FEW_RATED in outcome.shortfalls:
        reasons.append(
            ngettext(
                "%(rated)s of %(total)s behaviour rated, at least %(needed)s needed",
                "%(rated)s of %(total)s behaviours rated, at least %(needed)s needed",
                outcome.total,
            )
            % {"rated": outcome.rated, "total": outcome.total, "needed": outcome.needed}
        )
    if scoring.Shortfall.BELOW_THRESHOLD in outcome.shortfalls:
        reasons.append(
            _("mean %(score)s < %(threshold)s")
            % {
                "score": decimal_text(outcome.score, below=outcome.threshold),
                "threshold": decimal_text(outcome.threshold),
            }
        )
    return reasons


def _no_points_reason(outcome: scoring.LevelOutcome) -> str:
    # Points are the rated behaviours under the threshold; a level that falls short has some
    # unless it falls short only for lack of ratings.
    if outcome.rated == 0:
        return _(
            "None of the behaviours of this level was rated, so nothing is known yet about "
            "what to work on."
        )
    return _(
        "Every behaviour of this level that was rated reaches %(threshold)s already; too few "
        "were rated to say what to work on."
    ) % {"threshold": decimal_text(outcome.threshold)}


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
        ).select_related("assessor", "team")
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
                examples={
                    r.indicator_id: [Example(author=_("Self"), text=r.example)]
                    for r in ratings[own.pk]
                    if r.example
                },
            )
        )
    if managers:
        per_indicator: dict[int, list[int]] = defaultdict(list)
        examples: dict[int, list[Example]] = defaultdict(list)
        for assessment in managers:
            name = assessment.assessor.get_full_name() or assessment.assessor.username
            for r in ratings[assessment.pk]:
                if r.value is not None:
                    per_indicator[r.indicator_id].append(r.value)
                if r.example:
                    examples[r.indicator_id].append(Example(author=name, text=r.example))
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
            p.bottleneck = levels[p.profile.bottleneck - 1]
            outcome = p.profile.levels[p.profile.bottleneck - 1]
            p.bottleneck_reasons = why_not_met(outcome)
            indicators = {i.pk: i for i in p.bottleneck.indicators.all()}
            points = scoring.development_points(
                {pk: p.values.get(pk) for pk in indicators}, below=framework.mastery_threshold
            )
            p.development_points = [indicators[pk] for pk in points]
            if not points:
                p.no_points_reason = _no_points_reason(outcome)

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
                    examples=[e for p in perspectives for e in p.examples.get(indicator.pk, [])],
                    gap=gap,
                    flagged=flagged,
                    labels=[p.label for p in perspectives],
                )
            )
        outcomes = [
            Outcome(
                perspective=p.label,
                score=p.profile.levels[index].score,
                met=p.profile.levels[index].met,
                reasons=why_not_met(p.profile.levels[index]),
            )
            for p in perspectives
        ]
        scores = [o.score for o in outcomes]
        rows.append(
            LevelRow(
                level=level,
                outcomes=outcomes,
                gap=scoring.score_gap(scores[0], scores[1]) if both else None,
                indicators=indicator_rows,
            )
        )

    made_in = own or next(iter(managers), None)  # the team the assessment was made in
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
        team=made_in.team if made_in else None,
        target_level=made_in.team.target_level if made_in else None,
    )
