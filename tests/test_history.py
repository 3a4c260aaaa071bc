"""A person's own page: their attained level and level scores over the rounds, their own and
their managers' once revealed, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Indicator, Round
from assessments.services import Answers, assessment_submit
from history.queries import person_history
from tests.conftest import make_round

pytestmark = pytest.mark.django_db


def answers(framework, value_for_level):
    return Answers(
        choices={
            pk: value_for_level(number)
            for pk, number in Indicator.objects.filter(level__framework=framework).values_list(
                "pk", "level__number"
            )
        }
    )


def submit(round_, assessor, subject, framework, value_for_level):
    assessment = Assessment.objects.get(round=round_, assessor=assessor, subject=subject)
    assessment_submit(assessment=assessment, answers=answers(framework, value_for_level))


def closed(round_):
    Round.objects.filter(pk=round_.pk).update(
        opens_on=round_.opens_on - datetime.timedelta(days=400),
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    round_.refresh_from_db()
    return round_


def test_the_page_shows_each_round_with_the_attained_level_self_and_manager(org, framework, login):
    first = make_round(org, framework, name="Q1 2026")
    submit(first, org["anna"], org["anna"], framework, lambda n: 5 if n <= 2 else 2)
    submit(first, org["maud"], org["anna"], framework, lambda n: 5 if n <= 1 else 2)
    second = make_round(org, framework, name="Q2 2026")
    submit(second, org["anna"], org["anna"], framework, lambda n: 5 if n <= 3 else 2)

    page = login(org["anna"]).get(reverse("history:mine"))
    assert page.status_code == 200
    history = person_history(person=org["anna"])
    assert [line.round.name for line in history.lines] == ["Q1 2026", "Q2 2026"]
    assert [line.own.attained for line in history.lines] == [2, 3]
    assert history.lines[0].manager.attained == 1  # revealed: Anna submitted her own
    assert history.lines[1].manager is None
    assert "Q1 2026" in page.text and "Q2 2026" in page.text
    assert page.context["chart"]["datasets"][0]["data"] == [2, 3]


def test_the_managers_rating_is_hidden_until_the_person_submitted_or_the_round_closed(
    org, framework
):
    round_ = make_round(org, framework)
    submit(round_, org["maud"], org["anna"], framework, lambda n: 4)
    [line] = person_history(person=org["anna"]).lines
    assert line.manager is None and line.manager_hidden
    closed(round_)
    [line] = person_history(person=org["anna"]).lines
    assert line.manager.attained == 5 and not line.manager_hidden


def test_a_pulse_round_shows_only_the_persons_own_and_its_asked_levels(org, framework, login):
    pulse = make_round(org, framework, kind="pulse", name="Pulse mei")
    pulse.asked_levels = [3, 4]
    pulse.save()
    submit(pulse, org["anna"], org["anna"], framework, lambda n: 5)
    [line] = person_history(person=org["anna"]).lines
    assert line.own.attained is None  # levels 1 and 2 were not asked
    assert [level.number for level, _ in line.own_cells] == [3, 4]
    page = login(org["anna"]).get(reverse("history:mine"))
    assert "Pulse mei" in page.text


def test_nobody_elses_results_appear_on_the_page(org, framework, login):
    round_ = make_round(org, framework, name="Alleen van Bram")
    submit(round_, org["bram"], org["bram"], framework, lambda n: 4)
    assert person_history(person=org["anna"]).lines == []
    page = login(org["anna"]).get(reverse("history:mine"))
    assert "Alleen van Bram" not in page.text
    assert "Nog geen ingediende beoordelingen" in page.text


def queries_for(person):
    with CaptureQueriesContext(connection) as captured:
        person_history(person=person)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_rounds(org, framework):
    submit(make_round(org, framework, name="R1"), org["anna"], org["anna"], framework, lambda n: 4)
    one = queries_for(org["anna"])
    for number in range(2, 6):
        round_ = make_round(org, framework, name=f"R{number}")
        submit(round_, org["anna"], org["anna"], framework, lambda n: 4)
        submit(round_, org["maud"], org["anna"], framework, lambda n: 3)
    # Assessments, ratings, levels and their indicators: four, for one round or five.
    assert one == queries_for(org["anna"]) == 4


def test_the_page_links_to_the_email_preferences(org, login):
    page = login(org["anna"]).get(reverse("history:mine"))
    assert reverse("notifications:preferences") in page.text
