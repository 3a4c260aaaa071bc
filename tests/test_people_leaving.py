"""People leave; their history stays: no deletion of anyone with assessments, a leave instead."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError, Q
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Membership
from tests.test_assessment_access import submit_all

User = get_user_model()
pytestmark = pytest.mark.django_db


def history_of(person) -> int:
    return Assessment.objects.filter(Q(subject=person) | Q(assessor=person)).count()


@pytest.fixture
def rated(dev_round, framework, org):
    submit_all(dev_round, framework)
    return dev_round


def test_the_database_refuses_to_delete_a_person_with_assessments(rated, org):
    given = history_of(org["maud"])
    assert given == 2  # Anna and Bram, rated by their manager
    with pytest.raises(ProtectedError):
        org["maud"].delete()
    with pytest.raises(ProtectedError):
        org["anna"].delete()
    assert history_of(org["maud"]) == given


def test_deleting_a_manager_in_the_admin_is_refused_with_a_message(rated, org, login):
    client = login(org["hanna"])
    url = reverse("admin:auth_user_delete", args=[org["maud"].pk])
    change = reverse("admin:auth_user_change", args=[org["maud"].pk])
    for response in (client.get(url), client.post(url, {"post": "yes"})):
        assert response.status_code == 302
        assert response["Location"] == change
    page = client.get(change)
    assert "“maud” kan niet worden verwijderd" in page.text
    assert "Uit de organisatie" in page.text
    assert User.objects.filter(pk=org["maud"].pk).exists()
    assert history_of(org["maud"]) == 2


def test_deleting_selected_people_is_refused_when_one_has_assessments(rated, org, login):
    client = login(org["hanna"])
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [org["anna"].pk, org["xander"].pk],
            "post": "yes",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "“anna” kan niet worden verwijderd" in response.text
    assert User.objects.filter(pk__in=[org["anna"].pk, org["xander"].pk]).count() == 2


def test_a_person_without_assessments_can_still_be_deleted(rated, org, login):
    client = login(org["hanna"])
    response = client.post(
        reverse("admin:auth_user_delete", args=[org["xander"].pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=org["xander"].pk).exists()


def test_leaving_the_organisation_deactivates_ends_memberships_and_keeps_assessments(
    rated, org, login, client
):
    today = timezone.localdate()
    page = login(org["hanna"]).get(reverse("admin:auth_user_changelist"))
    assert "Uit de organisatie" in page.text
    response = login(org["hanna"]).post(
        reverse("admin:auth_user_changelist"),
        {"action": "leave_organisation", "_selected_action": [org["maud"].pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 persoon heeft de organisatie verlaten" in response.text
    maud = User.objects.get(pk=org["maud"].pk)
    assert not maud.is_active
    assert list(Membership.objects.filter(person=maud).values_list("ended_on", flat=True)) == [
        today
    ]
    assert not Membership.objects.current().filter(person=maud).exists()
    assert history_of(maud) == 2
    # Her rating of Anna still reads as hers, in the team it was made in.
    given = Assessment.objects.get(round=rated, subject=org["anna"], assessor=maud)
    assert given.team == org["noord"] and given.is_submitted
    client.logout()
    login_page = client.post(reverse("login"), {"username": "maud", "password": "secret-pass-1"})
    assert login_page.status_code == 200 and "_auth_user_id" not in client.session
