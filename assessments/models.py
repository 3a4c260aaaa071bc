"""The domain: the competency model, the organisation, rounds and assessments."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class FrameworkInUse(ValidationError):
    """A framework that a round has used is never changed under that round's feet."""

    def __init__(self, framework: Framework):
        super().__init__(
            _(
                "The framework “%(name)s” (version %(version)s) has been used in a round and "
                "can no longer be changed. Make a new version to edit it."
            ),
            code="framework_in_use",
            params={"name": framework.name_nl, "version": framework.version},
        )


def localized(obj: models.Model, field: str) -> str:
    """The field in the reader's language, falling back to Dutch where English is empty."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    if language == "en":
        return getattr(obj, f"{field}_en") or getattr(obj, f"{field}_nl")
    return getattr(obj, f"{field}_nl")


# --- The competency model -------------------------------------------------------------------


class Framework(models.Model):
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    previous_version = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
    )
    mastery_threshold = models.DecimalField(
        _("mastery threshold"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("4.00"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
        help_text=_("A level is met when its score reaches this value."),
    )
    min_rated_share = models.DecimalField(
        _("minimum rated share"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
        help_text=_("A level counts only when at least this share of its indicators is rated."),
    )
    cannot_rate_label_nl = models.CharField(
        _("“cannot rate” label (Dutch)"), max_length=100, default="Kan ik niet beoordelen"
    )
    cannot_rate_label_en = models.CharField(
        _("“cannot rate” label (English)"), max_length=100, default="Cannot assess", blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["name_nl", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["name_nl", "version"], name="framework_unique_name_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def save(self, *args, **kwargs) -> None:
        if self.is_in_use():
            raise FrameworkInUse(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_in_use():
            raise FrameworkInUse(self)
        return super().delete(*args, **kwargs)

    def is_in_use(self) -> bool:
        return self.pk is not None and self.rounds.exists()

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def cannot_rate_label(self) -> str:
        return localized(self, "cannot_rate_label")


class FrameworkPart(models.Model):
    """A piece of a framework; it cannot change once a round has used the framework."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        framework = self.get_framework()
        if framework.is_in_use():
            raise FrameworkInUse(framework)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        framework = self.get_framework()
        if framework.is_in_use():
            raise FrameworkInUse(framework)
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        # A form error rather than the FrameworkInUse that save() would raise (a 500).
        super().clean()
        try:
            framework = self.get_framework()
        except ObjectDoesNotExist:
            return  # no framework chosen yet: the field reports that itself
        if framework.is_in_use():
            raise FrameworkInUse(framework)

    def get_framework(self) -> Framework:
        return self.framework


class Level(FrameworkPart):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="levels"
    )
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="level_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")


class Indicator(FrameworkPart):
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.CASCADE, related_name="indicators"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    observable = models.BooleanField(
        _("observable by internal customers"),
        default=False,
        help_text=_("Colleagues of other teams can see this behaviour and rate it."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("behaviour indicator")
        verbose_name_plural = _("behaviour indicators")
        ordering = ["level", "position"]
        constraints = [
            models.UniqueConstraint(fields=["level", "position"], name="indicator_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.level.number}.{self.position} {self.text}"

    def get_framework(self) -> Framework:
        return self.level.framework

    @property
    def text(self) -> str:
        """The text as shown: the model's bullets end in ";" (seed 000 is one list), which
        reads as a stray mark in a table, a heading or a list of their own. The stored text
        stays the seed's, word for word."""
        return localized(self, "text").rstrip().removesuffix(";").rstrip()


class ScaleOption(FrameworkPart):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="scale"
    )
    value = models.PositiveSmallIntegerField(
        _("value"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    label_nl = models.CharField(_("label (Dutch)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scale option")
        verbose_name_plural = _("rating scale")
        ordering = ["framework", "value"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "value"], name="scale_unique_value")
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"

    @property
    def label(self) -> str:
        return localized(self, "label")


class ReflectionQuestion(FrameworkPart):
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text_nl = models.TextField(_("question (Dutch)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reflection question")
        verbose_name_plural = _("reflection questions")
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "position"], name="question_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return localized(self, "text")


# --- The organisation -----------------------------------------------------------------------


class Department(models.Model):
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=Q(parent__isnull=False),
                name="department_unique_name_in_parent",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="department_unique_top_level_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A department cannot be part of itself.")})
            ancestor = ancestor.parent


DEFAULT_TARGET_LEVEL = 3  # PRODUCT.md: everyone works at level 3 or higher


class Team(models.Model):
    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="teams"
    )
    target_level = models.PositiveSmallIntegerField(
        _("target level"),
        default=DEFAULT_TARGET_LEVEL,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("The level every member should work at or above."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="teams",
        verbose_name=_("members"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name"], name="team_unique_name_in_department"
            )
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def current(self, today: datetime.date | None = None) -> MembershipQuerySet:
        """Memberships that hold on the given day (today): the people in a team now."""
        today = today or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today), started_on__lte=today)

    def not_ended(self, today: datetime.date | None = None) -> MembershipQuerySet:
        """Current memberships and those that are yet to start."""
        today = today or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))

    def end(self, today: datetime.date | None = None) -> int:
        """Ends these memberships today (one yet to start, where it would have started)."""
        today = today or timezone.localdate()
        return self.not_ended(today).update(ended_on=Greatest("started_on", Value(today)))


