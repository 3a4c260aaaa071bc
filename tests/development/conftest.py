"""Development actions: the personas of tests/conftest.py (Anna an employee of Noord, Bram her
teammate, Maud her manager, Otto who manages Zuid, Hanna of HR, Xander an outsider), a
development round in which Noord has submitted, and a later round."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from assessments.models import Assessment, Indicator, Round
from assessments.services import Answers, assessment_submit, round_populate
from development.access import plan_for
from development.models import Action
from development.services import action_propose

# Anna rates herself: levels 1 and 2 met, 3 not (its first behaviour lowest): bottleneck 3.
SELF = {1: 5, 2: 5, 3: 3, 4: 2, 5: 2}
# Maud rates her lower: level 2 not met, bottleneck 2.
MANAGER = {1: 5, 2: 3, 3: 3, 4: 2, 5: 2}


def rated(framework, per_level: dict[int, int], lowest_first: bool = True) -> Answers:
    choices = {}
    for pk, level, position in Indicator.objects.filter(level__framework=framework).values_list(
        "pk", "level__number", "position"
    ):
        value = per_level[level]
        if lowest_first and position == 1 and value > 1:
            value -= 1  # the first behaviour of each level is the weakest
        choices[pk] = value
    return Answers(choices=choices)


def submit(round_, subject, assessor, framework, per_level) -> Assessment:
    assessment = Assessment.objects.get(round=round_, subject=subject, assessor=assessor)
    assessment_submit(assessment=assessment, answers=rated(framework, per_level))
    return assessment


def make_dev_round(org, framework, *, name: str, opens: int, closes: int) -> Round:
    """A development round over Noord and Zuid, from `opens` to `closes` days from today."""
    today = timezone.localdate()
    round_ = Round.objects.create(
        name=name,
        framework=framework,
        opens_on=today + datetime.timedelta(days=opens),
        closes_on=today + datetime.timedelta(days=closes),
    )
    round_.teams.set([org["noord"], org["zuid"]])
    round_populate(round_=round_)
    return round_


@pytest.fixture
def first_round(org, framework):
    """Q1: open until tomorrow; Anna and Bram have rated themselves and Maud has rated Anna."""
    round_ = make_dev_round(org, framework, name="Q1 2027", opens=-40, closes=1)
    submit(round_, org["anna"], org["anna"], framework, SELF)
    submit(round_, org["bram"], org["bram"], framework, SELF)
    submit(round_, org["anna"], org["maud"], framework, MANAGER)
    return round_


@pytest.fixture
def next_round(org, framework, first_round):
    """Q2: opened today, after Q1."""
    return make_dev_round(org, framework, name="Q2 2027", opens=0, closes=30)


def indicator(framework, level: int, position: int) -> Indicator:
    return Indicator.objects.get(level__framework=framework, level__number=level, position=position)


def propose(round_, person, *, by=None, level=2, position=1, days=14, text="Terugbellen"):
    """An action through the service, as `by` (the person themselves by default) would."""
    by = by or person
    plan = plan_for(by, round_.pk, person.pk, change=True)
    return action_propose(
        plan=plan,
        by=by,
        indicators=[indicator(round_.framework, level, position)],
        description=text,
        due_on=timezone.localdate() + datetime.timedelta(days=days),
    )


@pytest.fixture
def action(org, first_round) -> Action:
    """Anna's proposal in Q1, due in two weeks, on behaviour 2.1."""
    return propose(first_round, org["anna"])
