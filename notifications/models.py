"""What the application tells people by e-mail, and what it has told them.

An invitation and a reminder are each a record first (queued), then a message: a task of the
worker claims queued records, sends their messages and marks them sent. The record of a
reminder is unique per assessment and moment, so that nobody is reminded twice of the same
thing, however often the daily run or the worker runs.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment


class Preferences(models.Model):
    """A person's choices about e-mail. Without a row, the defaults hold: Dutch, reminders on."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preferences",
    )
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    reminders = models.BooleanField(
        _("e-mail me about my open assessments"),
        default=True,
        help_text=_("When a round opens, a few days before it closes, and on its last day."),
    )

    class Meta:
        verbose_name = _("e-mail preferences")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self) -> str:
        return str(self.person)

    @classmethod
    def of(cls, person: AbstractBaseUser) -> Preferences:
        """The person's preferences, or the defaults (unsaved) when they never chose."""
        found = getattr(person, "preferences", None)  # a missing row is an AttributeError
        return found if found is not None else cls(person=person)


class Delivery(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("not needed any more")


class Invitation(models.Model):
    """An e-mail with a one-time link to set a password, then on to the open assessment."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: sent by the application, with the notice of a round."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Delivery, default=Delivery.QUEUED)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Pressing the button twice queues one invitation.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="queued"),
                name="invitation_one_queued_per_person",
            )
        ]
        indexes = [models.Index(fields=["status", "id"], name="invitation_queue")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_status_display()})"


class Reminder(models.Model):
    """That one assessment was (or is to be) mentioned in an e-mail at one moment of its round.

    One e-mail goes to each assessor per round and moment, naming all their open assessments of
    that round: a manager's lists the members they still have to rate.
    """

    class Moment(models.TextChoices):
        OPENED = "opened", _("the round is open")
        BEFORE_CLOSE = "before_close", _("a few days before the round closes")
        LAST_DAY = "last_day", _("the last day of the round")

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    moment = models.CharField(_("moment"), max_length=20, choices=Moment)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=Delivery, default=Delivery.QUEUED)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "moment"], name="reminder_once_per_assessment_and_moment"
            )
        ]
        indexes = [models.Index(fields=["status", "id"], name="reminder_queue")]

    def __str__(self) -> str:
        return f"{self.assessment} – {self.get_moment_display()}"
