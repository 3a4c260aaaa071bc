"""Development actions: what a person and their manager agree to work on after a development
round, and what became of it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Indicator, Round, Team

# PRODUCT.md: "one to three actions on bottleneck indicators".
MAX_ACTIONS = 3


class Role(models.TextChoices):
    """How a viewer stands to one person's actions (decided in `access`)."""

    PERSON = "person", _("the person")
    MANAGER = "manager", _("their manager")
    READER = "reader", _("reader")


class ActionQuerySet(models.QuerySet):
    def open(self) -> ActionQuerySet:
        """Not followed up yet: nobody has said what became of them."""
        return self.filter(outcome="")

    def overdue(self, today: datetime.date) -> ActionQuerySet:
        return self.open().filter(due_on__lt=today)

    def earlier_than(self, round_: Round) -> ActionQuerySet:
        """Actions of rounds before this one, in the order rounds are listed (`Round.Meta`)."""
        return self.filter(
            Q(round__opens_on__lt=round_.opens_on)
            | Q(round__opens_on=round_.opens_on, round_id__lt=round_.pk)
        )


class Action(models.Model):
    """One development action of one person in one development round."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        AGREED = "agreed", _("agreed")

    class Outcome(models.TextChoices):
        DONE = "done", _("done")
        PARTLY = "partly", _("partly")
        NOT_YET = "not_yet", _("not yet")

    round = models.ForeignKey(
        Round,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="development_actions",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        # People leave; what they agreed to stays, as their assessments do.
        on_delete=models.PROTECT,
        related_name="development_actions",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="development_actions",
        help_text=_("The team the self-assessment was made in: its managers agree the action."),
    )
    indicators = models.ManyToManyField(
        Indicator,
        verbose_name=_("behaviours"),
        related_name="development_actions",
        help_text=_("The behaviours of the model that the action works on."),
    )
    description = models.CharField(_("what you will do"), max_length=500)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    outcome = models.CharField(_("what became of it"), max_length=20, choices=Outcome, blank=True)
    outcome_note = models.TextField(_("note"), max_length=2000, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followed up by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Any change: what the team dashboard's cached "who needs what" is checked against.
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[indicators])

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("development action")
        verbose_name_plural = _("development actions")
        ordering = ["round", "person", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="agreed", agreed_at__isnull=False)
                | Q(status="proposed", agreed_at__isnull=True),
                name="action_agreed_has_a_moment",
            ),
            models.CheckConstraint(
                condition=Q(outcome="", outcome_at__isnull=True)
                | (~Q(outcome="") & Q(outcome_at__isnull=False)),
                name="action_outcome_has_a_moment",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "person"], name="action_round_person"),
            models.Index(fields=["team", "round"], name="action_team_round"),
            models.Index(fields=["person", "outcome"], name="action_person_open"),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def is_agreed(self) -> bool:
        return self.status == self.Status.AGREED

    @property
    def is_followed_up(self) -> bool:
        return bool(self.outcome)

    def is_overdue(self, today: datetime.date) -> bool:
        return not self.is_followed_up and self.due_on < today

    # What each role may do; `access` says who has which role, `services` hold to these.

    def may_edit(self, role: Role) -> bool:
        """Changed by either of them until it is followed up (by the person, it then needs
        the manager's confirmation again)."""
        return role != Role.READER and not self.is_followed_up

    def may_confirm(self, role: Role) -> bool:
        return role == Role.MANAGER and not self.is_agreed and not self.is_followed_up

    def may_delete(self, role: Role) -> bool:
        """The person withdraws a proposal; once agreed, only the manager removes it."""
        if self.is_followed_up:
            return False
        return role == Role.MANAGER or (role == Role.PERSON and not self.is_agreed)

    def may_follow_up(self, role: Role, *, today: datetime.date, next_round_open: bool) -> bool:
        """What became of it is said in the next round, or any time after the due date."""
        return role != Role.READER and (next_round_open or self.due_on <= today)
