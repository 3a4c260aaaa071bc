"""An internal customer rates a team that serves them: who may, saving, submitting, refusals."""

import pytest
from django.urls import reverse

from assessments.models import Indicator
from internal_customers.models import Answer, Feedback, Service
from internal_customers.services import CANNOT_RATE
from tests.conftest import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(org, framework):
    """Zuid serves Noord: Anna, Bram and Maud (Noord) are Zuid's internal customers."""
    Service.objects.create(provider=org["zuid"], customer=org["noord"])
    return make_round(org, framework)


def url(round_, team):
    return reverse("internal_customers:feedback", args=[round_.pk, team.pk])


def observable(framework):
    return list(
        Indicator.objects.filter(level__framework=framework, observable=True).order_by(
            "level__number", "position"
        )
    )


def test_the_behaviours_of_levels_1_to_3_are_the_observable_ones(framework):
    assert [(i.level.number, i.position) for i in observable(framework)] == [
        (1, 1), (1, 2), (1, 3),
        (2, 1), (2, 2), (2, 3), (2, 4), (2, 5),
        (3, 1), (3, 2), (3, 3), (3, 4), (3, 5),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "persona, status",
    [("anna", 200), ("bram", 200), ("maud", 200), ("otto", 404), ("zoe", 404), ("xander", 404)],
)
def test_only_the_teams_internal_customers_rate_it(served, org, login, persona, status):
    assert login(org[persona]).get(url(served, org["zuid"])).status_code == status


def test_noord_is_not_rated_by_zuid_the_other_way_round(served, org, login):
    assert login(org["zoe"]).get(url(served, org["noord"])).status_code == 404


def test_a_draft_is_saved_and_a_submit_needs_every_behaviour(served, org, login, framework):
    client = login(org["anna"])
    behaviours = observable(framework)
    first, second = behaviours[:2]
    response = client.post(
        url(served, org["zuid"]),
        {f"r{first.pk}": "4", f"r{second.pk}": CANNOT_RATE, "remark": "Snel", "action": "save"},
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get(round=served, team=org["zuid"], assessor=org["anna"])
    assert feedback.status == "draft" and feedback.remark == "Snel"
    assert {(a.indicator_id, a.value, a.cannot_rate) for a in feedback.answers.all()} == {
        (first.pk, 4, False),
        (second.pk, None, True),
    }
    response = client.post(url(served, org["zuid"]), {"remark": "Snel", "action": "submit"})
    assert response.status_code == 400
    assert "11 gedragingen hebben nog een antwoord nodig" in response.text
    feedback.refresh_from_db()
    assert feedback.status == "draft" and Answer.objects.filter(feedback=feedback).count() == 2
    rest = {f"r{i.pk}": "3" for i in behaviours[2:]}
    response = client.post(url(served, org["zuid"]), {**rest, "remark": "Snel", "action": "submit"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.is_submitted and feedback.answers.count() == 13
    again = client.post(url(served, org["zuid"]), {**rest, "action": "submit"})
    assert again.status_code == 409
    assert "kan niet meer veranderen" in again.text


def test_a_closed_round_takes_no_rating_and_bad_input_is_a_400(served, org, login, framework):
    client = login(org["anna"])
    behaviour = observable(framework)[0]
    not_observable = Indicator.objects.get(level__framework=framework, level__number=5, position=1)
    assert client.post(url(served, org["zuid"]), {f"r{behaviour.pk}": "9"}).status_code == 400
    unknown = client.post(url(served, org["zuid"]), {f"r{not_observable.pk}": "4"})
    assert unknown.status_code == 400 and not Feedback.objects.exists()
    served.closes_on = served.opens_on
    served.save()
    closed = client.post(url(served, org["zuid"]), {f"r{behaviour.pk}": "4", "remark": "Later"})
    assert closed.status_code == 403 and not Feedback.objects.exists()
    assert "Later" in closed.text  # what was typed is shown again


def test_the_home_page_lists_the_teams_to_rate(served, org, login):
    served.asks_internal_customers = True
    served.save()
    page = login(org["bram"]).get(reverse("assessments:home")).text
    assert "Teams die jou bedienen" in page and "Beoordeel team Zuid" in page
    assert "gevraagd" in page
    assert "Teams die jou bedienen" not in login(org["zoe"]).get(reverse("assessments:home")).text
