"""Writes that span several models, each in one transaction."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from klantgericht import sql

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
from .structure import round_structure


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
                observable=indicator.observable,
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

CANNOT_RATE = "na"
# Between the text that was stored and this page's, when both are kept.
MERGE_SEPARATOR = "\n\n"


def normalize_text(text: str) -> str:
    """Line breaks as they are stored: browsers post CRLF, scripts LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def fingerprint(text: str) -> str:
    """What a page says about the text it started from: 16 hex of its SHA-256; empty if empty."""
    text = normalize_text(text)
    return hashlib.sha256(text.encode()).hexdigest()[:16] if text else ""


class AssessmentLocked(Exception):
    """The assessment can no longer change: submitted, or its round is not open."""

    def __init__(self, *, submitted: bool):
        super().__init__("submitted" if submitted else "round not open")
        self.submitted = submitted


@dataclass(frozen=True)
class Answers:
    """What one page changed. Nothing else is written: a save never clears what it does not name.

    `choices` maps an indicator to a scale value or CANNOT_RATE: the latest click wins.
    `cleared` names the indicators whose rating the person cleared on purpose; their example
    stays. `examples` and `reflections` map to the text the page holds now. Where the page
    also gives the fingerprint of the text it started from (`*_bases`), the write is a
    compare-and-set: a text that was changed elsewhere in the meantime is kept, followed by
    this page's. Without a base (demo data) the text is written as it is; empty, it empties.
    """

    choices: Mapping[int, int | str] = field(default_factory=dict)
    cleared: Collection[int] = frozenset()
    examples: Mapping[int, str] = field(default_factory=dict)
    reflections: Mapping[int, str] = field(default_factory=dict)
    example_bases: Mapping[int, str] = field(default_factory=dict)
    reflection_bases: Mapping[int, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.choices or self.cleared or self.examples or self.reflections)


@dataclass(frozen=True)
class StoredText:
    text: str  # what the database holds now
    merged: bool  # changed elsewhere meanwhile: `text` holds both versions


@dataclass
class Saved:
    """The outcome of a save: the texts now stored for those it was given; for a submit, the
    indicators that are still unanswered (and then it is not submitted)."""

    examples: dict[int, StoredText] = field(default_factory=dict)
    reflections: dict[int, StoredText] = field(default_factory=dict)
    missing: list[int] = field(default_factory=list)

    @property
    def merged(self) -> bool:
        return any(t.merged for t in (*self.examples.values(), *self.reflections.values()))


def merge_text(*, stored: str, text: str, base: str) -> StoredText:
    """The text to keep when a page that started from `base` sends `text`.

    The page's text replaces the stored one when the page started from it. Otherwise it was
    changed elsewhere meanwhile, and nothing typed is dropped: the stored text stays, followed
    by this page's (once: a page that sends it again finds it there). A page that emptied a
    text that changed meanwhile leaves it as it is now.
    """
    stored, text = normalize_text(stored), normalize_text(text)
    if fingerprint(stored) == base or stored == text or not stored:
        return StoredText(text, merged=False)
    if not text or stored.endswith(MERGE_SEPARATOR + text):
        return StoredText(stored, merged=True)
    return StoredText(stored + MERGE_SEPARATOR + text, merged=True)


def _resolve_texts(
    texts: Mapping[int, str], bases: Mapping[int, str], stored: Mapping[int, str]
) -> tuple[dict[int, StoredText], dict[int, str]]:
    """Per text: what is stored after the save, and what must be written for that."""
    outcome: dict[int, StoredText] = {}
    writes: dict[int, str] = {}
    for pk, text in texts.items():
        if pk in bases:
            current = normalize_text(stored.get(pk, ""))
            outcome[pk] = merge_text(stored=current, text=text, base=bases[pk])
            if outcome[pk].text != current:
                writes[pk] = outcome[pk].text
        else:
            outcome[pk] = StoredText(normalize_text(text), merged=False)
            writes[pk] = outcome[pk].text
    return outcome, writes


