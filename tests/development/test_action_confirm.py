"""Confirming a proposal: the manager of the team only, by POST."""

import pytest
from django.test import Client
from django.urls import reverse

from development.models import Action

pytestmark = pytest.mark.django_db

# Anna may change her action, but confirming it is her manager's: 403.
ACCESS = {"maud": 302, "anna": 403, "hanna": 403, "bram": 404, "otto": 404, "xander": 404}


def url(action):
    return reverse("development:action_confirm", args=[action.pk])


@pytest.mark.parametrize("persona, status", ACCESS.items())
def test_who_may_confirm(org, action, login, persona, status):
    response = login(org[persona]).post(url(action))
    assert response.status_code == status
    action.refresh_from_db()
    assert action.is_agreed == (status == 302)


def test_confirming_returns_to_the_result_page_and_says_so(org, action, login):
    response = login(org["maud"]).post(url(action), follow=True)
    assert response.redirect_chain[-1][0].endswith(
        f"/rounds/{action.round_id}/people/{action.person_id}/#development-actions"
    )
    assert "De actie is afgesproken." in response.text


def test_the_way_back_stays_on_this_site(org, action, login):
    response = login(org["maud"]).post(url(action), {"next": "https://example.org/"})
    assert response["Location"].startswith(f"/rounds/{action.round_id}/")


def test_a_get_changes_nothing(org, action, login):
    assert login(org["maud"]).get(url(action)).status_code == 405
    assert Action.objects.get().status == "proposed"


def test_it_needs_the_csrf_token(org, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["maud"])
    assert client.post(url(action)).status_code == 403
    assert Action.objects.get().status == "proposed"


def test_anonymous_is_sent_to_login(action, client):
    response = client.post(url(action))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_action_is_a_404(org, login, db):
    assert (
        login(org["hanna"]).post(reverse("development:action_confirm", args=[999])).status_code
        == 404
    )


def test_the_history_says_who_proposed_and_who_confirmed(org, first_round, login, framework):
    from tests.development.test_action_new import data
    from tests.development.test_action_new import url as new_url

    login(org["anna"]).post(new_url(first_round, org["anna"]), data(framework))
    action = Action.objects.get()
    login(org["maud"]).post(url(action))
    history = list(action.history.order_by("history_date"))
    assert history[0].history_type == "+" and history[0].history_user == org["anna"]
    assert history[-1].status == "agreed" and history[-1].history_user == org["maud"]
    assert history[0].history_date <= history[-1].history_date
    # The behaviours it was agreed on are in the record too.
    assert [i.indicator_id for i in history[-1].indicators.all()] == [
        i.pk for i in action.indicators.all()
    ]
