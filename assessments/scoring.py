"""The scoring rules of PRODUCT.md ("Rating and scoring") as plain functions over plain values.

No database and no Django here, so the rules can be read next to the specification and tested
exhaustively. A rating is an int on the framework's scale, or None when the indicator is not
rated ("Kan ik niet beoordelen", or not answered): None never counts as a zero.

A round may ask a subset of the levels (a short pulse on the levels a team works on). A level
that was not asked is unknown, not unmet: its `met` is None, and an attained level or a
bottleneck that depends on it is unknown (None) too.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

DEFAULT_THRESHOLD = Decimal("4.0")
DEFAULT_MIN_RATED_SHARE = Decimal("0.5")
GAP_FLAG = 2
DEVELOPMENT_POINTS = 3

Rating = int | None


class Shortfall(enum.Enum):
    """Why a level is not met; a level can fall short on both counts at once."""

    TOO_FEW_RATED = "too few rated"  # fewer rated than `rated_needed`
    BELOW_THRESHOLD = "below threshold"  # the mean of the rated ones is under the threshold


@dataclass(frozen=True)
class LevelOutcome:
    number: int
    score: Decimal | None
    rated: int
    total: int
    met: bool | None  # None: the level was not asked
    # What the outcome was held against, so that a page can say why a level is not met.
    needed: int
    threshold: Decimal
    shortfalls: tuple[Shortfall, ...]

    @property
    def asked(self) -> bool:
        return self.met is not None


@dataclass(frozen=True)
class Profile:
    levels: tuple[LevelOutcome, ...]
    attained: int | None  # None: it depends on a level that was not asked
    bottleneck: int | None

    @property
    def complete(self) -> bool:
        """Every level was asked: the attained level and the bottleneck are known."""
        return all(level.asked for level in self.levels)


def level_score(ratings: Sequence[Rating]) -> Decimal | None:
    """The mean of the rated indicators of a level; None when none is rated."""
    rated = [r for r in ratings if r is not None]
    if not rated:
        return None
    return Decimal(sum(rated)) / Decimal(len(rated))


def rated_needed(total: int, *, min_rated_share: Decimal = DEFAULT_MIN_RATED_SHARE) -> int:
    """How many of a level's `total` indicators must be rated for it to count: the share,
    rounded up (half of 5 is 3), and at least one (a score needs a rating)."""
    return max(1, math.ceil(min_rated_share * total))


def shortfalls(
    ratings: Sequence[Rating],
    *,
    threshold: Decimal = DEFAULT_THRESHOLD,
    min_rated_share: Decimal = DEFAULT_MIN_RATED_SHARE,
) -> tuple[Shortfall, ...]:
    """Why the level is not met: nothing when it is met."""
    found = []
    if sum(1 for r in ratings if r is not None) < rated_needed(
        len(ratings), min_rated_share=min_rated_share
    ):
        found.append(Shortfall.TOO_FEW_RATED)
    score = level_score(ratings)
    if score is not None and score < threshold:
        found.append(Shortfall.BELOW_THRESHOLD)
    return tuple(found)


def level_met(
    ratings: Sequence[Rating],
    *,
    threshold: Decimal = DEFAULT_THRESHOLD,
    min_rated_share: Decimal = DEFAULT_MIN_RATED_SHARE,
) -> bool:
    """Met when the score reaches the threshold and enough of the indicators are rated."""
    return not shortfalls(ratings, threshold=threshold, min_rated_share=min_rated_share)


def attained_level(met: Sequence[bool | None]) -> int | None:
    """The highest level L such that levels 1..L are all met (met[0] is level 1); 0 if none.

    None when a level that was not asked (None) comes before the first level that is not met:
    then whether the person attains it is unknown.
    """
    attained = 0
    for is_met in met:
        if is_met is None:
            return None
        if not is_met:
            break
        attained += 1
    return attained


def bottleneck_level(met: Sequence[bool | None]) -> int | None:
    """The first level that is not met, the one that keeps the next level out of reach.

    None when every level is met, or when it is unknown (a level below was not asked).
    """
    attained = attained_level(met)
    if attained is None:
        return None
    return attained + 1 if attained < len(met) else None


def profile(
    levels: Sequence[Sequence[Rating] | None],
    *,
    threshold: Decimal = DEFAULT_THRESHOLD,
    min_rated_share: Decimal = DEFAULT_MIN_RATED_SHARE,
) -> Profile:
    """Scores every level (levels[0] is level 1) and derives the attained and bottleneck level.

    A level given as None was not asked: it has no score and is neither met nor unmet.
    """
    outcomes = []
    for number, ratings in enumerate(levels, start=1):
        if ratings is None:
            outcomes.append(
                LevelOutcome(
                    number=number,
                    score=None,
                    rated=0,
                    total=0,
                    met=None,
                    needed=0,
                    threshold=threshold,
                    shortfalls=(),
                )
            )
            continue
        missing = shortfalls(ratings, threshold=threshold, min_rated_share=min_rated_share)
        outcomes.append(
            LevelOutcome(
                number=number,
                score=level_score(ratings),
                rated=sum(1 for r in ratings if r is not None),
                total=len(ratings),
                met=not missing,
                needed=rated_needed(len(ratings), min_rated_share=min_rated_share),
                threshold=threshold,
                shortfalls=missing,
            )
        )
    met = [o.met for o in outcomes]
    return Profile(
        levels=tuple(outcomes), attained=attained_level(met), bottleneck=bottleneck_level(met)
    )


def development_points[K: Hashable](
    ratings: Mapping[K, Rating | Decimal],
    *,
    count: int = DEVELOPMENT_POINTS,
    below: Decimal | None = None,
) -> list[K]:
    """The lowest-scored indicators of the bottleneck level, lowest first.

    Unrated indicators are not suggested: nothing is known about them. With `below` (the
    threshold), neither are those rated at or above it: they already show the level's
    behaviour, so a level that falls short only for lack of ratings has no points to suggest.
    Ties keep the order of the mapping (the order of the indicators in the model).
    """
    rated = [
        (value, index, key)
        for index, (key, value) in enumerate(ratings.items())
        if value is not None and (below is None or value < below)
    ]
    rated.sort(key=lambda item: (item[0], item[1]))
    return [key for _, _, key in rated[:count]]


def gap(self_rating: Rating, manager_rating: Rating) -> int | None:
    """Self minus manager on one indicator; None unless both rated it."""
    if self_rating is None or manager_rating is None:
        return None
    return self_rating - manager_rating


def is_conversation_topic(difference: int | Decimal | None) -> bool:
    """A gap of two or more scale points, either way, is a topic for the conversation."""
    return difference is not None and abs(difference) >= GAP_FLAG


def score_gap(self_score: Decimal | None, manager_score: Decimal | None) -> Decimal | None:
    """Self minus manager on a level score; None unless both exist."""
    if self_score is None or manager_score is None:
        return None
    return self_score - manager_score