def _write(assessment: Assessment, answers: Answers) -> Saved:
    """Writes what the page changed: one statement per kind of change, none for what it did
    not change."""
    saved = Saved()
    choices = {pk: c for pk, c in answers.choices.items() if pk not in answers.cleared}
    if choices:
        Rating.objects.bulk_create(
            [
                Rating(
                    assessment=assessment,
                    indicator_id=indicator_id,
                    value=None if choice == CANNOT_RATE else int(choice),
                    cannot_rate=choice == CANNOT_RATE,
                )
                for indicator_id, choice in choices.items()
            ],
            update_conflicts=True,
            unique_fields=["assessment", "indicator"],
            update_fields=["value", "cannot_rate"],
        )
    if answers.cleared:
        Rating.objects.filter(assessment=assessment, indicator_id__in=answers.cleared).update(
            value=None, cannot_rate=False
        )

    if answers.examples:
        stored = {}
        if based := [pk for pk in answers.examples if pk in answers.example_bases]:
            stored = dict(
                Rating.objects.filter(assessment=assessment, indicator_id__in=based).values_list(
                    "indicator_id", "example"
                )
            )
        saved.examples, writes = _resolve_texts(answers.examples, answers.example_bases, stored)
        if filled := {pk: text for pk, text in writes.items() if text}:
            Rating.objects.bulk_create(
                [
                    Rating(assessment=assessment, indicator_id=indicator_id, example=text)
                    for indicator_id, text in filled.items()
                ],
                update_conflicts=True,
                unique_fields=["assessment", "indicator"],
                update_fields=["example"],
            )
        if emptied := [pk for pk, text in writes.items() if not text]:
            Rating.objects.filter(assessment=assessment, indicator_id__in=emptied).update(
                example=""
            )

    if answers.reflections:
        stored = {}
        if based := [pk for pk in answers.reflections if pk in answers.reflection_bases]:
            stored = dict(
                ReflectionAnswer.objects.filter(
                    assessment=assessment, question_id__in=based
                ).values_list("question_id", "text")
            )
        saved.reflections, writes = _resolve_texts(
            answers.reflections, answers.reflection_bases, stored
        )
        if filled := {pk: text for pk, text in writes.items() if text}:
            ReflectionAnswer.objects.bulk_create(
                [
                    ReflectionAnswer(assessment=assessment, question_id=question_id, text=text)
                    for question_id, text in filled.items()
                ],
                update_conflicts=True,
                unique_fields=["assessment", "question"],
                update_fields=["text"],
            )
        if emptied := [pk for pk, text in writes.items() if not text]:
            ReflectionAnswer.objects.filter(assessment=assessment, question_id__in=emptied).delete()
    return saved


def _lock(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("round")
        .get(pk=assessment.pk)
    )


def _check_changeable(assessment: Assessment, today: datetime.date | None) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "locked=True: look the assessment up with select_for_update() in a transaction"
        )
    if assessment.is_submitted:
        raise AssessmentLocked(submitted=True)
    if not assessment.round.is_open(today or timezone.localdate()):
        raise AssessmentLocked(submitted=False)


def assessment_save(
    *,
    assessment: Assessment,
    answers: Answers,
    today: datetime.date | None = None,
    locked: bool = False,
) -> Saved:
    """Saves what a page changed in a draft; a save that changes nothing writes nothing.

    With `locked`, the caller has looked the assessment up with select_for_update() in the
    transaction it is in (the views do, so that one query is both their access check and the
    lock); otherwise it is locked here. The assessment row itself is not written: a save only
    touches the answers it names.
    """
    if not locked:
        with transaction.atomic():
            return assessment_save(
                assessment=_lock(assessment), answers=answers, today=today, locked=True
            )
    _check_changeable(assessment, today)
    return _write(assessment, answers) if answers else Saved()


