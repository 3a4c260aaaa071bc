"""The outcome series beside the level trend, on one time axis of months.

The level figures are not computed here: they are the trend points the page has read through
the confidentiality gate (`figures.confidentiality`), each placed at the month its round
closed. The outcome values are read in one query, whatever the number of months or members.
Nothing here relates the two: they are shown side by side, not as cause and effect.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from assessments.models import Round
from figures.confidentiality import People, TrendPoint

from .models import OutcomeMeasure, OutcomeValue, OutcomeValueQuerySet, first_of_month
from .months import add_months, month_range

# How far back the pages look; the export holds every month.
MONTHS_SHOWN = 24
CURRENCIES = {"€", "$", "£"}


def closing_month(round_: Round) -> datetime.date:
    """The month the round closed: early (when HR closed it) or on its close date. A round
    published after its close date closed on that date, not when someone first looked."""
    closed = round_.closes_on
    if round_.closed_at is not None:
        closed = min(closed, timezone.localdate(round_.closed_at))
    return first_of_month(closed)


def format_value(value: Decimal | None, measure: OutcomeMeasure) -> str:
    if value is None:
        return "–"
    unit = measure.unit
    if value == value.to_integral_value():
        digits = 0
    elif unit in CURRENCIES:
        digits = 2  # € 47,60, not € 47,6
    else:
        digits = 1 if value * 10 % 1 == 0 else 2
    number = number_format(value, digits, use_l10n=True, force_grouping=True)
    if not unit:
        return number
    if unit in CURRENCIES:
        return f"{unit}\u00a0{number}"
    return f"{number}\u00a0{unit}"


@dataclass
class LevelPoint:
    month: datetime.date
    round: Round
    people: People  # as the page shows it: withheld where the page withholds it


@dataclass
class Series:
    measure: OutcomeMeasure
    values: dict[datetime.date, Decimal] = field(default_factory=dict)

    def cells(self, months: list[datetime.date]) -> list[str]:
        return [format_value(self.values.get(m), self.measure) for m in months]


@dataclass
class Row:
    month: datetime.date
    level: LevelPoint | None
    values: list[str]


@dataclass
class SideBySide:
    months: list[datetime.date]  # the axis: every month from the first with data to now
    levels: dict[datetime.date, LevelPoint]
    series: list[Series]

    @property
    def empty(self) -> bool:
        return not self.series and not self.levels

    def rows(self) -> list[Row]:
        """The table: each month that has a level figure or a value, newest first."""
        rows = []
        for month in reversed(self.months):
            level = self.levels.get(month)
            values = [s.values.get(month) for s in self.series]
            if level is None and all(v is None for v in values):
                continue
            rows.append(
                Row(
                    month,
                    level,
                    [format_value(v, s.measure) for v, s in zip(values, self.series, strict=True)],
                )
            )
        return rows

    def chart(self) -> dict:
        """What the small charts draw: the same numbers as the table."""
        labels = [date_format(m, "M Y") for m in self.months]

        def share(month: datetime.date) -> int | None:
            point = self.levels.get(month)
            if point is None or point.people.share_at_target is None:
                return None
            return round(100 * point.people.share_at_target)

        return {
            "labels": labels,
            "level": {
                "label": _("% at or above target"),
                "data": [share(m) for m in self.months],
            },
            "series": [
                {
                    "id": f"outcome-chart-{s.measure.pk}",
                    "label": s.measure.name,
                    "unit": s.measure.unit,
                    "higher_is_better": s.measure.higher_is_better,
                    "data": [
                        None if s.values.get(m) is None else float(s.values[m]) for m in self.months
                    ],
                }
                for s in self.series
            ],
        }


def side_by_side(
    values: OutcomeValueQuerySet,
    trend: Iterable[TrendPoint],
    today: datetime.date | None = None,
) -> SideBySide:
    """The last MONTHS_SHOWN months of `values` (a team's or department's) beside the closed
    rounds of `trend`. One query: the values with their measures."""
    this_month = first_of_month(today or timezone.localdate())
    since = add_months(this_month, -(MONTHS_SHOWN - 1))
    series: dict[int, Series] = {}
    for value in values.for_series(since):
        series.setdefault(value.measure_id, Series(value.measure)).values[value.month] = value.value
    levels: dict[datetime.date, LevelPoint] = {}
    for point in trend:
        if not point.round.is_closed() or not (point.people.shown or point.people.withheld):
            continue  # open: nothing over people is published yet
        month = closing_month(point.round)
        if since <= month <= this_month:
            # Two rounds closing in one month: the later one (the trend is in order).
            levels[month] = LevelPoint(month, point.round, point.people)
    seen = set(levels) | {m for s in series.values() for m in s.values}
    months = month_range(min(seen), this_month) if seen else []
    return SideBySide(months=months, levels=levels, series=list(series.values()))


def for_team(view) -> SideBySide:
    """A team dashboard's `TeamView`: its trend and the team's values."""
    return side_by_side(OutcomeValue.objects.of_team(view.team), view.trend)
