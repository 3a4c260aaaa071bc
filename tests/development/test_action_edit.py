"""Changing an action: the person and the manager until it is followed up; HR reads only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from development.models import Action
from tests.development.conftest import indicator

pytestmark = pytest.mark.django_db

ACCESS = {"anna": 200, "maud": 200, "hanna": 403, "bram": 404, "otto": 404, "xander": 404}


def url(action):
    return reverse("development:action_edit", args=[action.pk])


def data(action, **changes):
    return {
        "indicators": [i.pk for i in action.indicators.all()],
        "description": action.description,
        "due_on": action.due_on.isoformat(),
        **changes,
    }


@pytest.mark.parametrize("persona, status", ACCESS.items())
def test_who_opens_the_form(org, action, login, persona, status):
    assert login(org[persona]).get(url(action)).status_code == status


@pytest.mark.parametrize("persona, status", ACCESS.items())
def test_who_may_change_it(org, action, login, persona, status):
    response = login(org[persona]).post(url(action), data(action, description="Anders"))
    assert response.status_code == (302 if status == 200 else status)
    action.refresh_from_db()
    assert (action.description == "Anders") == (status == 200)


def test_the_form_shows_what_was_agreed(org, action, login):
    page = login(org["anna"]).get(url(action))
    assert "Wijzig een ontwikkelactie" in page.text
    assert action.description in page.text
    assert action.due_on.isoformat() in page.text


def test_the_manager_changes_and_so_agrees(org, action, login, framework):
    posted = data(action, indicators=[indicator(framework, 2, 2).pk, indicator(framework, 2, 4).pk])
    response = login(org["maud"]).post(url(action), posted, follow=True)
    action.refresh_from_db()
    assert action.status == "agreed" and action.agreed_by == org["maud"]
    assert action.indicators.count() == 2
    assert "De actie is opgeslagen en afgesproken." in response.text


def test_the_persons_change_of_an_agreed_action_goes_back_to_the_manager(org, action, login):
    Action.objects.filter(pk=action.pk).update(status="agreed", agreed_at=timezone.now())
    client = login(org["anna"])
    page = client.get(url(action))
    assert "Als je haar wijzigt, bevestigt je leidinggevende haar opnieuw." in page.text
    response = client.post(url(action), data(action, description="Nieuw"), follow=True)
    action.refresh_from_db()
    assert action.status == "proposed" and action.agreed_at is None
    assert "De actie is opgeslagen; je leidinggevende bevestigt haar." in response.text


def test_a_due_date_that_has_passed_may_stay(org, action, login):
    past = timezone.localdate() - datetime.timedelta(days=3)
    Action.objects.filter(pk=action.pk).update(due_on=past)
    action.refresh_from_db()
    response = login(org["maud"]).post(url(action), data(action, description="Nog eens"))
    assert response.status_code == 302
    moved = data(action, due_on=(past - datetime.timedelta(days=1)).isoformat())
    response = login(org["maud"]).post(url(action), moved)
    assert response.status_code == 400
    assert "De datum kan niet in het verleden liggen." in response.text


def test_it_keeps_behaviours_of_a_level_that_no_longer_holds_them_back(
    org, action, login, framework
):
    """Anna's action is on level 2; should the result move on, the action still reads as
    agreed, and its behaviours stay offered."""
    level_4 = indicator(framework, 4, 1)
    action.indicators.set([level_4])
    page = login(org["anna"]).get(url(action))
    assert level_4 in page.context["form"].fields["indicators"].queryset
    response = login(org["anna"]).post(url(action), data(action))
    assert response.status_code == 302


def test_bad_input_is_a_400(org, action, login):
    response = login(org["anna"]).post(url(action), data(action, description="", due_on="morgen"))
    assert response.status_code == 400
    assert (
        "Dit veld is verplicht." in response.text and "Voer een geldige datum in." in response.text
    )


def test_a_followed_up_action_cannot_be_changed(org, action, login):
    Action.objects.filter(pk=action.pk).update(outcome="done", outcome_at=timezone.now())
    client = login(org["maud"])
    page = client.get(url(action))
    assert page.status_code == 409
    assert "kan niet meer worden gewijzigd" in page.text
    assert client.post(url(action), data(action, description="Anders")).status_code == 409
