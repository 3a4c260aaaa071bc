"""The forms of development actions: an action itself, and what became of it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _

from assessments.models import Indicator
from assessments.services import normalize_text

from .models import Action
from .services import Basis

# Far enough for a quarter's or a year's plan, near enough to be evaluated (seed 002).
LATEST_DUE = datetime.timedelta(days=366)


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    """The behaviours on offer, a handful: a posted value is compared with them here, not
    sent to the database (where an id beyond its integers is an error, not a mismatch)."""

    def label_from_instance(self, obj: Indicator) -> str:
        return obj.text

    def _check_values(self, value) -> list[Indicator]:
        offered = {str(indicator.pk): indicator for indicator in self.queryset}
        for item in value:
            if str(item) not in offered:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return [offered[key] for key in dict.fromkeys(str(item) for item in value)]


class ActionForm(forms.Form):
    indicators = IndicatorChoiceField(
        label=_("Behaviours this action works on"),
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one behaviour.")},
    )
    description = forms.CharField(
        label=_("What will you do?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        help_text=_("One concrete step, in a sentence or two (at most 500 characters)."),
    )
    due_on = forms.DateField(
        label=_("Due on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When you will look back on it together: within a year."),
    )

    def __init__(
        self,
        data=None,
        *,
        basis: Basis,
        today: datetime.date,
        action: Action | None = None,
        person_name: str = "",
    ):
        """`person_name`: whose action it is, when someone else (the manager) fills it in."""
        initial: dict = {}
        allowed = {i.pk for i in basis.indicators}
        if action is not None:
            current = list(action.indicators.values_list("pk", flat=True))
            # An action keeps the behaviours it was agreed on, even if the level moved since.
            allowed.update(current)
            initial = {
                "indicators": current,
                "description": action.description,
                "due_on": action.due_on,
            }
        super().__init__(data, initial=initial)
        self.today = today
        self.action = action
        self.basis = basis
        self.fields["indicators"].queryset = Indicator.objects.filter(pk__in=allowed).order_by(
            "level__number", "position"
        )
        if person_name:
            self.fields["description"].label = _("What will %(name)s do?") % {"name": person_name}
        self.fields["due_on"].widget.attrs.update(
            min=today.isoformat(), max=(today + LATEST_DUE).isoformat()
        )

    @property
    def marks_suggestions(self) -> bool:
        """Whether some of the offered behaviours, not all, are development points."""
        offered = {i.pk for i in self.basis.indicators}
        return bool(self.basis.suggested) and not offered <= set(self.basis.suggested)

    def indicator_rows(self) -> Iterator[tuple[BoundWidget, Indicator, bool]]:
        """Each behaviour's checkbox, the behaviour, and whether it is marked as a suggestion
        (one of the development points)."""
        suggested = set(self.basis.suggested) if self.marks_suggestions else set()
        queryset = self.fields["indicators"].queryset.select_related("level")
        indicators = {i.pk: i for i in queryset}
        for widget in self["indicators"]:
            pk = int(str(widget.data["value"]))
            yield widget, indicators[pk], pk in suggested

    def clean_description(self) -> str:
        return normalize_text(self.cleaned_data["description"])

    def clean_due_on(self) -> datetime.date:
        due_on = self.cleaned_data["due_on"]
        if self.action is not None and due_on == self.action.due_on:
            return due_on  # a date that has passed since may stay as it was agreed
        if due_on < self.today:
            raise forms.ValidationError(_("The due date cannot be in the past."))
        if due_on > self.today + LATEST_DUE:
            raise forms.ValidationError(_("Choose a due date within a year."))
        return due_on


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What became of it?"),
        choices=Action.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether it was done, partly done or not yet.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000}),
        help_text=_("What went well, what got in the way, what comes next (optional)."),
    )

    def __init__(self, data=None, *, action: Action, prefix: str | None = None):
        initial = {"outcome": action.outcome or None, "note": action.outcome_note}
        super().__init__(data, initial=initial, prefix=prefix)

    def clean_note(self) -> str:
        return normalize_text(self.cleaned_data["note"])
