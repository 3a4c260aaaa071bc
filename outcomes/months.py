"""Months as people write them: 2026-03 or 03-2026, kept as the first of the month."""

from __future__ import annotations

import datetime
import re

MONTH = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|(\d{1,2})-(\d{4}))\s*$")


def parse_month(text: str) -> datetime.date | None:
    """The first of the month that `text` names, or None when it names none."""
    match = MONTH.match(text)
    if not match:
        return None
    year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
    try:
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        return None


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = []
    while first <= last:
        months.append(first)
        first = add_months(first, 1)
    return months