def assessment_save_choice(
    *,
    assessment_pk: int,
    assessor_pk: int,
    indicator_pk: int,
    choice: int | str,
    today: datetime.date | None = None,
) -> bool:
    """One click on a rating, the commonest save there is, in one statement and without a
    transaction: True when it is saved. False when it wrote nothing, because the assessment
    is not the assessor's own draft in an open round, or the round does not ask that
    behaviour, or the value is not on its scale; the caller then takes the whole way
    (`access.assessment_to_fill_in` and `assessment_save`), which says why. It writes only
    what that way would (tests/test_fast_autosave.py holds the two to each other).

    A submit must never score an assessment while a rating of it changes. In PostgreSQL this
    statement reads the assessment FOR SHARE: a submit holds it FOR UPDATE while it scores,
    so the click waits, then finds it submitted. In SQLite every transaction begins
    IMMEDIATE (settings), so the statement waits for a submit's to end.
    """
    today = today or timezone.localdate()
    cannot = choice == CANNOT_RATE
    rating, assessment = Rating._meta.db_table, Assessment._meta.db_table
    round_, level, indicator = Round._meta.db_table, Level._meta.db_table, Indicator._meta.db_table
    scale = ScaleOption._meta.db_table
    if connection.vendor == "postgresql":
        asked = "r.asked_levels = '[]'::jsonb OR r.asked_levels @> jsonb_build_array(l.number)"
        lock = "FOR SHARE OF a"
    else:
        asked = (
            "r.asked_levels = '[]' OR EXISTS "
            "(SELECT 1 FROM json_each(r.asked_levels) j WHERE j.value = l.number)"
        )
        lock = ""
    on_scale = (
        "TRUE"
        if cannot
        else f"EXISTS (SELECT 1 FROM {scale} s WHERE s.framework_id = r.framework_id "
        "AND s.value = %s)"
    )
    written = sql.execute(
        f"""
        INSERT INTO {rating} (assessment_id, indicator_id, value, cannot_rate, example)
        SELECT a.id, i.id, %s, %s, ''
        FROM {assessment} a
        JOIN {round_} r ON r.id = a.round_id
        JOIN {level} l ON l.framework_id = r.framework_id
        JOIN {indicator} i ON i.level_id = l.id
        WHERE a.id = %s AND a.assessor_id = %s AND a.status = %s
          AND r.closed_at IS NULL AND r.opens_on <= %s AND r.closes_on >= %s
          AND i.id = %s AND ({asked}) AND {on_scale}
        {lock}
        ON CONFLICT (assessment_id, indicator_id)
        DO UPDATE SET value = excluded.value, cannot_rate = excluded.cannot_rate
        """,
        [
            None if cannot else choice,
            cannot,
            assessment_pk,
            assessor_pk,
            Assessment.Status.DRAFT.value,
            today.isoformat(),
            today.isoformat(),
            indicator_pk,
            *([] if cannot else [choice]),
        ],
    )
    return written == 1


def assessment_submit(
    *,
    assessment: Assessment,
    answers: Answers,
    today: datetime.date | None = None,
    locked: bool = False,
) -> Saved:
    """Saves the page's last changes and submits, once every indicator is answered.

    An incomplete assessment is saved, not submitted: the outcome's `missing` names what is
    unanswered. A second submit finds it submitted and raises AssessmentLocked: one
    assessment is stored, however often the button is pressed.
    """
    if not locked:
        with transaction.atomic():
            return assessment_submit(
                assessment=_lock(assessment), answers=answers, today=today, locked=True
            )
    saved = assessment_save(assessment=assessment, answers=answers, today=today, locked=True)
    # A submit and the closing of its round (which publishes the figures) wait for each other
    # on the round's row: a submitted assessment is in the published figures, or refused.
    [closed_at] = (
        Round.objects.select_for_update(no_key=True)
        .filter(pk=assessment.round_id)
        .values_list("closed_at", flat=True)
    )
    if closed_at is not None:
        raise AssessmentLocked(submitted=False)
    saved.missing = _finalise(assessment)
    return saved


def _finalise(assessment: Assessment) -> list[int]:
    """Scores a complete assessment and marks it submitted; returns what is still missing."""
    structure = round_structure(assessment.round)
    ratings = {
        indicator_id: (value, cannot_rate)
        for indicator_id, value, cannot_rate in Rating.objects.filter(
            assessment=assessment
        ).values_list("indicator_id", "value", "cannot_rate")
    }
    missing = [
        i.pk
        for i in structure.indicators
        if i.pk not in ratings or (ratings[i.pk][0] is None and not ratings[i.pk][1])
    ]
    if missing:
        return missing

    levels = [level for level in structure.all_levels if level.indicators.all()]
    framework = structure.framework
    # A level the round did not ask is unknown, not unmet: it has no result, and an attained
    # level that depends on it stays empty (None).
    result = scoring.profile(
        [
            [ratings[i.pk][0] for i in level.indicators.all()]
            if level.pk in structure.asked_level_ids
            else None
            for level in levels
        ],
        threshold=framework.mastery_threshold,
        min_rated_share=framework.min_rated_share,
    )
    LevelResult.objects.bulk_create(
        [
            LevelResult(
                assessment=assessment,
                level=level,
                score=None if outcome.score is None else round(outcome.score, 2),
                rated_count=outcome.rated,
                met=outcome.met,
            )
            for level, outcome in zip(levels, result.levels, strict=True)
            if outcome.asked
        ]
    )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.attained_level = result.attained
    assessment.save(update_fields=["status", "submitted_at", "attained_level", "updated_at"])
    return []
