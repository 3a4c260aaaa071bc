"""A round's published figures: computed once when the round closes, read by every page.

Figures over others' answers are never computed for a page: they are read from here, with
the decision which of them are withheld taken once for the whole round (see `suppression`).
Each figure is stored as the number of answers it rests on and their sum, so that means are
exact and roll-ups add up.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Department, Indicator, Level, Round, Team


class Perspective(models.TextChoices):
    """Whose answers a figure is over: the people themselves, their managers, or their
    internal customers (colleagues of the teams they serve)."""

    SELF = "self", _("self")
    MANAGER = "manager", _("manager")
    INTERNAL = "internal", _("internal customer")


class Withheld(models.TextChoices):
    SHOWN = "", _("shown")
    SMALL = "small", _("fewer answers than the minimum group size")
    COMPLEMENT = "complement", _("would let a smaller group be worked out")


class Publication(models.Model):
    round = models.OneToOneField(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="publication"
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    min_group_size = models.PositiveSmallIntegerField(_("minimum group size"))

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return str(self.round)


class Group(models.Model):
    """The organisation, a department or a team as it stood when the round was published."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("organisation")
        DEPARTMENT = "department", _("department")
        TEAM = "team", _("team")

    publication = models.ForeignKey(
        Publication, verbose_name=_("publication"), on_delete=models.CASCADE, related_name="groups"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    # The ids of the departments from the top down to this group ("/3/17/"), so that a
    # department's whole subtree is one indexed prefix match.
    path = models.CharField(_("path"), max_length=500)
    name = models.CharField(_("name"), max_length=200)
    target_level = models.PositiveSmallIntegerField(_("target level"), null=True, blank=True)

    class Meta:
        verbose_name = _("published group")
        verbose_name_plural = _("published groups")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "team"],
                condition=models.Q(team__isnull=False),
                name="published_group_unique_team",
            ),
            models.UniqueConstraint(
                fields=["publication", "department"],
                condition=models.Q(kind="department"),
                name="published_group_unique_department",
            ),
        ]
        indexes = [models.Index(fields=["publication", "kind", "path"], name="pub_group_path")]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        """The figure key of this group: t<team id>, d<department id> or o."""
        if self.kind == self.Kind.TEAM:
            return f"t{self.team_id}"
        if self.kind == self.Kind.DEPARTMENT:
            return f"d{self.department_id}"
        return "o"


LEVELS = range(0, 6)


class PeopleFigures(models.Model):
    """One group's figures over people in one perspective: participation, attained levels."""

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="people"
    )
    perspective = models.CharField(_("perspective"), max_length=20, choices=Perspective)
    expected = models.PositiveIntegerField(_("expected"))
    submitted = models.PositiveIntegerField(_("submitted"))
    level_0 = models.PositiveIntegerField(default=0)
    level_1 = models.PositiveIntegerField(default=0)
    level_2 = models.PositiveIntegerField(default=0)
    level_3 = models.PositiveIntegerField(default=0)
    level_4 = models.PositiveIntegerField(default=0)
    level_5 = models.PositiveIntegerField(default=0)
    at_target = models.PositiveIntegerField(_("at or above target"), default=0)
    attained_sum = models.PositiveIntegerField(_("sum of attained levels"), default=0)
    withheld = models.CharField(
        _("withheld"), max_length=20, choices=Withheld, default=Withheld.SHOWN, blank=True
    )
    # The teams' order on the organisation dashboard: by share at or above target as others
    # see it (withheld teams last), and as those who may see every answer see it.
    rank = models.PositiveIntegerField(_("place in the list"), default=0)
    rank_all = models.PositiveIntegerField(_("place in the list over all answers"), default=0)

    class Meta:
        verbose_name = _("published people figures")
        verbose_name_plural = _("published people figures")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "perspective"], name="people_figures_unique_perspective"
            )
        ]
        indexes = [models.Index(fields=["perspective", "rank"], name="people_rank")]

    def __str__(self) -> str:
        return f"{self.group} ({self.perspective})"

    @property
    def distribution(self) -> dict[int, int]:
        return {n: getattr(self, f"level_{n}") for n in LEVELS}


class Mean(models.Model):
    """One group's mean score on a level or a behaviour in one perspective."""

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="means"
    )
    perspective = models.CharField(_("perspective"), max_length=20, choices=Perspective)
    level = models.ForeignKey(
        Level, verbose_name=_("level"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("behaviour"),
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    count = models.PositiveIntegerField(_("answers"))
    total = models.DecimalField(_("sum of the answers"), max_digits=12, decimal_places=2)
    withheld = models.CharField(
        _("withheld"), max_length=20, choices=Withheld, default=Withheld.SHOWN, blank=True
    )

    class Meta:
        verbose_name = _("published mean")
        verbose_name_plural = _("published means")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) ^ models.Q(indicator__isnull=True),
                name="mean_of_level_or_indicator",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.level_id or self.indicator_id} ({self.perspective})"

    @property
    def value(self) -> Decimal | None:
        return self.total / self.count if self.count else None

    @property
    def measure(self) -> str:
        """l<level id> or i<indicator id>: which figure this is, in the figure keys."""
        return f"l{self.level_id}" if self.level_id else f"i{self.indicator_id}"
