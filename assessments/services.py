"""Writes that span several models, each in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import scoring
from .models import (
    Assessment,
    Framework,
    Indicator,
    Level,
    LevelResult,
    Membership,
    Rating,
    ReflectionAnswer,
    ReflectionQuestion,
    Round,
    ScaleOption,
)


@transaction.atomic
def framework_new_version(*, framework: Framework) -> Framework:
    """Copies a framework with its levels, indicators, scale and questions into a new version.

    A framework that a round has used stays as it was rated; its next version can be edited.
    """
    latest = Framework.objects.filter(name_nl=framework.name_nl).aggregate(v=Max("version"))["v"]
    copy = Framework.objects.create(
        name_nl=framework.name_nl,
        name_en=framework.name_en,
        version=(latest or 0) + 1,
        previous_version=framework,
        mastery_threshold=framework.mastery_threshold,
        min_rated_share=framework.min_rated_share,
        cannot_rate_label_nl=framework.cannot_rate_label_nl,
        cannot_rate_label_en=framework.cannot_rate_label_en,
    )
    for level in framework.levels.prefetch_related("indicators"):
        new_level = Level.objects.create(
            framework=copy,
            number=level.number,
            name_nl=level.name_nl,
            name_en=level.name_en,
            description_nl=level.description_nl,
            description_en=level.description_en,
        )
        for indicator in level.indicators.all():
            Indicator.objects.create(
                level=new_level,
                position=indicator.position,
                text_nl=indicator.text_nl,
                text_en=indicator.text_en,
            )
    for option in framework.scale.all():
        ScaleOption.objects.create(
            framework=copy, value=option.value, label_nl=option.label_nl, label_en=option.label_en
        )
    for question in framework.questions.all():
        ReflectionQuestion.objects.create(
            framework=copy,
            position=question.position,
            text_nl=question.text_nl,
            text_en=question.text_en,
        )
    return copy


# --- Rounds ---------------------------------------------------------------------------------


def round_populate(*, round_: Round) -> int:
    """Creates the round's expected assessments; run again, it adds only what is new.

    Every employee of a covered team assesses themselves; in a development round every manager
    of the team rates each of its employees. A person in two covered teams is counted in the
    first of them. The teams are those of today: someone who has moved is rated in their new
    team, by its managers.
    """
    memberships = list(
        Membership.objects.current()
        .filter(team__in=round_.teams.all())
        .order_by("team_id", "id")
        .values_list("team_id", "person_id", "role")
    )
    employees: dict[int, list[int]] = {}
    managers: dict[int, list[int]] = {}
    for team_id, person_id, role in memberships:
        group = managers if role == Membership.Role.MANAGER else employees
        group.setdefault(team_id, []).append(person_id)

    wanted: dict[tuple[int, int], Assessment] = {}
    for team_id, people in employees.items():
        for person_id in people:
            wanted.setdefault(
                (person_id, person_id),
                Assessment(
                    round=round_,
                    team_id=team_id,
                    subject_id=person_id,
                    assessor_id=person_id,
                    perspective=Assessment.Perspective.SELF,
                ),
            )
            if not round_.is_attributed:
                continue
            for manager_id in managers.get(team_id, []):
                if manager_id != person_id:
                    wanted.setdefault(
                        (person_id, manager_id),
                        Assessment(
                            round=round_,
                            team_id=team_id,
                            subject_id=person_id,
                            assessor_id=manager_id,
                            perspective=Assessment.Perspective.MANAGER,
                        ),
                    )
    existing = set(Assessment.objects.filter(round=round_).values_list("subject_id", "assessor_id"))
    new = [a for key, a in wanted.items() if key not in existing]
    Assessment.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


# --- Assessments ----------------------------------------------------------------------------


class AssessmentLocked(Exception):
    """The assessment can no longer change: submitted, or its round is not open."""


class StaleRevision(Exception):
    """The draft was saved elsewhere (another tab) since this form was loaded."""


class IncompleteAssessment(Exception):
    def __init__(self, missing: list[int]):
        super().__init__(f"{len(missing)} indicator(s) not answered")
        self.missing = missing


@dataclass(frozen=True)
class Answers:
    """What a form sends: only the keys present are written.

    `choices` maps an indicator id to a scale value, CANNOT_RATE, or None (cleared).
    """

    choices: Mapping[int, int | str | None] = field(default_factory=dict)
    examples: Mapping[int, str] = field(default_factory=dict)
    reflections: Mapping[int, str] = field(default_factory=dict)


CANNOT_RATE = "na"


def _lock(assessment: Assessment, today: datetime.date) -> Assessment:
    locked = Assessment.objects.select_for_update().select_related("round").get(pk=assessment.pk)
    if locked.is_submitted:
        raise AssessmentLocked("submitted")
    if not locked.round.is_open(today):
        raise AssessmentLocked("closed")
    return locked


def _write(assessment: Assessment, answers: Answers) -> None:
    """Upserts what was answered; clears what was emptied without creating empty rows."""
    chosen = {pk: c for pk, c in answers.choices.items() if c not in (None, "")}
    cleared = [pk for pk, c in answers.choices.items() if c in (None, "")]
    if chosen:
        Rating.objects.bulk_create(
            [
                Rating(
                    assessment=assessment,
                    indicator_id=indicator_id,
                    value=None if choice == CANNOT_RATE else int(choice),
                    cannot_rate=choice == CANNOT_RATE,
                )
                for indicator_id, choice in chosen.items()
            ],
            update_conflicts=True,
            unique_fields=["assessment", "indicator"],
            update_fields=["value", "cannot_rate"],
        )
    if cleared:
        Rating.objects.filter(assessment=assessment, indicator_id__in=cleared).update(
            value=None, cannot_rate=False
        )
    examples = {pk: text for pk, text in answers.examples.items() if text}
    if examples:
        Rating.objects.bulk_create(
            [
                Rating(assessment=assessment, indicator_id=indicator_id, example=text)
                for indicator_id, text in examples.items()
            ],
            update_conflicts=True,
            unique_fields=["assessment", "indicator"],
            update_fields=["example"],
        )
    if emptied := [pk for pk, text in answers.examples.items() if not text]:
        Rating.objects.filter(assessment=assessment, indicator_id__in=emptied).update(example="")
    reflections = {pk: text for pk, text in answers.reflections.items() if text}
    if reflections:
        ReflectionAnswer.objects.bulk_create(
            [
                ReflectionAnswer(assessment=assessment, question_id=question_id, text=text)
                for question_id, text in reflections.items()
            ],
            update_conflicts=True,
            unique_fields=["assessment", "question"],
            update_fields=["text"],
        )
    if emptied := [pk for pk, text in answers.reflections.items() if not text]:
        ReflectionAnswer.objects.filter(assessment=assessment, question_id__in=emptied).delete()


@transaction.atomic
def assessment_save(
    *,
    assessment: Assessment,
    answers: Answers,
    revision: int | None = None,
    today: datetime.date | None = None,
) -> Assessment:
    """Saves a draft. With a revision, refuses when the draft changed since that revision."""
    locked = _lock(assessment, today or timezone.localdate())
    if revision is not None and revision != locked.revision:
        raise StaleRevision()
    _write(locked, answers)
    locked.revision += 1
    locked.save(update_fields=["revision", "updated_at"])
    return locked


def assessment_submit(
    *,
    assessment: Assessment,
    answers: Answers,
    revision: int | None = None,
    today: datetime.date | None = None,
) -> Assessment:
    """Saves the last answers and submits them; refused while an indicator is unanswered.

    The answers are saved even when the submit is refused. A second submit of the same
    assessment finds it submitted and raises AssessmentLocked: one assessment is stored,
    however often the button is pressed.
    """
    with transaction.atomic():
        locked = assessment_save(
            assessment=assessment, answers=answers, revision=revision, today=today
        )
        missing = _finalise(locked)
    if missing:
        raise IncompleteAssessment(missing)
    return locked


def _finalise(assessment: Assessment) -> list[int]:
    """Scores a complete assessment and marks it submitted; returns what is still missing."""
    framework = assessment.round.framework
    indicators = list(
        Indicator.objects.filter(level__framework=framework)
        .order_by("level__number", "position")
        .values_list("id", "level_id", "level__number")
    )
    ratings = {
        r.indicator_id: r
        for r in Rating.objects.filter(assessment=assessment).only(
            "indicator_id", "value", "cannot_rate"
        )
    }
    missing = [i for i, _, _ in indicators if i not in ratings or not ratings[i].is_answered]
    if missing:
        return missing

    by_level: dict[int, list[int | None]] = {}
    level_ids: dict[int, int] = {}
    for indicator_id, level_id, number in indicators:
        by_level.setdefault(number, []).append(ratings[indicator_id].value)
        level_ids[number] = level_id
    numbers = sorted(by_level)
    result = scoring.profile(
        [by_level[n] for n in numbers],
        threshold=framework.mastery_threshold,
        min_rated_share=framework.min_rated_share,
    )
    LevelResult.objects.bulk_create(
        [
            LevelResult(
                assessment=assessment,
                level_id=level_ids[number],
                score=None if outcome.score is None else round(outcome.score, 2),
                rated_count=outcome.rated,
                met=outcome.met,
            )
            for number, outcome in zip(numbers, result.levels, strict=True)
        ]
    )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.attained_level = result.attained
    assessment.save(update_fields=["status", "submitted_at", "attained_level", "updated_at"])
    return []
