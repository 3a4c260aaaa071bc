"""What became of an action: done, partly or not yet, with a note; said by the person or
their manager, in the next round or from the due date on."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from development.models import Action

pytestmark = pytest.mark.django_db

ACCESS = {"anna": 200, "maud": 200, "hanna": 403, "bram": 404, "otto": 404, "xander": 404}


def url(action):
    return reverse("development:action_follow_up", args=[action.pk])


def data(action, outcome="done", note="Elke dag gedaan", **extra):
    return {f"a{action.pk}-outcome": outcome, f"a{action.pk}-note": note, **extra}


@pytest.mark.parametrize("persona, status", ACCESS.items())
def test_who_opens_it(org, action, next_round, login, persona, status):
    assert login(org[persona]).get(url(action)).status_code == status


@pytest.mark.parametrize("persona, status", ACCESS.items())
def test_who_may_record_it(org, action, next_round, login, persona, status):
    response = login(org[persona]).post(url(action), data(action))
    assert response.status_code == (302 if status == 200 else status)
    action.refresh_from_db()
    assert (action.outcome == "done") == (status == 200)


def test_it_is_recorded_with_who_and_returns_to_where_it_came_from(org, action, next_round, login):
    form = reverse("assessments:assessment", args=[1])
    response = login(org["maud"]).post(url(action), data(action, "partly", next=form))
    assert response["Location"] == form
    action.refresh_from_db()
    assert (action.outcome, action.outcome_note) == ("partly", "Elke dag gedaan")
    assert action.outcome_by == org["maud"] and action.outcome_at is not None


def test_not_before_the_due_date_or_the_next_round(org, action, login):
    client = login(org["anna"])
    page = client.get(url(action))
    assert page.status_code == 409
    assert "vanaf de datum waarop ze klaar moet zijn" in page.text
    assert client.post(url(action), data(action)).status_code == 409
    assert Action.objects.get().outcome == ""


def test_from_the_due_date_on(org, action, login):
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate())
    assert login(org["anna"]).post(url(action), data(action, "not_yet")).status_code == 302
    assert Action.objects.get().outcome == "not_yet"


@pytest.mark.parametrize(
    "outcome, note, message",
    [
        ("", "", "Geef aan of het gedaan is, deels of nog niet."),
        ("finished", "", "Selecteer een geldige keuze."),
        ("done", "x" * 2001, "niet meer dan 2000 tekens"),
    ],
)
def test_bad_input_is_a_400(org, action, next_round, login, outcome, note, message):
    response = login(org["anna"]).post(url(action), data(action, outcome, note))
    assert response.status_code == 400
    assert message in response.text
    assert Action.objects.get().outcome == ""


def test_the_way_back_stays_on_this_site(org, action, next_round, login):
    response = login(org["anna"]).post(url(action), data(action, next="//evil.example/"))
    assert response["Location"].startswith(f"/rounds/{action.round_id}/")


def test_the_history_keeps_each_word_with_who_and_when(org, action, next_round, login):
    login(org["anna"]).post(url(action), data(action, "partly", "Half"))
    login(org["maud"]).post(url(action), data(action, "done", "Toch gedaan"))
    history = Action.history.filter(id=action.pk).order_by("history_date")
    said = [(h.outcome, h.outcome_note, h.history_user) for h in history if h.outcome]
    assert said == [("partly", "Half", org["anna"]), ("done", "Toch gedaan", org["maud"])]
    assert all(h.history_date for h in history)
    assert history.first().history_date <= history.last().history_date
    assert history.last().history_date <= timezone.now() + datetime.timedelta(seconds=1)
