"""The Django admin is open to HR administrators (staff) and refused to everyone else."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:index",
    "admin:assessments_framework_changelist",
    "admin:assessments_team_changelist",
    "admin:assessments_round_changelist",
    "admin:auth_user_changelist",
    "admin:notifications_invitation_changelist",
    "admin:notifications_reminder_changelist",
    "admin:rhythm_schedule_changelist",
    "admin:rhythm_schedule_add",
    "admin:outcomes_outcomemeasure_changelist",
    "admin:outcomes_outcomevalue_changelist",
    "admin:outcomes_outcomevalue_add",
]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_hr_opens_the_admin(org, login, page):
    assert login(org["hanna"]).get(reverse(page)).status_code == 200


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize("persona", ["anna", "maud", "xander"])
def test_everyone_else_is_sent_to_the_admin_login(org, login, page, persona):
    response = login(org[persona]).get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_anonymous_is_sent_to_the_admin_login(client, page, db):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_framework_admin_shows_levels_with_their_indicators(org, login):
    from assessments.models import Framework

    framework = Framework.objects.get(version=1)
    page = login(org["hanna"]).get(
        reverse("admin:assessments_framework_change", args=[framework.pk])
    )
    assert "Opvolgen" in page.text
    assert "Volgt op na vragen of klachten van klanten;" in page.text
    assert "Biedt ongevraagd extra service;" in page.text
