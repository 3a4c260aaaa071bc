"""A pulse round that asks some levels only: the form, the submit check and the scoring know
which behaviours it asks, and a level it did not ask is unknown, not unmet."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessments import scoring
from assessments.models import Assessment, Indicator, LevelResult, Round
from assessments.services import Answers, assessment_save, assessment_submit
from tests.conftest import make_round

rating = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
level = st.lists(rating, min_size=1, max_size=5)


# --- The scoring rules -----------------------------------------------------------------------


def test_a_level_that_was_not_asked_is_neither_met_nor_unmet():
    result = scoring.profile([None, [4, 4, 5], None])
    assert [lvl.met for lvl in result.levels] == [None, True, None]
    assert result.levels[0].score is None and not result.levels[0].asked
    assert result.attained is None  # level 1 unknown: the attained level is too
    assert result.bottleneck is None
    assert not result.complete


def test_asked_levels_from_level_one_up_give_a_known_attained_level_when_one_is_unmet():
    # Level 2 not met: whatever levels 3-5 would be, the attained level is 1.
    result = scoring.profile([[5, 5], [2, 2], None, None, None])
    assert result.attained == 1
    assert result.bottleneck == 2


def test_all_asked_levels_met_leaves_the_attained_level_unknown_above_them():
    result = scoring.profile([[5, 5], [4, 4], None])
    assert result.attained is None
    assert result.bottleneck is None


def test_a_complete_profile_is_scored_as_before():
    result = scoring.profile([[5, 4, 4], [4, 4, 5, 4, 4], [2, 3, 4, 2, 3], [5, 5, 4], [3, 3]])
    assert result.complete
    assert (result.attained, result.bottleneck) == (2, 3)


@given(st.lists(st.tuples(st.booleans(), level), min_size=1, max_size=5), st.data())
def test_a_known_attained_level_holds_whatever_the_levels_not_asked_would_have_been(levels, data):
    partial = [ratings if asked else None for asked, ratings in levels]
    known = scoring.profile(partial).attained
    completed = [ratings if ratings is not None else data.draw(level) for ratings in partial]
    full = scoring.profile(completed).attained
    if known is not None:
        assert full == known
    # The known part is a lower bound in any case: met levels stay met.
    met = [lvl.met for lvl in scoring.profile(partial).levels]
    for asked_met, full_met in zip(
        met, (lvl.met for lvl in scoring.profile(completed).levels), strict=True
    ):
        if asked_met is not None:
            assert asked_met == full_met


# --- The round --------------------------------------------------------------------------------


@pytest.fixture
def pulse_on_3_and_4(org, framework):
    round_ = make_round(org, framework, kind="pulse", name="Pulse niveau 3 en 4")
    round_.asked_levels = [3, 4]
    round_.full_clean()
    round_.save()
    return round_


def asked_indicators(framework, numbers):
    return list(
        Indicator.objects.filter(level__framework=framework, level__number__in=numbers)
        .order_by("level__number", "position")
        .values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_only_a_pulse_round_can_ask_some_of_the_levels(org, framework):
    round_ = make_round(org, framework)
    round_.asked_levels = [3]
    with pytest.raises(ValidationError, match="Alleen een pulsronde"):
        round_.full_clean()


@pytest.mark.django_db
def test_a_round_cannot_ask_a_level_its_framework_lacks(org, framework):
    round_ = make_round(org, framework, kind="pulse")
    round_.asked_levels = [3, 9]
    with pytest.raises(ValidationError, match="geen niveau 9"):
        round_.full_clean()


@pytest.mark.django_db
def test_hr_chooses_the_levels_of_a_pulse_round_in_the_admin(org, login, framework):
    response = login(org["hanna"]).post(
        reverse("admin:assessments_round_add"),
        {
            "name": "Pulse mei",
            "framework": framework.pk,
            "teams": [org["noord"].pk],
            "kind": "pulse",
            "opens_on": "2027-05-01",
            "closes_on": "2027-05-14",
            "asked_levels": ["4", "3"],
        },
    )
    assert response.status_code == 302, response.content
    assert Round.objects.get(name="Pulse mei").asked_levels == [3, 4]


@pytest.mark.django_db
def test_the_form_asks_only_the_behaviours_of_the_asked_levels(pulse_on_3_and_4, org, login):
    own = Assessment.objects.get(round=pulse_on_3_and_4, subject=org["anna"])
    page = login(org["anna"]).get(reverse("assessments:assessment", args=[own.pk]))
    assert page.status_code == 200
    assert "Niveau 3" in page.text and "Niveau 4" in page.text
    assert "Niveau 1" not in page.text and "Niveau 5" not in page.text


@pytest.mark.django_db
def test_an_answer_to_a_behaviour_the_round_does_not_ask_is_refused(
    pulse_on_3_and_4, org, login, framework
):
    own = Assessment.objects.get(round=pulse_on_3_and_4, subject=org["anna"])
    [level_1] = asked_indicators(framework, [1])[:1]
    response = login(org["anna"]).post(
        reverse("assessments:autosave", args=[own.pk]), {f"r{level_1}": "4"}
    )
    assert response.status_code == 400
    assert not own.ratings.exists()


@pytest.mark.django_db
def test_the_home_page_counts_the_asked_behaviours_only(pulse_on_3_and_4, org, login, framework):
    own = Assessment.objects.get(round=pulse_on_3_and_4, subject=org["anna"])
    assessment_save(
        assessment=own, answers=Answers(choices={asked_indicators(framework, [3])[0]: 4})
    )
    page = login(org["anna"]).get(reverse("assessments:home"))
    assert "1 van 8 beantwoord" in page.text  # levels 3 and 4: 5 + 3 behaviours


@pytest.mark.django_db
def test_submitting_needs_the_asked_behaviours_only_and_scores_those_levels(
    pulse_on_3_and_4, org, framework
):
    own = Assessment.objects.get(round=pulse_on_3_and_4, subject=org["anna"])
    saved = assessment_submit(
        assessment=own,
        answers=Answers(choices=dict.fromkeys(asked_indicators(framework, [3, 4]), 5)),
    )
    assert saved.missing == []
    own.refresh_from_db()
    assert own.is_submitted
    assert own.attained_level is None  # levels 1 and 2 were not asked
    results = dict(LevelResult.objects.filter(assessment=own).values_list("level__number", "met"))
    assert results == {3: True, 4: True}


@pytest.mark.django_db
def test_a_pulse_from_level_one_scores_a_known_attained_level(org, framework):
    round_ = make_round(org, framework, kind="pulse")
    round_.asked_levels = [1, 2]
    round_.save()
    own = Assessment.objects.get(round=round_, subject=org["anna"])
    choices = dict.fromkeys(asked_indicators(framework, [1]), 5)
    choices.update(dict.fromkeys(asked_indicators(framework, [2]), 2))
    assessment_submit(assessment=own, answers=Answers(choices=choices))
    own.refresh_from_db()
    assert own.attained_level == 1


@pytest.mark.django_db
def test_the_result_page_shows_the_asked_levels_and_says_the_attained_level_is_unknown(
    pulse_on_3_and_4, org, login, framework
):
    own = Assessment.objects.get(round=pulse_on_3_and_4, subject=org["anna"])
    assessment_submit(
        assessment=own,
        answers=Answers(choices=dict.fromkeys(asked_indicators(framework, [3, 4]), 5)),
    )
    page = login(org["anna"]).get(
        reverse("assessments:result", args=[pulse_on_3_and_4.pk, org["anna"].pk])
    )
    assert page.status_code == 200
    assert "Behaalde niveau niet bekend uit deze ronde" in page.text
    assert "Alle niveaus zijn behaald" not in page.text
    assert "Neemt persoonlijke verantwoordelijkheid" in page.text  # level 3
    assert "Heeft een lange termijn perspectief" not in page.text  # level 5
