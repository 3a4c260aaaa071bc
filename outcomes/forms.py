"""The month's values of one team or department, and the import's upload."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import VALUE_DECIMALS, VALUE_DIGITS, OutcomeMeasure, first_of_month
from .months import parse_month


class MonthField(forms.CharField):
    """A month as `2026-03` (what a browser's month picker sends) or `03-2026`; not later than
    the current month. Cleans to the first of the month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})

    def to_python(self, value) -> datetime.date | None:
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(_("Give the month as 2026-03 or 03-2026."))
        if month > first_of_month(timezone.localdate()):
            raise forms.ValidationError(_("This month has not begun yet."))
        return month


class MonthForm(forms.Form):
    """Field names: month, m<measure id>. A measure left empty has no value that month."""

    month = MonthField(label=_("Month"))

    def __init__(self, *args, measures: list[OutcomeMeasure], **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = measures
        for measure in measures:
            self.fields[f"m{measure.pk}"] = forms.DecimalField(
                label=measure.name,
                required=False,
                max_digits=VALUE_DIGITS,
                decimal_places=VALUE_DECIMALS,
                # Dutch decimals: 12,5 as well as 12.5.
                localize=True,
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control",
                        "inputmode": "decimal",
                        "autocomplete": "off",
                        **({"aria-describedby": f"unit-{measure.pk}"} if measure.unit else {}),
                    }
                ),
                help_text=measure.unit,
            )

    def values(self) -> dict:
        return {m: self.cleaned_data[f"m{m.pk}"] for m in self.measures}

    def rows(self):
        return [(measure, self[f"m{measure.pk}"]) for measure in self.measures]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: maand (2026-03 or 03-2026), team (or afdeling for a department's own "
            "value), maatregel (the Dutch or English name), waarde (12,5 or 12.5). English "
            "headers work too."
        ),
    )
