"""Customer outcomes (seed 001): the outcome KPIs a team or department is steered on (NPS,
retention, upsell, cost to serve), one value per month. The list of measures is data.

They are shown beside the level figures, never as their effect: nothing here is computed from
assessments, and nothing in the assessments is computed from here.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Department, Team, localized

# Values hold two decimals: euros and percentages; NPS is a whole number from -100 to 100.
VALUE_DIGITS, VALUE_DECIMALS = 14, 2


def first_of_month(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def validate_first_of_month(value: datetime.date) -> None:
    if value.day != 1:
        raise ValidationError(
            _("A month is stored as its first day (%(date)s is not)."),
            code="not_first_of_month",
            params={"date": value.isoformat()},
        )


class OutcomeMeasure(models.Model):
    """An outcome KPI, such as the NPS or the cost per customer."""

    name_nl = models.CharField(_("name (Dutch)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    unit_nl = models.CharField(
        _("unit (Dutch)"), max_length=20, blank=True, help_text=_("For instance %, € or punten.")
    )
    unit_en = models.CharField(_("unit (English)"), max_length=20, blank=True)
    higher_is_better = models.BooleanField(
        _("higher is better"),
        default=True,
        help_text=_("Off for a measure that should go down, such as the cost per customer."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive measures are no longer entered or shown; their values stay."),
    )
    # Any change: what the team dashboard's kept outcome section is checked against.
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome measure")
        verbose_name_plural = _("outcome measures")
        ordering = ["position", "name_nl"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def unit(self) -> str:
        return localized(self, "unit")


class OutcomeValueQuerySet(models.QuerySet):
    def of_team(self, team: Team | int) -> OutcomeValueQuerySet:
        return self.filter(team=team)

    def of_department(self, department: Department | int) -> OutcomeValueQuerySet:
        """The department's own values: entered for the department, not for its teams."""
        return self.filter(department=department)

    def for_series(self, since: datetime.date) -> OutcomeValueQuerySet:
        """Active measures' values from `since` on, with their measure: one query."""
        return (
            self.filter(month__gte=since, measure__active=True)
            .select_related("measure")
            .order_by("measure__position", "measure__name_nl", "month")
        )


class OutcomeValue(models.Model):
    """One measure's value for one team or one department in one month."""

    measure = models.ForeignKey(
        OutcomeMeasure,
        verbose_name=_("outcome measure"),
        on_delete=models.PROTECT,
        related_name="values",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outcome_values",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outcome_values",
    )
    month = models.DateField(
        _("month"), validators=[validate_first_of_month], help_text=_("The first of the month.")
    )
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    objects = OutcomeValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("outcome value")
        verbose_name_plural = _("outcome values")
        ordering = ["-month", "measure"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False, department__isnull=True)
                | Q(team__isnull=True, department__isnull=False),
                name="outcome_value_team_xor_department",
                violation_error_message=_("A value is for a team or for a department, not both."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="outcome_value_first_of_month",
                violation_error_message=_("A month is stored as its first day."),
            ),
            models.UniqueConstraint(
                fields=["measure", "team", "month"],
                condition=Q(team__isnull=False),
                name="outcome_value_unique_team_month",
                violation_error_message=_("This team has a value for this measure and month."),
            ),
            models.UniqueConstraint(
                fields=["measure", "department", "month"],
                condition=Q(department__isnull=False),
                name="outcome_value_unique_department_month",
                violation_error_message=_(
                    "This department has a value for this measure and month."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["team", "month"], name="outcome_team_month"),
            models.Index(fields=["department", "month"], name="outcome_department_month"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} · {self.place} · {self.month:%Y-%m}: {self.value}"

    @property
    def place(self) -> Team | Department | None:
        return self.team or self.department
