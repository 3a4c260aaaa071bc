"""The assessment form: one radio group and one example per indicator, then the reflection."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from .models import Framework, Indicator, Level, Rating, ReflectionAnswer, ReflectionQuestion
from .services import CANNOT_RATE, Answers

FIELD_NAME = re.compile(r"^(?P<kind>[req])(?P<id>\d+)$")


class AssessmentForm(forms.Form):
    """Field names: r<indicator id> (rating), e<indicator id> (example), q<question id>."""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        framework: Framework,
        levels: Iterable[Level],
        questions: Iterable[ReflectionQuestion],
        with_reflection: bool,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        choices = [(str(o.value), f"{o.value} {o.label}") for o in framework.scale.all()]
        choices.append((CANNOT_RATE, framework.cannot_rate_label))
        self.levels = list(levels)
        self.indicator_ids: set[int] = set()
        for level in self.levels:
            for indicator in level.indicators.all():
                self.indicator_ids.add(indicator.pk)
                self.fields[f"r{indicator.pk}"] = forms.ChoiceField(
                    label=indicator.text,
                    choices=choices,
                    required=False,
                    widget=forms.RadioSelect,
                )
                self.fields[f"e{indicator.pk}"] = forms.CharField(
                    label=_("Example from practice (optional)"),
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        self.questions = list(questions) if with_reflection else []
        self.question_ids = {q.pk for q in self.questions}
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.CharField(
                label=question.text,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def unknown_fields(self) -> list[str]:
        """Rating, example or question fields the posted data names that this form lacks."""
        unknown = []
        for name in self.data:
            match = FIELD_NAME.match(name)
            if match and name not in self.fields:
                unknown.append(name)
        return unknown

    def answers(self, *, only_posted: bool = False) -> Answers:
        """The cleaned answers; with only_posted, just the fields the request carried."""
        data = self.cleaned_data

        def wanted(name: str) -> bool:
            return name in data and (not only_posted or name in self.data)

        return Answers(
            choices={
                pk: (data[f"r{pk}"] or None)
                for pk in self.indicator_ids
                if wanted(f"r{pk}") and (not only_posted or data[f"r{pk}"])
            },
            examples={pk: data[f"e{pk}"] for pk in self.indicator_ids if wanted(f"e{pk}")},
            reflections={pk: data[f"q{pk}"] for pk in self.question_ids if wanted(f"q{pk}")},
        )

    def indicator_rows(self):
        """(level, [(indicator, rating field, example field)]) for the template."""
        for level in self.levels:
            yield (
                level,
                [
                    (indicator, self[f"r{indicator.pk}"], self[f"e{indicator.pk}"])
                    for indicator in level.indicators.all()
                ],
            )

    def reflection_fields(self):
        return [self[f"q{q.pk}"] for q in self.questions]


def initial_answers(
    ratings: Iterable[Rating], reflections: Iterable[ReflectionAnswer]
) -> dict[str, str]:
    initial: dict[str, str] = {}
    for rating in ratings:
        if rating.cannot_rate:
            initial[f"r{rating.indicator_id}"] = CANNOT_RATE
        elif rating.value is not None:
            initial[f"r{rating.indicator_id}"] = str(rating.value)
        initial[f"e{rating.indicator_id}"] = rating.example
    for answer in reflections:
        initial[f"q{answer.question_id}"] = answer.text
    return initial


def ordered_levels(framework: Framework):
    return framework.levels.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("position"))
    )
