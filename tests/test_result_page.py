"""The result page: perspectives side by side, gaps, bottleneck, reflection, hidden ratings."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Assessment, Indicator
from assessments.services import Answers, assessment_submit

pytestmark = pytest.mark.django_db


def answers(framework, value_for_level):
    choices = {
        pk: value_for_level(number)
        for pk, number in Indicator.objects.filter(level__framework=framework).values_list(
            "pk", "level__number"
        )
    }
    return Answers(choices=choices)


@pytest.fixture
def both(dev_round, org, framework):
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self")
    manager = Assessment.objects.get(round=dev_round, subject=org["anna"], assessor=org["maud"])
    return own, manager


def url(dev_round, person):
    return reverse("assessments:result", args=[dev_round.pk, person.pk])


def test_the_manager_rating_is_hidden_until_the_employee_has_submitted(
    both, dev_round, org, login, framework
):
    own, manager = both
    assessment_submit(assessment=manager, answers=answers(framework, lambda n: 2))
    client = login(org["anna"])
    page = client.get(url(dev_round, org["anna"]))
    assert "Leidinggevende (Maud)" not in page.text
    assert "zodra je je eigen zelfbeoordeling" in page.text
    assessment_submit(assessment=own, answers=answers(framework, lambda n: 5 if n < 4 else 3))
    page = client.get(url(dev_round, org["anna"]))
    assert "Leidinggevende (Maud)" in page.text


def test_after_the_round_closes_the_manager_rating_is_shown(both, dev_round, org, login, framework):
    _own, manager = both
    assessment_submit(assessment=manager, answers=answers(framework, lambda n: 4))
    dev_round.closes_on = datetime.date.today() - datetime.timedelta(days=1)
    dev_round.opens_on = dev_round.closes_on - datetime.timedelta(days=10)
    dev_round.save()
    page = login(org["anna"]).get(url(dev_round, org["anna"]))
    assert "Leidinggevende (Maud)" in page.text


def test_levels_gaps_bottleneck_and_development_points(both, dev_round, org, login, framework):
    own, manager = both
    # Self: levels 1-3 met, 4 not (2s), 5 met. Manager: 5 everywhere but 3 on level 3.
    assessment_submit(assessment=own, answers=answers(framework, lambda n: 2 if n == 4 else 5))
    assessment_submit(assessment=manager, answers=answers(framework, lambda n: 3 if n == 3 else 5))
    page = login(org["maud"]).get(url(dev_round, org["anna"]))
    assert page.status_code == 200
    result = page.context["result"]
    self_view, manager_view = result.perspectives
    assert self_view.profile.attained == 3 and self_view.profile.bottleneck == 4
    assert manager_view.profile.attained == 2 and manager_view.profile.bottleneck == 3
    level4 = result.levels[3]
    assert all(row.gap == -3 and row.flagged for row in level4.indicators)
    level3 = result.levels[2]
    assert all(row.gap == 2 and row.flagged for row in level3.indicators)
    assert not any(row.flagged for row in result.levels[0].indicators)
    assert len(self_view.development_points) == 3
    assert {i.level.number for i in self_view.development_points} == {4}
    assert "⚑" in page.text
    assert 'id="chart-data"' in page.text and "level-chart" in page.text


def test_reflection_answers_appear_on_the_result(both, dev_round, org, login, framework):
    own, _ = both
    question = framework.questions.first()
    base = answers(framework, lambda n: 4)
    assessment_submit(
        assessment=own,
        answers=Answers(choices=base.choices, reflections={question.pk: "Via de klantpanels."}),
    )
    page = login(org["anna"]).get(url(dev_round, org["anna"]))
    assert "Via de klantpanels." in page.text
    assert question.text_nl in page.text


def test_the_home_page_lists_what_is_to_do(dev_round, org, login):
    page = login(org["maud"]).get(reverse("assessments:home"))
    assert page.status_code == 200
    assert "Anna" in page.text and "Bram" in page.text
    page = login(org["anna"]).get(reverse("assessments:home"))
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self")
    assert reverse("assessments:assessment", args=[own.pk]) in page.text


def by_position(framework, values_for_level):
    """Answers per indicator: values_for_level(level number) gives one value per position."""
    choices = {}
    for pk, number, position in Indicator.objects.filter(level__framework=framework).values_list(
        "pk", "level__number", "position"
    ):
        choices[pk] = values_for_level(number)[position - 1]
    return Answers(choices=choices)


FIVES = {1: [5, 5, 5], 2: [5, 5, 5, 5, 5], 3: [5] * 5, 4: [5] * 3, 5: [5] * 5}


def test_a_level_below_the_threshold_says_its_mean_against_the_threshold(
    both, dev_round, org, login, framework
):
    own, _ = both
    levels = {**FIVES, 2: [5, 4, 3, 4, 3]}  # mean 3.8
    assessment_submit(assessment=own, answers=by_position(framework, levels.__getitem__))
    page = login(org["anna"]).get(url(dev_round, org["anna"]))
    self_view = page.context["result"].perspectives[0]
    assert (self_view.profile.attained, self_view.bottleneck.number) == (1, 2)
    assert self_view.bottleneck_reasons == ["gemiddelde 3,8 < 4,0"]
    assert "Volgende stap: niveau 2, Onderhouden van duidelijke communicatie" in page.text
    assert "Nog niet gehaald: gemiddelde 3,8 &lt; 4,0." in page.text
    # The behaviours under 4,0, lowest first; the 4s and the 5 already reach the threshold.
    assert [(i.level.number, i.position) for i in self_view.development_points] == [
        (2, 3),
        (2, 5),
    ]
    assert "onder de 4,0" in page.text
    # The level table says why for every level not met, and marks the met ones.
    level_rows = page.context["result"].levels
    assert [row.outcomes[0].reasons for row in level_rows] == [[], ["gemiddelde 3,8 < 4,0"]] + [
        []
    ] * 3


def test_a_level_short_of_ratings_says_so_and_suggests_no_development_points(
    both, dev_round, org, login, framework
):
    # Every bar at 5,0, but of level 2 only two behaviours rated: it does not count yet.
    own, _ = both
    levels = {**FIVES, 2: [5, "na", 5, "na", "na"]}
    assessment_submit(assessment=own, answers=by_position(framework, levels.__getitem__))
    page = login(org["anna"]).get(url(dev_round, org["anna"]))
    self_view = page.context["result"].perspectives[0]
    assert self_view.profile.attained == 1
    assert self_view.development_points == []
    assert "Nog niet gehaald: 2 van 5 gedragingen beoordeeld, minstens 3 nodig." in page.text
    assert (
        "Elke beoordeelde gedraging van dit niveau haalt de 4,0 al; er zijn te weinig "
        "gedragingen beoordeeld om te zeggen waaraan gewerkt moet worden."
    ) in page.text
    assert 'class="development-points' not in page.text


def test_a_level_with_nothing_rated_says_nothing_is_known(both, dev_round, org, login, framework):
    own, _ = both
    levels = {**FIVES, 1: ["na", "na", "na"]}
    assessment_submit(assessment=own, answers=by_position(framework, levels.__getitem__))
    page = login(org["anna"]).get(url(dev_round, org["anna"]))
    assert "Nog niet op niveau 1." in page.text
    assert "Nog niet gehaald: 0 van 3 gedragingen beoordeeld, minstens 2 nodig." in page.text
    assert "Van dit niveau is geen enkele gedraging beoordeeld" in page.text


def test_a_level_of_one_behaviour_reads_in_the_singular():
    from assessments.results import why_not_met
    from assessments.scoring import profile

    outcome = profile([[None]]).levels[0]
    assert why_not_met(outcome) == ["0 van 1 gedraging beoordeeld, minstens 1 nodig"]


def test_the_target_is_the_target_of_the_team_the_assessment_was_made_in(
    both, dev_round, org, login, framework
):
    own, _ = both
    levels = {**FIVES, 4: [2, 2, 2]}  # attained 3
    assessment_submit(assessment=own, answers=by_position(framework, levels.__getitem__))
    client = login(org["anna"])
    page = client.get(url(dev_round, org["anna"]))
    assert "Op of boven het doel van team Noord: niveau 3." in page.text
    org["noord"].target_level = 4
    org["noord"].save()
    page = client.get(url(dev_round, org["anna"]))
    assert "Onder het doel van team Noord: niveau 4." in page.text
    assert "niveau 3." not in page.text


def test_examples_from_practice_say_whose_they_are(both, dev_round, org, login, framework):
    own, manager = both
    first = Indicator.objects.get(level__framework=framework, level__number=1, position=1)
    base = answers(framework, lambda n: 4)
    assessment_submit(
        assessment=own,
        answers=Answers(choices=base.choices, examples={first.pk: "Ik belde mevrouw Jansen."}),
    )
    assessment_submit(
        assessment=manager,
        answers=Answers(choices=base.choices, examples={first.pk: "Anna belde terug."}),
    )
    page = login(org["anna"]).get(url(dev_round, org["anna"]))
    row = page.context["result"].levels[0].indicators[0]
    assert [(e.author, e.text) for e in row.examples] == [
        ("Zelf", "Ik belde mevrouw Jansen."),
        ("Maud", "Anna belde terug."),
    ]
    assert (
        '<span class="fw-semibold">Maud:</span> <span class="fst-italic">“Anna belde terug.”'
        in (page.text)
    )


def test_the_level_table_and_chart_use_plain_words(both, dev_round, org, login, framework):
    own, _ = both
    assessment_submit(assessment=own, answers=answers(framework, lambda n: 4))
    page = login(org["anna"]).get(url(dev_round, org["anna"]))
    assert "beheersingsdrempel" not in page.text.lower()
    chart = page.context["chart"]
    assert chart["thresholdLabel"] == "nodig om een niveau te halen"
    assert chart["shortLabels"] == ["Niveau 1", "Niveau 2", "Niveau 3", "Niveau 4", "Niveau 5"]
    assert (
        "Een niveau is behaald als de beoordeelde gedragingen gemiddeld 4,0 of meer scoren en "
        "minstens 50% van de gedragingen is beoordeeld."
    ) in page.text
    # One perspective: the level rows of the behaviour table span its two columns.
    assert 'colspan="2" scope="rowgroup"' in page.text


def test_scores_in_words_are_rounded_as_in_the_tables_but_never_up_to_the_threshold():
    from decimal import Decimal

    from django.utils import translation

    from assessments.results import decimal_text

    with translation.override("nl"):
        assert decimal_text(Decimal("3.8")) == "3,8"
        assert decimal_text(Decimal(11) / 3) == "3,67"
        assert decimal_text(Decimal("4.00")) == "4,0"
        assert decimal_text(Decimal("3.996")) == "4,0"
        assert decimal_text(Decimal("3.996"), below=Decimal("4.0")) == "3,99"
    with translation.override("en"):
        assert decimal_text(Decimal("3.8")) == "3.8"
