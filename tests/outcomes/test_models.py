"""Outcome measures and values: the defaults, and what the database refuses."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from outcomes.models import OutcomeMeasure, OutcomeValue
from tests.outcomes.conftest import month_back

pytestmark = pytest.mark.django_db


def test_the_data_migration_loads_the_four_measures_of_seed_001():
    rows = list(
        OutcomeMeasure.objects.values_list("name_nl", "name_en", "unit_nl", "higher_is_better")
    )
    assert rows == [
        ("NPS", "NPS", "punten", True),
        ("Klantbehoud", "Customer retention", "%", True),
        ("Upsell-omzet", "Upsell revenue", "€", True),
        ("Kosten per klant", "Cost per customer", "€", False),
    ]


def test_a_measure_reads_in_the_readers_language(measures):
    retention = measures["Klantbehoud"]
    with translation.override("en"):
        assert (retention.name, measures["NPS"].unit) == ("Customer retention", "points")
    with translation.override("nl"):
        assert (retention.name, measures["NPS"].unit) == ("Klantbehoud", "punten")


def test_a_value_is_for_a_team_or_a_department_not_both_nor_neither(org, measures):
    month = month_back(1)
    for place in ({}, {"team": org["noord"], "department": org["department"]}):
        with pytest.raises(IntegrityError), transaction.atomic():
            OutcomeValue.objects.create(measure=measures["NPS"], month=month, value=1, **place)
    OutcomeValue.objects.create(measure=measures["NPS"], month=month, value=1, team=org["noord"])
    OutcomeValue.objects.create(
        measure=measures["NPS"], month=month, value=1, department=org["department"]
    )
    assert OutcomeValue.objects.count() == 2


@pytest.mark.parametrize("place", ["team", "department"])
def test_one_value_per_measure_place_and_month(org, measures, place):
    where = {"team": org["noord"]} if place == "team" else {"department": org["department"]}
    OutcomeValue.objects.create(measure=measures["NPS"], month=month_back(1), value=1, **where)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeValue.objects.create(measure=measures["NPS"], month=month_back(1), value=2, **where)
    # Another month, or another measure, is another value.
    OutcomeValue.objects.create(measure=measures["NPS"], month=month_back(2), value=3, **where)
    OutcomeValue.objects.create(
        measure=measures["Klantbehoud"], month=month_back(1), value=90, **where
    )


def test_a_month_is_its_first_day(org, measures):
    value = OutcomeValue(
        measure=measures["NPS"], team=org["noord"], month=datetime.date(2026, 3, 15), value=1
    )
    with pytest.raises(ValidationError) as error:
        value.full_clean()
    assert "month" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        value.save()


def test_values_keep_two_decimals_and_may_be_negative(org, measures):
    value = OutcomeValue.objects.create(
        measure=measures["NPS"], team=org["noord"], month=month_back(1), value=Decimal("-12.5")
    )
    value.refresh_from_db()
    assert value.value == Decimal("-12.50")
