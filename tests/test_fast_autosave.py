"""A click on a rating is saved in one statement (issue 8: an autosave of one answer in a few
statements). That statement checks in SQL what the whole way checks in Python: that the
assessment is the person's own draft, its round open, the behaviour asked by the round and
the value on its scale. Anything it does not save takes the whole way, which says why.

The property: for every click, whoever sends it and whatever the state of the assessment
and its round, the answer and what is stored afterwards are the same with and without the
one-statement way.
"""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Assessment, Indicator, Rating, Round
from assessments.services import assessment_save_choice, framework_new_version
from tests.conftest import make_round

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
ROUND_STATES = ["open", "opens tomorrow", "closed yesterday", "closed early"]


def round_state(state: str) -> dict:
    """The round's fields for `state`, as of today (make_round opened it 30 days ago)."""
    today = timezone.localdate()
    return {
        "open": {},
        "opens tomorrow": {"opens_on": today + DAY, "closes_on": today + 10 * DAY},
        "closed yesterday": {"closes_on": today - DAY},
        "closed early": {"closed_at": timezone.now()},
    }[state]


VALUES = ["1", "3", "5", "na", "0", "6", "10", "04", "", "x"]


def click(client: Client, assessment: Assessment, name: str, value: str, base: str | None):
    data = {name: value} if base is None else {name: value, f"b-{name}": base}
    response = client.post(reverse("assessments:autosave", args=[assessment.pk]), data)
    if response["Content-Type"] == "application/json":
        body = response.json()
        body.pop("saved_at", None)
    else:
        body = response.content
    stored = list(
        Rating.objects.filter(assessment=assessment)
        .order_by("indicator_id")
        .values_list("indicator_id", "value", "cannot_rate", "example")
    )
    return response.status_code, body, stored


PROPERTY = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def assert_same_both_ways(client, assessment, name, value, base):
    outcomes = []
    for one_statement in (True, False):
        sid = transaction.savepoint_create()
        if one_statement:
            outcomes.append(click(client, assessment, name, value, base))
        else:
            with mock.patch("assessments.views._one_click", return_value=None):
                outcomes.append(click(client, assessment, name, value, base))
        transaction.savepoint_rollback(sid)
    assert outcomes[0] == outcomes[1]


@PROPERTY
@given(data=st.data())
def test_any_click_of_ones_own_is_answered_and_stored_the_same_either_way(data, org, framework):
    """What is clicked: the behaviour (asked by the round or not, of its framework or not),
    the value, the base, an answer given before."""
    with transaction.atomic():
        kind = data.draw(st.sampled_from(["development", "pulse"]), label="kind")
        round_ = make_round(org, framework, kind=kind)
        if kind == "pulse":
            asked = data.draw(st.sampled_from([[], [3, 4], [1]]), label="asked levels")
            Round.objects.filter(pk=round_.pk).update(asked_levels=asked)
        own = Assessment.objects.get(round=round_, assessor=org["anna"])
        other = framework_new_version(framework=framework)
        other.scale.create(value=6, label_nl="Altijd", label_en="Always")  # not the round's
        indicator = data.draw(
            st.sampled_from(
                [
                    *Indicator.objects.filter(level__framework=framework),
                    Indicator.objects.filter(level__framework=other).first(),
                ]
            ),
            label="indicator",
        )
        name = data.draw(st.sampled_from([f"r{indicator.pk}", "r999999"]), label="field")
        value = data.draw(st.sampled_from(VALUES), label="value")
        base = data.draw(st.sampled_from([None, "", "2", value, "x" * 17]), label="base")
        if data.draw(st.booleans(), label="answered before"):
            Rating.objects.create(assessment=own, indicator=indicator, value=2)
        client = Client()
        client.force_login(org["anna"])
        assert_same_both_ways(client, own, name, value, base)
        transaction.set_rollback(True)


@PROPERTY
@given(data=st.data())
def test_a_click_by_anyone_at_any_time_is_answered_and_stored_the_same_either_way(
    data, org, framework
):
    """Who clicks, on whose assessment, in which state of it and of its round."""
    with transaction.atomic():
        round_ = make_round(org, framework)
        state = data.draw(st.sampled_from(ROUND_STATES), label="round")
        Round.objects.filter(pk=round_.pk).update(**round_state(state))
        assessment = data.draw(
            st.sampled_from(list(Assessment.objects.filter(round=round_, subject=org["anna"]))),
            label="assessment",
        )
        if data.draw(st.booleans(), label="submitted"):
            Assessment.objects.filter(pk=assessment.pk).update(status="submitted")
        sender = data.draw(st.sampled_from(["anna", "maud", "bram", "hanna"]), label="sender")
        indicator = data.draw(
            st.sampled_from(list(Indicator.objects.filter(level__framework=framework))),
            label="indicator",
        )
        client = Client()
        client.force_login(org[sender])
        assert_same_both_ways(client, assessment, f"r{indicator.pk}", "4", "")
        transaction.set_rollback(True)


def test_the_statement_saves_a_click_and_says_so(org, dev_round, framework):
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], assessor=org["anna"])
    indicator = Indicator.objects.filter(level__framework=framework, level__number=3).first()
    save = {"assessment_pk": own.pk, "indicator_pk": indicator.pk}
    assert assessment_save_choice(**save, assessor_pk=org["anna"].pk, choice=4)
    assert assessment_save_choice(**save, assessor_pk=org["anna"].pk, choice="na")
    rating = Rating.objects.get(assessment=own, indicator=indicator)
    assert (rating.value, rating.cannot_rate) == (None, True)
    assert assessment_save_choice(**save, assessor_pk=org["anna"].pk, choice=2)
    rating.refresh_from_db()
    assert (rating.value, rating.cannot_rate) == (2, False)
    # Not hers: nothing written, whatever the rest.
    assert not assessment_save_choice(**save, assessor_pk=org["bram"].pk, choice=5)
    # Not on the scale.
    assert not assessment_save_choice(**save, assessor_pk=org["anna"].pk, choice=6)
    rating.refresh_from_db()
    assert rating.value == 2


def test_a_pulse_round_takes_clicks_on_the_levels_it_asks_only(org, pulse_round, framework):
    Round.objects.filter(pk=pulse_round.pk).update(asked_levels=[3, 4])
    own = Assessment.objects.get(round=pulse_round, subject=org["anna"])
    by_level = {
        number: Indicator.objects.filter(level__framework=framework, level__number=number).first()
        for number in (2, 3, 4)
    }
    saved = {
        number: assessment_save_choice(
            assessment_pk=own.pk, assessor_pk=org["anna"].pk, indicator_pk=i.pk, choice=4
        )
        for number, i in by_level.items()
    }
    assert saved == {2: False, 3: True, 4: True}
