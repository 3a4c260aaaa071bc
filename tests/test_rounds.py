"""HR opens a round: every member is expected to assess themselves, managers rate members."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Assessment, Membership, Round
from assessments.services import round_populate

pytestmark = pytest.mark.django_db


def test_hr_creates_a_round_in_the_admin_and_the_assessments_are_expected(org, login, framework):
    client = login(org["hanna"])
    response = client.post(
        reverse("admin:assessments_round_add"),
        {
            "name": "Q1 2027",
            "framework": framework.pk,
            "teams": [org["noord"].pk, org["zuid"].pk],
            "kind": "development",
            "opens_on": "2027-01-01",
            "closes_on": "2027-03-31",
        },
    )
    assert response.status_code == 302, response.content
    round_ = Round.objects.get(name="Q1 2027")
    pairs = set(
        Assessment.objects.filter(round=round_).values_list(
            "subject__username", "assessor__username", "perspective"
        )
    )
    assert pairs == {
        ("anna", "anna", "self"),
        ("bram", "bram", "self"),
        ("zoe", "zoe", "self"),
        ("anna", "maud", "manager"),
        ("bram", "maud", "manager"),
        ("zoe", "otto", "manager"),
    }


def test_a_round_cannot_close_before_it_opens(org, login, framework):
    client = login(org["hanna"])
    response = client.post(
        reverse("admin:assessments_round_add"),
        {
            "name": "Verkeerd",
            "framework": framework.pk,
            "teams": [org["noord"].pk],
            "kind": "development",
            "opens_on": "2027-03-01",
            "closes_on": "2027-01-01",
        },
    )
    assert response.status_code == 200
    assert not Round.objects.filter(name="Verkeerd").exists()


def test_populating_again_adds_only_newcomers(dev_round, org):
    assert round_populate(round_=dev_round) == 0
    newcomer = org["xander"]
    Membership.objects.create(person=newcomer, team=org["noord"])
    assert round_populate(round_=dev_round) == 2  # self, and Maud's rating
    assert Assessment.objects.filter(round=dev_round, subject=newcomer).count() == 2


def test_a_round_is_open_from_its_first_to_its_last_day(framework):
    round_ = Round(
        framework=framework,
        opens_on=datetime.date(2027, 1, 1),
        closes_on=datetime.date(2027, 1, 31),
    )
    assert not round_.is_open(datetime.date(2026, 12, 31))
    assert round_.is_open(datetime.date(2027, 1, 1))
    assert round_.is_open(datetime.date(2027, 1, 31))
    assert not round_.is_open(datetime.date(2027, 2, 1))
    assert round_.is_closed(datetime.date(2027, 2, 1))


def test_once_answers_exist_the_rounds_framework_and_kind_are_read_only(dev_round, org, login):
    from assessments.services import Answers, assessment_save

    own = Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self")
    client = login(org["hanna"])
    url = reverse("admin:assessments_round_change", args=[dev_round.pk])
    assert 'name="kind"' in client.get(url).text
    indicator = dev_round.framework.levels.first().indicators.first()
    assessment_save(assessment=own, answers=Answers(choices={indicator.pk: 4}))
    page = client.get(url).text
    assert 'name="kind"' not in page and 'name="framework"' not in page
