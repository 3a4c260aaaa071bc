"""The scoring rules of PRODUCT.md, exhaustively and as properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import scoring

rating = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
level = st.lists(rating, min_size=1, max_size=6)
levels = st.lists(level, min_size=1, max_size=6)


def test_level_score_is_the_mean_of_rated_indicators_only():
    assert scoring.level_score([4, 5, None]) == Decimal("4.5")
    assert scoring.level_score([None, None]) is None
    assert scoring.level_score([3]) == 3


def test_a_level_is_met_at_the_threshold_with_half_rated():
    assert scoring.level_met([4, 4, 4])
    assert not scoring.level_met([4, 4, 3])  # 3.67 < 4.0
    assert scoring.level_met([4, None])  # half rated is enough
    assert not scoring.level_met([5, None, None])  # a third is not
    assert scoring.level_met([5, 5, None, None])
    assert not scoring.level_met([])


def test_threshold_and_share_are_per_framework():
    assert scoring.level_met([3, 3], threshold=Decimal("3.0"))
    assert not scoring.level_met([5, None], min_rated_share=Decimal("0.75"))


def test_levels_are_cumulative():
    assert scoring.attained_level([True, True, False, True, False]) == 2
    assert scoring.bottleneck_level([True, True, False, True, False]) == 3
    assert scoring.attained_level([False, True, True, True, True]) == 0
    assert scoring.bottleneck_level([False, True]) == 1
    assert scoring.attained_level([True] * 5) == 5
    assert scoring.bottleneck_level([True] * 5) is None


# Every combination of five levels met (x) or not (.), level 1 first, with the attained and
# the bottleneck level written out: the highest level up to which all are met, and the next.
EVERY_COMBINATION = [
    (".....", 0, 1),
    ("....x", 0, 1),
    ("...x.", 0, 1),
    ("...xx", 0, 1),
    ("..x..", 0, 1),
    ("..x.x", 0, 1),
    ("..xx.", 0, 1),
    ("..xxx", 0, 1),
    (".x...", 0, 1),
    (".x..x", 0, 1),
    (".x.x.", 0, 1),
    (".x.xx", 0, 1),
    (".xx..", 0, 1),
    (".xx.x", 0, 1),
    (".xxx.", 0, 1),
    (".xxxx", 0, 1),
    ("x....", 1, 2),
    ("x...x", 1, 2),
    ("x..x.", 1, 2),
    ("x..xx", 1, 2),
    ("x.x..", 1, 2),
    ("x.x.x", 1, 2),
    ("x.xx.", 1, 2),
    ("x.xxx", 1, 2),
    ("xx...", 2, 3),
    ("xx..x", 2, 3),
    ("xx.x.", 2, 3),  # PRODUCT.md: levels 1, 2 and 4 met -> attained 2, bottleneck 3
    ("xx.xx", 2, 3),
    ("xxx..", 3, 4),
    ("xxx.x", 3, 4),
    ("xxxx.", 4, 5),
    ("xxxxx", 5, None),
]


def test_the_table_holds_every_combination_once():
    assert len({pattern for pattern, _, _ in EVERY_COMBINATION}) == 32


@pytest.mark.parametrize("pattern, attained, bottleneck", EVERY_COMBINATION)
def test_attained_level_for_every_combination_of_five_levels(pattern, attained, bottleneck):
    met = [mark == "x" for mark in pattern]
    assert scoring.attained_level(met) == attained
    assert scoring.bottleneck_level(met) == bottleneck


def test_profile_matches_the_example_of_the_specification():
    # Levels 1, 2 and 4 met: attained level 2, level 3 is the bottleneck.
    result = scoring.profile([[5, 4, 4], [4, 4, 5, 4, 4], [2, 3, 4, 2, 3], [5, 5, 4], [3, 3]])
    assert [lvl.met for lvl in result.levels] == [True, True, False, True, False]
    assert result.attained == 2
    assert result.bottleneck == 3


def test_development_points_are_the_lowest_rated_in_model_order():
    points = scoring.development_points({"a": 4, "b": 2, "c": None, "d": 2, "e": 1}, count=3)
    assert points == ["e", "b", "d"]


def test_gaps_of_two_or_more_are_conversation_topics():
    assert scoring.gap(5, 3) == 2 and scoring.is_conversation_topic(2)
    assert scoring.gap(2, 5) == -3 and scoring.is_conversation_topic(-3)
    assert not scoring.is_conversation_topic(scoring.gap(4, 3))
    assert scoring.gap(None, 3) is None and not scoring.is_conversation_topic(None)


@given(levels)
def test_attained_level_never_passes_a_level_that_is_not_met(ratings):
    result = scoring.profile(ratings)
    assert all(lvl.met for lvl in result.levels[: result.attained])
    if result.attained < len(ratings):
        assert not result.levels[result.attained].met


@given(levels, st.data())
def test_raising_one_rating_never_lowers_the_attained_level(ratings, data):
    i = data.draw(st.integers(0, len(ratings) - 1))
    j = data.draw(st.integers(0, len(ratings[i]) - 1))
    current = ratings[i][j]
    if current is None or current == 5:
        return
    raised = [list(lvl) for lvl in ratings]
    raised[i][j] = data.draw(st.integers(current + 1, 5))
    assert scoring.profile(raised).attained >= scoring.profile(ratings).attained


@pytest.mark.parametrize(
    "ratings, score",
    [
        ([4, None, None, 2], Decimal(3)),  # not 6 / 4 = 1.5
        ([5, None], Decimal(5)),
        ([1, None, 1], Decimal(1)),
        ([2, 3, None, 3, None], Decimal(8) / 3),
        ([None, None, None], None),  # nothing rated: no score, not 0
    ],
)
def test_unrated_answers_never_count_as_zeros(ratings, score):
    assert scoring.level_score(ratings) == score


@given(level)
def test_a_level_score_lies_between_its_lowest_and_highest_rating(ratings):
    rated = [r for r in ratings if r is not None]
    score = scoring.level_score(ratings)
    if rated:
        assert min(rated) <= score <= max(rated)
    else:
        assert score is None


@given(level)
def test_adding_an_unrated_indicator_never_raises_the_score(ratings):
    with_unrated = [*ratings, None]
    assert scoring.level_score(with_unrated) == scoring.level_score(ratings)
    assert scoring.level_met(with_unrated) <= scoring.level_met(ratings)


# Why a level is not met, written out: ratings, then the rated indicators needed and the
# shortfalls (TOO_FEW: fewer rated than needed; BELOW: the mean is under the threshold 4.0).
TOO_FEW = scoring.Shortfall.TOO_FEW_RATED
BELOW = scoring.Shortfall.BELOW_THRESHOLD
WHY_NOT_MET = [
    ([4, 4, 4], 2, ()),  # met: 3 of 3 rated, mean 4.0
    ([5, 4, 3, 4, 3], 3, (BELOW,)),  # mean 3.8 < 4.0
    ([5, 5, None, None, None], 3, (TOO_FEW,)),  # 2 of 5 rated, at least 3 needed
    ([2, None, None, None, None], 3, (TOO_FEW, BELOW)),  # both at once
    ([None, None, None], 2, (TOO_FEW,)),  # nothing rated: no score to be below anything
    ([5, None, None], 2, (TOO_FEW,)),  # half of 3 is 1.5: 2 needed
    ([5, None], 1, ()),  # half of 2 is 1
    ([5, 5, None, None], 2, ()),
    ([], 1, (TOO_FEW,)),  # a level without indicators is never met
]


@pytest.mark.parametrize("ratings, needed, why", WHY_NOT_MET)
def test_a_level_that_is_not_met_says_why(ratings, needed, why):
    assert scoring.rated_needed(len(ratings)) == needed
    assert scoring.shortfalls(ratings) == why
    assert scoring.level_met(ratings) is (why == ())


def test_the_rated_share_needed_rounds_up_per_framework():
    assert scoring.rated_needed(5, min_rated_share=Decimal("0.5")) == 3
    assert scoring.rated_needed(5, min_rated_share=Decimal("0.6")) == 3
    assert scoring.rated_needed(5, min_rated_share=Decimal("0.61")) == 4
    assert scoring.rated_needed(4, min_rated_share=Decimal("1")) == 4
    assert scoring.rated_needed(3, min_rated_share=Decimal("0.01")) == 1


def test_the_profile_carries_what_each_level_was_held_against():
    result = scoring.profile(
        [[5, 5, 5], [5, 5, None, None, None], [3, 4, 4, 4, 4]], threshold=Decimal("4.0")
    )
    first, second, third = result.levels
    assert (first.met, first.shortfalls) == (True, ())
    assert (second.rated, second.total, second.needed, second.score) == (2, 5, 3, Decimal(5))
    assert second.shortfalls == (TOO_FEW,)
    assert third.score == Decimal("3.8") and third.threshold == Decimal("4.0")
    assert third.shortfalls == (BELOW,)
    assert (result.attained, result.bottleneck) == (1, 2)


@given(level, st.sampled_from(["0.25", "0.5", "0.75", "1"]))
def test_met_is_the_specification_word_for_word(ratings, share):
    # PRODUCT.md: met when the score reaches the threshold and at least the share is rated.
    rated = [r for r in ratings if r is not None]
    literal = bool(rated) and len(rated) >= Decimal(share) * len(ratings)
    literal = literal and Decimal(sum(rated)) / len(rated) >= scoring.DEFAULT_THRESHOLD
    assert scoring.level_met(ratings, min_rated_share=Decimal(share)) is literal


def test_development_points_leave_out_what_reaches_the_threshold():
    ratings = {"a": 5, "b": 3, "c": None, "d": 4, "e": 2}
    assert scoring.development_points(ratings, below=Decimal("4.0")) == ["e", "b"]
    # A level short only of ratings: everything rated is at 5, nothing is known to improve.
    only_fives = {"a": 5, "b": 5, "c": None, "d": None, "e": None}
    assert scoring.development_points(only_fives, below=Decimal("4.0")) == []
    assert scoring.development_points(only_fives) == ["a", "b"]  # without `below`: as before
