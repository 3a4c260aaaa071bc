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


@pytest.mark.parametrize("mask", range(32))
def test_attained_level_for_every_combination_of_five_levels(mask):
    met = [bool(mask & (1 << i)) for i in range(5)]
    expected = 0
    while expected < 5 and met[expected]:
        expected += 1
    assert scoring.attained_level(met) == expected
    assert scoring.bottleneck_level(met) == (expected + 1 if expected < 5 else None)


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


@given(level)
def test_unrated_answers_never_count_as_zeros(ratings):
    rated = [r for r in ratings if r is not None]
    score = scoring.level_score(ratings)
    if rated:
        assert score == Decimal(sum(rated)) / len(rated)
        assert score >= 1
    else:
        assert score is None


@given(level)
def test_adding_an_unrated_indicator_never_raises_the_score(ratings):
    with_unrated = [*ratings, None]
    assert scoring.level_score(with_unrated) == scoring.level_score(ratings)
    assert scoring.level_met(with_unrated) <= scoring.level_met(ratings)
