"""The admin lists and searches actions for HR, read-only, with their history."""

import pytest
from django.urls import reverse

from tests.development.conftest import propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(org, first_round):
    return [
        propose(first_round, org["anna"], text="Klachten zelf terugbellen"),
        propose(first_round, org["bram"], text="Meeluisteren met een collega"),
    ]


def test_hr_lists_and_searches_them(org, actions, login):
    client = login(org["hanna"])
    listing = client.get(reverse("admin:development_action_changelist"))
    assert listing.status_code == 200
    assert "Klachten zelf terugbellen" in listing.text and "Meeluisteren" in listing.text
    found = client.get(reverse("admin:development_action_changelist"), {"q": "bram"})
    assert "Meeluisteren" in found.text and "Klachten zelf terugbellen" not in found.text


def test_the_admin_reads_but_does_not_change(org, actions, login):
    client = login(org["hanna"])
    assert client.get(reverse("admin:development_action_add")).status_code == 403
    change = client.get(reverse("admin:development_action_change", args=[actions[0].pk]))
    assert change.status_code == 200 and 'name="description"' not in change.text
    posted = client.post(
        reverse("admin:development_action_change", args=[actions[0].pk]),
        {"description": "Anders"},
    )
    assert posted.status_code == 403
    assert (
        client.get(reverse("admin:development_action_delete", args=[actions[0].pk])).status_code
        == 403
    )
    actions[0].refresh_from_db()
    assert actions[0].description == "Klachten zelf terugbellen"


def test_hr_reads_the_history(org, actions, login):
    page = login(org["hanna"]).get(
        reverse("admin:development_action_history", args=[actions[0].pk])
    )
    assert page.status_code == 200
    assert "Klachten zelf terugbellen" in page.text or "Toegevoegd" in page.text


@pytest.mark.parametrize("persona", ["anna", "maud", "xander"])
def test_everyone_else_is_sent_to_the_admin_login(org, actions, login, persona):
    response = login(org[persona]).get(reverse("admin:development_action_changelist"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_the_history_cannot_be_used_to_change_an_action(org, actions, login):
    """simple_history's "revert" form saves what is posted to it, whatever the admin's
    has_change_permission says; here it is refused."""
    history = actions[0].history.earliest("history_date")
    url = reverse(
        "admin:development_action_simple_history", args=[actions[0].pk, history.history_id]
    )
    client = login(org["hanna"])
    assert client.get(url).status_code == 200
    posted = client.post(url, {"description": "Anders", "due_on": "2030-01-01"})
    assert posted.status_code == 403
    actions[0].refresh_from_db()
    assert actions[0].description == "Klachten zelf terugbellen"
