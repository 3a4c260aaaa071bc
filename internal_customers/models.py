"""Internal customers: colleagues of other teams who rate, anonymously, how a team serves them.

A team that serves another (Planning serves Klantenservice) is rated by the members of the
team it serves, on the behaviours an outsider can observe (`Indicator.observable`). Their
answers are one more perspective of the published figures ("interne klant"), never shown
one by one and never attributed: not even HR reads who rated what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Indicator, Round, Team


class Service(models.Model):
    """A team that serves another team: the latter's members are its internal customers."""

    provider = models.ForeignKey(
        Team,
        verbose_name=_("team that serves"),
        on_delete=models.CASCADE,
        related_name="services_given",
    )
    customer = models.ForeignKey(
        Team,
        verbose_name=_("team it serves"),
        on_delete=models.CASCADE,
        related_name="services_received",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internal service")
        verbose_name_plural = _("internal services")
        ordering = ["provider", "customer"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "customer"], name="service_unique_pair"),
            models.CheckConstraint(
                condition=~Q(provider=models.F("customer")),
                name="service_not_to_itself",
                violation_error_message=_("A team does not serve itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} → {self.customer}"


class Feedback(models.Model):
    """One internal customer's rating of a team that serves them, in one round."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    round = models.ForeignKey(
        Round,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="internal_feedback",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("rated team"),
        on_delete=models.PROTECT,
        related_name="internal_feedback",
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("internal customer"),
        on_delete=models.PROTECT,
        related_name="internal_feedback_given",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    remark = models.TextField(_("remark"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("internal customer's rating")
        verbose_name_plural = _("internal customers' ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "team", "assessor"], name="feedback_once_per_team_and_round"
            )
        ]
        indexes = [models.Index(fields=["round", "team", "status"], name="feedback_figures")]

    def __str__(self) -> str:
        return f"{self.round} – {self.team}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """One behaviour rated: a value on the scale, or "cannot assess" (not rated)."""

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="answers"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("behaviour"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)
    cannot_rate = models.BooleanField(_("cannot assess"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["feedback", "indicator"], name="answer_once"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(cannot_rate=False),
                name="answer_value_or_cannot_rate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"
