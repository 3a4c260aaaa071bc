"""Input no page sends is refused with a 4xx and changes nothing, never a 500."""

import pytest
from django.urls import reverse

from development.models import Action
from tests.development.conftest import indicator

pytestmark = pytest.mark.django_db


def new(first_round, org):
    return reverse("development:action_new", args=[first_round.pk, org["anna"].pk])


@pytest.mark.parametrize(
    "posted",
    [
        {"description": "Nul\x00byte", "due_on": "2027-01-01"},
        {"description": "Ver weg", "due_on": "99999-01-01"},
        {"description": "Lang geleden", "due_on": "0001-01-01"},
        {"description": "Geen datum", "due_on": "2027-13-45"},
        {"description": ["twee", "teksten"], "due_on": ""},
        {"indicators": ["1; DROP TABLE x"], "description": "x", "due_on": "2027-01-01"},
        {"indicators": [str(10**30)], "description": "x", "due_on": "2027-01-01"},
        {},
    ],
    ids=["nul", "year-99999", "year-1", "month-13", "two-texts", "sql", "huge-id", "empty"],
)
def test_a_bad_proposal_is_a_400(org, first_round, login, framework, posted):
    data = {"indicators": [indicator(framework, 2, 1).pk], **posted} if posted else {}
    response = login(org["anna"]).post(new(first_round, org), data)
    assert response.status_code == 400
    assert not Action.objects.exists()


def test_a_file_instead_of_a_text_is_a_400(org, first_round, login, framework, tmp_path):
    upload = tmp_path / "x.txt"
    upload.write_text("x")
    with upload.open("rb") as handle:
        response = login(org["anna"]).post(
            new(first_round, org), {"description": handle, "due_on": "2027-01-01"}
        )
    assert response.status_code == 400
    assert not Action.objects.exists()


@pytest.mark.parametrize("outcome", ["\x00", "done\x00", ["done", "partly"], "DONE"])
def test_a_bad_outcome_is_a_400(org, action, next_round, login, outcome):
    url = reverse("development:action_follow_up", args=[action.pk])
    posted = {f"a{action.pk}-outcome": outcome, f"a{action.pk}-note": "\x00"}
    assert login(org["anna"]).post(url, posted).status_code == 400
    action.refresh_from_db()
    assert action.outcome == ""


def test_a_way_back_that_is_not_a_path_is_ignored(org, action, next_round, login):
    url = reverse("development:action_follow_up", args=[action.pk])
    posted = {f"a{action.pk}-outcome": "done", "next": "javascript:alert(1)"}
    response = login(org["anna"]).post(url, posted)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/rounds/{action.round_id}/")
