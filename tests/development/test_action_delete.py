"""Removing an action: the person withdraws a proposal, the manager removes any action that
is not followed up; HR reads only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from development.models import Action
from tests.development.conftest import propose

pytestmark = pytest.mark.django_db

ACCESS = {"anna": 302, "maud": 302, "hanna": 403, "bram": 404, "otto": 404, "xander": 404}


def url(action):
    return reverse("development:action_delete", args=[action.pk])


@pytest.mark.parametrize("persona, status", ACCESS.items())
def test_who_may_remove_a_proposal(org, action, login, persona, status):
    assert login(org[persona]).post(url(action)).status_code == status
    assert Action.objects.filter(pk=action.pk).exists() == (status != 302)


def test_the_person_cannot_withdraw_an_agreed_action(org, first_round, login):
    agreed = propose(first_round, org["anna"], by=org["maud"])
    response = login(org["anna"]).post(url(agreed))
    assert response.status_code == 403
    assert "alleen je leidinggevende kan haar nu nog verwijderen" in response.text
    response = login(org["maud"]).post(url(agreed), follow=True)
    assert "De actie is verwijderd." in response.text
    assert not Action.objects.exists()


def test_a_followed_up_action_stays(org, action, login):
    Action.objects.filter(pk=action.pk).update(outcome="partly", outcome_at=timezone.now())
    assert login(org["maud"]).post(url(action)).status_code == 409
    assert Action.objects.filter(pk=action.pk).exists()


def test_a_get_removes_nothing(org, action, login):
    assert login(org["anna"]).get(url(action)).status_code == 405
    assert Action.objects.filter(pk=action.pk).exists()


def test_its_history_says_who_removed_it(org, action, login):
    login(org["anna"]).post(url(action))
    removed = Action.history.filter(id=action.pk).latest("history_date")
    assert removed.history_type == "-" and removed.history_user == org["anna"]
