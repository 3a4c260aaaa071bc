"""Outcome measures' fixtures: the four default measures, and values for team Noord."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from outcomes.models import OutcomeMeasure, OutcomeValue, first_of_month
from outcomes.months import add_months


@pytest.fixture
def measures(db):
    return {m.name_nl: m for m in OutcomeMeasure.objects.all()}


def month_back(count: int) -> datetime.date:
    return add_months(first_of_month(timezone.localdate()), -count)


@pytest.fixture
def noord_values(org, measures):
    """Three months of NPS and cost per customer for Noord, and one NPS for Zuid."""
    values = []
    for back, nps, cost in ((3, 21, "48.50"), (2, 24, "47.10"), (1, 27, "45.00")):
        values.append(
            OutcomeValue.objects.create(
                measure=measures["NPS"], team=org["noord"], month=month_back(back), value=nps
            )
        )
        values.append(
            OutcomeValue.objects.create(
                measure=measures["Kosten per klant"],
                team=org["noord"],
                month=month_back(back),
                value=Decimal(cost),
            )
        )
    OutcomeValue.objects.create(
        measure=measures["NPS"], team=org["zuid"], month=month_back(1), value=-12
    )
    return values
