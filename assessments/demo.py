"""Demo rounds with varied, realistic ratings: teams at different levels, growth over the
rounds, people who rate themselves higher than their manager does."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from .models import Assessment, Framework, Indicator, Round, Team
from .services import CANNOT_RATE, Answers, assessment_submit, round_populate

# A team's typical level; people vary around it.
TEAM_LEVEL = {
    "Klantenservice Noord": 2.5,
    "Klantenservice Zuid": 3.2,
    "Klachtenbehandeling": 3.7,
    "Binnendienst Verkoop": 2.0,
    "Accountmanagement": 4.0,
    "Debiteurenbeheer": 1.4,
    "Facturatie": 1.8,
    "Servicedesk ICT": 2.7,
}
REFLECTIONS = [
    "Ik hoor veel via de klantenservice, maar spreek zelf weinig klanten.",
    "Door mee te luisteren met gesprekken en de klachten van vorige maand door te nemen.",
    "Door afspraken na te komen en klanten zelf terug te bellen.",
    "De werkdruk en de doelen op afhandeltijd houden me tegen.",
]
NAMED_OPEN = {"employee", "manager"}  # their open-round work is left for the visitor
# A past anonymous pulse round, in which some teams answered too little to be shown.
PULSE_PARTICIPATION = {"Debiteurenbeheer": 0.35, "Facturatie": 0.5, "Binnendienst Verkoop": 0.6}


def _rating(rng: random.Random, level: int, ability: float) -> int | str:
    if rng.random() < 0.03:
        return CANNOT_RATE
    mean = 4.7 - 1.3 * max(0.0, level - ability) + (0.3 if level <= ability - 1 else 0)
    return max(1, min(5, round(rng.gauss(mean, 0.6))))


def _answers(
    rng: random.Random, indicators: list[tuple[int, int]], ability: float, reflect: list[int]
) -> Answers:
    return Answers(
        choices={pk: _rating(rng, level, ability) for pk, level in indicators},
        examples={
            pk: "Klant teruggebeld nadat de monteur niet was gekomen."
            for pk, level in indicators[:1]
            if rng.random() < 0.3
        },
        reflections={
            pk: text for pk, text in zip(reflect, REFLECTIONS, strict=False) if rng.random() < 0.6
        },
    )


def load_demo_rounds(*, rng: random.Random) -> None:
    framework = Framework.objects.order_by("id").first()
    indicators = list(
        Indicator.objects.filter(level__framework=framework).values_list("id", "level__number")
    )
    questions = list(framework.questions.values_list("id", flat=True))
    teams = list(Team.objects.all())
    today = timezone.localdate()

    ability: dict[int, float] = {}
    overrating: dict[int, float] = {}
    for team in teams:
        for person_id in team.memberships.values_list("person_id", flat=True):
            ability[person_id] = TEAM_LEVEL.get(team.name, 3.0) + rng.gauss(0, 0.6)
            overrating[person_id] = rng.choice([0.0, 0.3, 0.6, 1.4])

    for months_ago in (9, 6, 3, 0):
        opens = today - datetime.timedelta(days=30 * months_ago + 10)
        closes = opens + datetime.timedelta(days=30)
        round_ = Round.objects.create(
            name=f"Q{(opens.month - 1) // 3 + 1} {opens.year}",
            framework=framework,
            opens_on=opens,
            closes_on=closes,
        )
        round_.teams.set(teams)
        round_populate(round_=round_)
        growth = (9 - months_ago) * 0.04
        is_open = months_ago == 0
        for assessment in Assessment.objects.filter(round=round_).select_related(
            "subject", "assessor"
        ):
            if is_open and (assessment.assessor.username in NAMED_OPEN or rng.random() < 0.45):
                continue
            if not is_open and rng.random() < 0.07:
                continue  # some people never got round to it
            person = assessment.subject_id
            level = ability[person] + growth
            if assessment.perspective == Assessment.Perspective.SELF:
                level += overrating[person]
            day = today if is_open else opens + datetime.timedelta(days=rng.randint(0, 25))
            assessment_submit(
                assessment=assessment,
                answers=_answers(
                    rng,
                    indicators,
                    level,
                    questions if assessment.perspective == Assessment.Perspective.SELF else [],
                ),
                today=day,
            )
            # Past rounds read as submitted on the day they were, not when the demo loaded.
            Assessment.objects.filter(pk=assessment.pk).update(
                submitted_at=timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(10, rng.randint(0, 59)))
                )
            )

    _pulse_round(rng, framework, indicators, teams, ability, today)


def _pulse_round(rng, framework, indicators, teams, ability, today) -> None:
    """A short anonymous pulse six weeks ago: self-assessments only, fewer answers."""
    opens = today - datetime.timedelta(days=45)
    round_ = Round.objects.create(
        name=f"Pulse {opens:%Y-%m}",
        framework=framework,
        kind=Round.Kind.PULSE,
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=14),
    )
    round_.teams.set(teams)
    round_populate(round_=round_)
    for assessment in Assessment.objects.filter(round=round_).select_related("team"):
        if rng.random() > PULSE_PARTICIPATION.get(assessment.team.name, 0.85):
            continue
        day = opens + datetime.timedelta(days=rng.randint(0, 13))
        assessment_submit(
            assessment=assessment,
            answers=_answers(rng, indicators, ability[assessment.subject_id] + 0.2, []),
            today=day,
        )
        Assessment.objects.filter(pk=assessment.pk).update(
            submitted_at=timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(9, rng.randint(0, 59)))
            )
        )
