"""The scoring rules of PRODUCT.md ("Rating and scoring") as plain functions over plain values.

No database and no Django here, so the rules can be read next to the specification and tested
exhaustively. A rating is an int on the framework's scale, or None when the indicator is not
rated ("Kan ik niet beoordelen", or not answered): None never counts as a zero.

A round may ask a subset of the levels (a short pulse on the levels a team works on). A level
that was not asked is unknown, not unmet: its `met` is None, and an attained level or a
bottleneck that depends on it is unknown (None) too.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

DEFAULT_THRESHOLD = Decimal("4.0")
DEFAULT_MIN_RATED_SHARE = Decimal("0.5")
GAP_FLAG = 2
DEVELOPMENT_POINTS = 3

Rating = int | None


@dataclass(frozen=True)
class LevelOutcome:
    number: int
    score: Decimal | None
    rated: int
    total: int
    met: bool | None  # None: the level was not asked

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


def level_met(
    ratings: Sequence[Rating],
    *,
    threshold: Decimal = DEFAULT_THRESHOLD,
    min_rated_share: Decimal = DEFAULT_MIN_RATED_SHARE,
) -> bool:
    """Met when the score reaches the threshold and enough of the indicators are rated."""
    if not ratings:
        return False
    rated = sum(1 for r in ratings if r is not None)
    if Decimal(rated) < min_rated_share * len(ratings):
        return False
    score = level_score(ratings)
    return score is not None and score >= threshold


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
    outcomes = tuple(
        LevelOutcome(number=number, score=None, rated=0, total=0, met=None)
        if ratings is None
        else LevelOutcome(
            number=number,
            score=level_score(ratings),
            rated=sum(1 for r in ratings if r is not None),
            total=len(ratings),
            met=level_met(ratings, threshold=threshold, min_rated_share=min_rated_share),
        )
        for number, ratings in enumerate(levels, start=1)
    )
    met = [o.met for o in outcomes]
    return Profile(levels=outcomes, attained=attained_level(met), bottleneck=bottleneck_level(met))


def development_points[K: Hashable](
    ratings: Mapping[K, Rating], *, count: int = DEVELOPMENT_POINTS
) -> list[K]:
    """The lowest-scored indicators of the bottleneck level, lowest first.

    Unrated indicators are not suggested: nothing is known about them. Ties keep the order of
    the mapping (the order of the indicators in the model).
    """
    rated = [
        (value, index, key)
        for index, (key, value) in enumerate(ratings.items())
        if value is not None
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
