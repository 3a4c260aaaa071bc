"""Demo outcome values: twelve months of NPS, retention, upsell and cost per customer for the
demo teams and the departments' own figures. Teams that work at a higher level tend to have
better outcomes and most improve slowly, with a month's noise: plausible, and, as the pages
say, shown beside the levels rather than as their effect."""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone

from assessments.demo import TEAM_LEVEL
from assessments.models import Department, Team

from .models import OutcomeMeasure, OutcomeValue, first_of_month
from .months import add_months

MONTHS = 12
# Teams that sell: only they have upsell revenue.
SELLING = {
    "Klantenservice Noord",
    "Klantenservice Zuid",
    "Binnendienst Verkoop",
    "Accountmanagement",
}
TWO = Decimal("0.01")


def _values(rng: random.Random, level: float, selling: bool, months: int):
    """Per month back (months-1 … 0): NPS, retention %, upsell €, cost per customer €."""
    nps, retention = -15 + 12 * level, 78 + 4 * level
    upsell, cost = 6000 + 3500 * level, 62 - 5 * level
    for index in range(months):
        trend = index / months
        yield {
            "NPS": round(nps + 8 * trend + rng.gauss(0, 3)),
            "Klantbehoud": round(retention + 2.5 * trend + rng.gauss(0, 0.8), 1),
            "Upsell-omzet": round(upsell * (1 + 0.15 * trend) * rng.uniform(0.85, 1.15))
            if selling
            else None,
            "Kosten per klant": round(cost * (1 - 0.08 * trend) + rng.gauss(0, 1.2), 2),
        }


def load_demo_outcomes(*, rng: random.Random) -> None:
    measures = {m.name_nl: m for m in OutcomeMeasure.objects.all()}
    first = add_months(first_of_month(timezone.localdate()), -MONTHS)  # the last full months
    new = []
    places = [
        (team, TEAM_LEVEL.get(team.name, 3.0), team.name in SELLING) for team in Team.objects.all()
    ]
    places += [
        (department, 2.6, department.name in {"Klantcontact", "Commercie"})
        for department in Department.objects.all()
    ]
    for place, level, selling in places:
        where = {"team": place} if isinstance(place, Team) else {"department": place}
        for index, month_values in enumerate(_values(rng, level, selling, MONTHS)):
            for name, value in month_values.items():
                if value is None or name not in measures:
                    continue
                new.append(
                    OutcomeValue(
                        measure=measures[name],
                        month=add_months(first, index),
                        value=Decimal(str(value)).quantize(TWO),
                        **where,
                    )
                )
    OutcomeValue.objects.bulk_create(new)
