"""The assessment form: one radio group and one example per indicator, then the reflection.

Every answer field travels with its base, the value the page was rendered with (b-r<id> the
rating itself, b-e<id> and b-q<id> a fingerprint of the text), so that a save writes only
what the person changed in that page, whatever other tabs did meanwhile. An unchecked radio
group is never a clear: clearing a rating is the explicit act of its "clear" button
(`clear=<indicator id>`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from .models import Framework, Indicator, Level, Rating, ReflectionAnswer
from .services import CANNOT_RATE, Answers, Saved, fingerprint, normalize_text
from .structure import Structure

FIELD_NAME = re.compile(r"^(?:b-)?(?P<kind>[req])(?P<id>\d+)$")
BASE = "b-"


class TextAnswerField(forms.CharField):
    """A text as it is stored: stripped, with LF line breaks (so its length is the one the
    browser counted)."""

    def to_python(self, value):
        return normalize_text(super().to_python(value))


def _base_field() -> forms.CharField:
    return forms.CharField(required=False, max_length=16, strip=False, widget=forms.HiddenInput)


class AssessmentForm(forms.Form):
    """Field names: r<indicator id> (rating), e<indicator id> (example), q<question id>
    (reflection), each with its base b-<name>; `clear` (repeatable) names a rating to clear."""

    clear = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, structure: Structure, with_reflection: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure
        framework = structure.framework
        choices = [(str(o.value), f"{o.value} {o.label}") for o in structure.scale]
        choices.append((CANNOT_RATE, framework.cannot_rate_label))
        self.levels: tuple[Level, ...] = structure.levels
        self.indicator_ids = structure.indicator_ids
        self.fields["clear"].choices = [(str(pk), str(pk)) for pk in self.indicator_ids]
        for indicator in structure.indicators:
            self.fields[f"r{indicator.pk}"] = forms.ChoiceField(
                label=indicator.text,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"e{indicator.pk}"] = TextAnswerField(
                label=_("Example from practice (optional)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"b-r{indicator.pk}"] = _base_field()
            self.fields[f"b-e{indicator.pk}"] = _base_field()
        self.questions = structure.questions if with_reflection else ()
        self.question_ids = frozenset(q.pk for q in self.questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = TextAnswerField(
                label=question.text,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"b-q{question.pk}"] = _base_field()

    def unknown_fields(self) -> list[str]:
        """Rating, example or question fields the posted data names that this form lacks."""
        return [name for name in self.data if FIELD_NAME.match(name) and name not in self.fields]

    def answers(self) -> Answers:
        """What the person changed in this page: the fields whose value differs from their
        base. A text field that was not sent at all is not changed."""
        data = self.cleaned_data
        cleared = frozenset(data["clear"])
        choices = {
            pk: data[f"r{pk}"]
            for pk in self.indicator_ids
            if data[f"r{pk}"] and data[f"r{pk}"] != data[f"b-r{pk}"] and pk not in cleared
        }
        examples = self._changed_texts("e", self.indicator_ids)
        reflections = self._changed_texts("q", self.question_ids)
        return Answers(
            choices=choices,
            cleared=cleared,
            examples=examples,
            reflections=reflections,
            example_bases={pk: data[f"b-e{pk}"] for pk in examples},
            reflection_bases={pk: data[f"b-q{pk}"] for pk in reflections},
        )

    def _changed_texts(self, kind: str, ids: Iterable[int]) -> dict[int, str]:
        data = self.cleaned_data
        return {
            pk: data[f"{kind}{pk}"]
            for pk in ids
            if f"{kind}{pk}" in self.data
            and fingerprint(data[f"{kind}{pk}"]) != data[f"{BASE}{kind}{pk}"]
        }

    def confirmation(self, saved: Saved) -> dict[str, dict[str, str]]:
        """For each field the request named: the base the page continues from, and the texts
        it must show because they were merged with a version saved elsewhere."""
        data = self.cleaned_data
        bases: dict[str, str] = {}
        merged: dict[str, str] = {}
        for pk in self.indicator_ids:
            name = f"r{pk}"
            if pk in data["clear"]:
                bases[name] = ""
            elif name in self.data or f"{BASE}{name}" in self.data:
                bases[name] = data[name] or data[f"{BASE}{name}"]
        for kind, ids, stored in (
            ("e", self.indicator_ids, saved.examples),
            ("q", self.question_ids, saved.reflections),
        ):
            for pk in ids:
                name = f"{kind}{pk}"
                if pk in stored:
                    bases[name] = fingerprint(stored[pk].text)
                    if stored[pk].merged:
                        merged[name] = stored[pk].text
                elif name in self.data:
                    bases[name] = data[f"{BASE}{name}"]
        return {"bases": bases, "merged": merged}

    def indicator_rows(self) -> Iterator[tuple[Level, list]]:
        """(level, [(indicator, rating, its base, example, its base)]) for the template."""
        for level in self.levels:
            rows = []
            for indicator in level.indicators.all():
                pk = indicator.pk
                rows.append(
                    (
                        indicator,
                        self[f"r{pk}"],
                        self[f"b-r{pk}"],
                        self[f"e{pk}"],
                        self[f"b-e{pk}"],
                    )
                )
            yield level, rows

    def reflection_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"q{q.pk}"], self[f"b-q{q.pk}"]) for q in self.questions]

    def answered(self) -> int:
        """How many ratings the page shows as given."""
        values = self.data if self.is_bound else self.initial
        return sum(1 for pk in self.indicator_ids if values.get(f"r{pk}"))


def initial_answers(
    ratings: Iterable[Rating], reflections: Iterable[ReflectionAnswer]
) -> dict[str, str]:
    """The stored answers as the form shows them, each with its base."""
    initial: dict[str, str] = {}
    for rating in ratings:
        value = ""
        if rating.cannot_rate:
            value = CANNOT_RATE
        elif rating.value is not None:
            value = str(rating.value)
        initial[f"r{rating.indicator_id}"] = initial[f"b-r{rating.indicator_id}"] = value
        initial[f"e{rating.indicator_id}"] = rating.example
        initial[f"b-e{rating.indicator_id}"] = fingerprint(rating.example)
    for answer in reflections:
        initial[f"q{answer.question_id}"] = answer.text
        initial[f"b-q{answer.question_id}"] = fingerprint(answer.text)
    return initial


def ordered_levels(framework: Framework):
    return framework.levels.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("position"))
    )
