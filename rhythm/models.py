"""A rhythm of rounds: HR sets a schedule for a group of teams once (a pulse every month, a
development round twice a year), and the application opens each round on its date."""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Framework, Round, Team


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day where it is shorter (31 -> 28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class Schedule(models.Model):
    name = models.CharField(
        _("name"),
        max_length=150,
        help_text=_(
            "Each round is named after it and its month, e.g. “Pulse Klantcontact mei 2027”."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Round.Kind, default=Round.Kind.PULSE)
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework"),
        on_delete=models.PROTECT,
        related_name="schedules",
        help_text=_(
            "Each round uses the version of this framework that is current when it opens: the "
            "newest version a round has used, or else the newest."
        ),
    )
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), related_name="schedules")
    every_months = models.PositiveSmallIntegerField(
        _("every so many months"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("1: every month; 3: every quarter; 6: twice a year."),
    )
    starts_on = models.DateField(
        _("first round opens on"),
        help_text=_("The next rounds open on the same day of the month."),
    )
    open_days = models.PositiveSmallIntegerField(
        _("open for (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("How many days each round is open, its opening day included."),
    )
    asked_levels = models.JSONField(
        _("levels asked"),
        default=list,
        blank=True,
        help_text=_(
            "A pulse can ask the behaviours of some levels only (the levels the teams are "
            "working on), so that it takes two minutes. Empty: every level."
        ),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Switch off to open no more rounds.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.asked_levels and self.kind != Round.Kind.PULSE:
            errors["asked_levels"] = _("Only a pulse round can ask some of the levels.")
        # Two rounds of one schedule are never open at once.
        if self.every_months and self.open_days and self.open_days > 28 * self.every_months:
            errors["open_days"] = _(
                "A round must close before the next one opens: at most %(days)s days."
            ) % {"days": 28 * self.every_months}
        if errors:
            raise ValidationError(errors)

    def openings(self, until: datetime.date) -> list[datetime.date]:
        """The opening days from the start up to and including `until`."""
        days = []
        count = 0
        while (day := add_months(self.starts_on, count * self.every_months)) <= until:
            days.append(day)
            count += 1
        return days

    def latest_opening(self, today: datetime.date) -> datetime.date | None:
        openings = self.openings(today)
        return openings[-1] if openings else None

    def next_opening(self, today: datetime.date) -> datetime.date:
        count = 0
        while (day := add_months(self.starts_on, count * self.every_months)) <= today:
            count += 1
        return day

    def closes_on(self, opens_on: datetime.date) -> datetime.date:
        return opens_on + datetime.timedelta(days=self.open_days - 1)


class ScheduledRound(models.Model):
    """A round that a schedule opened: at most one per schedule and opening day."""

    schedule = models.ForeignKey(
        Schedule,
        verbose_name=_("schedule"),
        on_delete=models.CASCADE,
        related_name="scheduled_rounds",
    )
    round = models.OneToOneField(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="scheduled_by"
    )
    opens_on = models.DateField(_("opens on"))

    class Meta:
        verbose_name = _("scheduled round")
        verbose_name_plural = _("scheduled rounds")
        ordering = ["schedule", "-opens_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "opens_on"], name="scheduled_round_once_per_opening"
            )
        ]

    def __str__(self) -> str:
        return str(self.round)
