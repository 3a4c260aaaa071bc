"""Writing outcome values: one month of one team or department at a time, or a whole import.
Each in one transaction; a value entered again replaces the one before."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from assessments.models import Department, Team

from .models import OutcomeMeasure, OutcomeValue


@transaction.atomic
def month_save(
    *,
    place: Team | Department,
    month: datetime.date,
    values: Mapping[OutcomeMeasure, Decimal | None],
    by: AbstractBaseUser,
) -> tuple[int, int]:
    """Stores the month's values of `place`; a measure left empty (None) loses its value.
    Returns how many values were stored and how many removed."""
    where = {"team": place} if isinstance(place, Team) else {"department": place}
    existing = {
        v.measure_id: v
        for v in OutcomeValue.objects.select_for_update().filter(
            month=month, measure__in=values, **where
        )
    }
    now = timezone.now()
    stored = removed = 0
    for measure, value in values.items():
        current = existing.get(measure.pk)
        if value is None:
            if current is not None:
                current.delete()
                removed += 1
            continue
        if current is not None and current.value == value:
            continue
        OutcomeValue.objects.update_or_create(
            measure=measure,
            month=month,
            **where,
            defaults={"value": value, "entered_by": by, "entered_at": now},
        )
        stored += 1
    return stored, removed