class Membership(models.Model):
    """A person in a team for a period. Ended memberships stay: they are the team's history."""

    class Role(models.TextChoices):
        EMPLOYEE = "employee", _("employee")
        MANAGER = "manager", _("manager")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.EMPLOYEE)
    started_on = models.DateField(_("in the team from"), default=timezone.localdate)
    # Exclusive, so that a person moved today is in their new team only, from today on.
    ended_on = models.DateField(
        _("left the team on"),
        null=True,
        blank=True,
        help_text=_("The first day the person is no longer in the team; empty while they are."),
    )
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["team", "role", "person"]
        constraints = [
            # History may hold several periods of a person in a team, but only one open one.
            models.UniqueConstraint(
                fields=["person", "team"],
                condition=Q(ended_on__isnull=True),
                name="membership_unique_open",
                violation_error_message=_("This person is already in this team."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["team", "role"], name="membership_team_role")]

    def __str__(self) -> str:
        return f"{self.person} – {self.team} ({self.get_role_display()})"

    def clean(self) -> None:
        if self.person_id is None or self.team_id is None or self.started_on is None:
            return
        others = Membership.objects.filter(person_id=self.person_id, team_id=self.team_id)
        if self.ended_on is None:
            others = others.exclude(ended_on__isnull=True)  # the unique constraint says so
        if any(
            periods_overlap(self.started_on, self.ended_on, other.started_on, other.ended_on)
            for other in others.exclude(pk=self.pk)
        ):
            raise ValidationError(
                _("This person is already in this team during (part of) this period.")
            )

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.started_on <= today and (self.ended_on is None or self.ended_on > today)


def periods_overlap(
    start: datetime.date,
    end: datetime.date | None,
    other_start: datetime.date,
    other_end: datetime.date | None,
) -> bool:
    """Whether two periods [start, end) share a day; an end of None is open."""
    return (end is None or other_start < end) and (other_end is None or start < other_end)


# --- Rounds and assessments -----------------------------------------------------------------


class RoundQuerySet(models.QuerySet):
    def open(self, today: datetime.date | None = None) -> RoundQuerySet:
        """Rounds in which assessments can be filled in today (as `Round.is_open`)."""
        today = today or timezone.localdate()
        return self.filter(closed_at__isnull=True, opens_on__lte=today, closes_on__gte=today)


class Round(models.Model):
    class Kind(models.TextChoices):
        DEVELOPMENT = "development", _("development round (attributed)")
        PULSE = "pulse", _("pulse round (anonymous)")

    name = models.CharField(_("name"), max_length=200)
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="rounds"
    )
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), related_name="rounds")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.DEVELOPMENT)
    asks_internal_customers = models.BooleanField(
        _("ask internal customers"),
        default=False,
        help_text=_(
            "Members of the teams that a covered team serves are asked to rate it. They can "
            "rate a team that serves them in any open round, asked or not."
        ),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(
        _("closes on"), help_text=_("The last day on which assessments can be submitted.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(
        _("closed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the round closed: early, by HR, or after its close date when its figures "
            "were published. A closed round never opens again."
        ),
    )
    # The numbers, not the levels themselves: a schedule asks "levels 3 and 4" of whichever
    # version of the framework is current when it opens a round.
    asked_levels = models.JSONField(
        _("levels asked"),
        default=list,
        blank=True,
        help_text=_(
            "A pulse round can ask the behaviours of some levels only (for instance the levels "
            "a team is working on), so that it takes two minutes. Empty: every level."
        ),
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="round_closes_after_opening",
                violation_error_message=_("A round cannot close before it opens."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not self.asked_levels:
            return
        if not isinstance(self.asked_levels, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in self.asked_levels
        ):
            raise ValidationError({"asked_levels": _("List the level numbers, e.g. [3, 4].")})
        if self.kind != self.Kind.PULSE:
            # A development round ends in an attained level, a bottleneck and development
            # actions: it asks the whole model.
            raise ValidationError(
                {"asked_levels": _("Only a pulse round can ask some of the levels.")}
            )
        if self.framework_id is not None:
            numbers = set(self.framework.levels.values_list("number", flat=True))
            if unknown := sorted(set(self.asked_levels) - numbers):
                raise ValidationError(
                    {
                        "asked_levels": _("The framework has no level %(levels)s.")
                        % {"levels": ", ".join(map(str, unknown))}
                    }
                )
        self.asked_levels = sorted(set(self.asked_levels))

    @property
    def asks_every_level(self) -> bool:
        return not self.asked_levels

    def is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.closed_at is None and self.opens_on <= today <= self.closes_on

    def is_closed(self, today: datetime.date | None = None) -> bool:
        """Closed after its last day, or once closed (early or by publication): for good."""
        return self.closed_at is not None or (today or timezone.localdate()) > self.closes_on

    @property
    def is_attributed(self) -> bool:
        return self.kind == self.Kind.DEVELOPMENT


class AssessmentQuerySet(models.QuerySet):
    def not_submitted(self) -> AssessmentQuerySet:
        return self.exclude(status=Assessment.Status.SUBMITTED)

    def participation(self, *group_by: str) -> models.QuerySet:
        """Expected and submitted assessments per perspective and the given fields, counted
        by the database: `submitted` of `expected`."""
        return (
            self.order_by()
            .values(*group_by, "perspective")
            .annotate(
                expected=models.Count("id"),
                submitted=models.Count("id", filter=Q(status=Assessment.Status.SUBMITTED)),
            )
        )


class Assessment(models.Model):
    """One person's ratings of one subject in one round, from one perspective."""

    class Perspective(models.TextChoices):
        SELF = "self", _("self")
        MANAGER = "manager", _("manager")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="assessments"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="assessments"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed person"),
        # People leave; what they said and what was said of them stays (see PersonAdmin).
        on_delete=models.PROTECT,
        related_name="assessments_received",
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="assessments_given",
    )
    perspective = models.CharField(_("perspective"), max_length=20, choices=Perspective)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    attained_level = models.PositiveSmallIntegerField(_("attained level"), null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["round", "subject", "perspective"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "subject", "assessor"], name="assessment_unique_per_assessor"
            ),
            models.CheckConstraint(
                condition=Q(perspective="self", subject=models.F("assessor"))
                | (Q(perspective="manager") & ~Q(subject=models.F("assessor"))),
                name="assessment_perspective_matches_assessor",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "team", "perspective", "status"], name="assess_dash"),
            models.Index(fields=["assessor", "status"], name="assess_todo"),
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.subject} ({self.get_perspective_display()})"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Rating(models.Model):
    """An answer on one indicator. No value and not `cannot_rate` means: not answered yet."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="ratings"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="ratings"
    )
    value = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)
    cannot_rate = models.BooleanField(_("cannot assess"), default=False)
    example = models.TextField(_("example from practice"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="rating_unique_indicator"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(cannot_rate=False),
                name="rating_value_or_cannot_rate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"

    @property
    def is_answered(self) -> bool:
        return self.value is not None or self.cannot_rate


class ReflectionAnswer(models.Model):
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="reflections",
    )
    question = models.ForeignKey(
        ReflectionQuestion,
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("reflection answer")
        verbose_name_plural = _("reflection answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="reflection_unique_question"
            )
        ]

    def __str__(self) -> str:
        return self.text[:50]


class LevelResult(models.Model):
    """A submitted assessment's score per level, stored once so dashboards can aggregate it."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="level_results",
    )
    level = models.ForeignKey(
        Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="results"
    )
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=2, null=True)
    rated_count = models.PositiveSmallIntegerField(_("rated indicators"))
    met = models.BooleanField(_("met"))

    class Meta:
        verbose_name = _("level result")
        verbose_name_plural = _("level results")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "level"], name="level_result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.level_id}: {self.score}"
