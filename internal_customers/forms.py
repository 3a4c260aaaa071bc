"""The internal customer's form: one radio group per observable behaviour, and a remark."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Framework, Indicator

from .services import CANNOT_RATE


class FeedbackForm(forms.Form):
    """Field names: r<indicator id>; remark."""

    remark = forms.CharField(
        label=_("Anything you want the team's managers to know (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, framework: Framework, indicators: list[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(o.value), f"{o.value} {o.label}") for o in framework.scale.all()]
        choices.append((CANNOT_RATE, framework.cannot_rate_label))
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"r{indicator.pk}"] = forms.ChoiceField(
                label=indicator.text, choices=choices, required=False, widget=forms.RadioSelect
            )

    def choices(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data[f"r{i.pk}"] for i in self.indicators}

    def rows(self):
        return [(indicator, self[f"r{indicator.pk}"]) for indicator in self.indicators]
