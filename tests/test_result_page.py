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
