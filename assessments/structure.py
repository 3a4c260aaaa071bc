"""The questions a round asks: its framework's levels (all, or those the round asks),
indicators, scale and reflection questions, read once per process.

A framework that a round uses never changes (FrameworkInUse), so what a round asks is fixed
as long as the round points at that framework. The key holds the round's creation time
because ids are reused (SQLite reuses them after a delete, tests roll back) and its
framework and asked levels because they may still be changed before anyone answered.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.db.models import Prefetch

from .models import Framework, Indicator, Level, ReflectionQuestion, Round, ScaleOption


@dataclass(frozen=True)
class Structure:
    framework: Framework
    levels: tuple[Level, ...]  # those the round asks, in order, indicators prefetched in order
    scale: tuple[ScaleOption, ...]
    questions: tuple[ReflectionQuestion, ...]
    # Every level of the framework: the scoring needs to know which ones were not asked.
    all_levels: tuple[Level, ...]

    @functools.cached_property
    def asked_level_ids(self) -> frozenset[int]:
        return frozenset(level.pk for level in self.levels)

    @functools.cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for level in self.levels for i in level.indicators.all())

    @functools.cached_property
    def indicator_ids(self) -> frozenset[int]:
        return frozenset(i.pk for i in self.indicators)

    @functools.cached_property
    def question_ids(self) -> frozenset[int]:
        return frozenset(q.pk for q in self.questions)


def round_structure(round_: Round) -> Structure:
    return _structure(
        round_.pk, round_.created_at, round_.framework_id, tuple(round_.asked_levels or ())
    )


@functools.lru_cache(maxsize=128)
def _structure(
    round_pk: int, created_at: datetime.datetime, framework_pk: int, asked: tuple[int, ...]
) -> Structure:
    framework = Framework.objects.get(pk=framework_pk)
    levels = tuple(
        framework.levels.order_by("number").prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position"))
        )
    )
    return Structure(
        framework=framework,
        levels=tuple(level for level in levels if not asked or level.number in asked),
        scale=tuple(framework.scale.order_by("value")),
        questions=tuple(framework.questions.order_by("position")),
        all_levels=levels,
    )
