"""HR keeps the list of measures and corrects values in the admin."""

import pytest
from django.urls import reverse

from outcomes.models import OutcomeValue
from tests.outcomes.conftest import month_back

pytestmark = pytest.mark.django_db


def test_hr_adds_a_value_in_the_admin_and_is_recorded_as_entering_it(org, measures, login):
    client = login(org["hanna"])
    response = client.post(
        reverse("admin:outcomes_outcomevalue_add"),
        {
            "measure": measures["NPS"].pk,
            "team": org["noord"].pk,
            "month": month_back(1).isoformat(),
            "value": "12,5",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    value = OutcomeValue.objects.get()
    assert (value.team, value.entered_by, str(value.value)) == (org["noord"], org["hanna"], "12.50")


def test_the_admin_refuses_a_value_for_a_team_and_a_department_at_once(org, measures, login):
    response = login(org["hanna"]).post(
        reverse("admin:outcomes_outcomevalue_add"),
        {
            "measure": measures["NPS"].pk,
            "team": org["noord"].pk,
            "department": org["department"].pk,
            "month": month_back(1).isoformat(),
            "value": "3",
        },
    )
    assert response.status_code == 200  # the form again, with the constraint's message
    assert "niet bij allebei" in response.content.decode()
    assert not OutcomeValue.objects.exists()


def test_the_values_list_links_to_the_import(org, login):
    page = login(org["hanna"]).get(reverse("admin:outcomes_outcomevalue_changelist"))
    assert reverse("outcomes:import") in page.content.decode()
