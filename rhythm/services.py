"""Opening the rounds that schedules say are due, and the daily run that does it."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation

from assessments.models import Framework, Round
from assessments.services import round_populate
from notifications.services import RemindersQueued, reminders_queue

from .models import Schedule, ScheduledRound

logger = logging.getLogger(__name__)


def current_framework(framework: Framework) -> Framework:
    """The version of the framework that rounds use now: the newest that a round has used (a
    newer one may still be being edited), or else the newest."""
    versions = Framework.objects.filter(name_nl=framework.name_nl).order_by("-version")
    return versions.filter(rounds__isnull=False).first() or versions.first()


def _name(schedule: Schedule, opens_on: datetime.date) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return f"{schedule.name} {formats.date_format(opens_on, 'F Y')}"


@transaction.atomic
def schedule_open_due(*, schedule: Schedule, today: datetime.date) -> Round | None:
    """Opens the schedule's round of its latest opening day, unless it exists or has already
    closed; returns the new round. Run twice, it opens nothing the second time."""
    schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
    opens_on = schedule.latest_opening(today)
    if (
        not schedule.active
        or opens_on is None
        or schedule.closes_on(opens_on) < today
        or ScheduledRound.objects.filter(schedule=schedule, opens_on=opens_on).exists()
    ):
        return None
    framework = current_framework(schedule.framework)
    numbers = set(framework.levels.values_list("number", flat=True))
    asked = sorted(set(schedule.asked_levels) & numbers)
    if schedule.asked_levels and not asked:
        logger.warning("Schedule %s asks levels the framework %s lacks", schedule, framework)
        return None
    round_ = Round(
        name=_name(schedule, opens_on)[:200],
        framework=framework,
        kind=schedule.kind,
        opens_on=opens_on,
        closes_on=schedule.closes_on(opens_on),
        asked_levels=asked,
    )
    try:
        round_.full_clean()
    except ValidationError:
        logger.exception("Schedule %s cannot open a round on %s", schedule, opens_on)
        return None
    round_.save()
    round_.teams.set(schedule.teams.all())
    round_populate(round_=round_)
    ScheduledRound.objects.create(schedule=schedule, round=round_, opens_on=opens_on)
    return round_


@dataclass
class Day:
    """What one daily run did."""

    opened: list[Round] = field(default_factory=list)
    reminders: RemindersQueued = field(default_factory=RemindersQueued)


def daily(*, today: datetime.date | None = None) -> Day:
    """Opens the rounds that schedules say are due, then queues the notices and reminders due
    today (those of the new rounds included). Idempotent: run it again, and nothing happens
    twice."""
    today = today or timezone.localdate()
    day = Day()
    for schedule in Schedule.objects.filter(active=True, starts_on__lte=today):
        if (round_ := schedule_open_due(schedule=schedule, today=today)) is not None:
            day.opened.append(round_)
    day.reminders = reminders_queue(today=today)
    return day
