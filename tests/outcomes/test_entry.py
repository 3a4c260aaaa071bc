"""The month's values of a team (its managers and HR) or a department (HR)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from outcomes.models import OutcomeValue
from outcomes.months import add_months
from tests.outcomes.conftest import month_back

pytestmark = pytest.mark.django_db

PERSONAS = ["anna", "bram", "maud", "otto", "hanna", "xander"]
TEAM_ENTRY = {"anna": 404, "bram": 404, "maud": 200, "otto": 404, "hanna": 200, "xander": 404}


def entry_url(org):
    return reverse("outcomes:team_entry", args=[org["noord"].pk])


def post(measures, month, **values):
    data = {"month": f"{month:%Y-%m}"}
    for name, value in values.items():
        data[f"m{measures[name].pk}"] = value
    return data


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_teams_managers_and_hr_open_the_entry_page(org, measures, login, persona):
    response = login(org[persona]).get(entry_url(org))
    assert response.status_code == TEAM_ENTRY[persona]


def test_anonymous_is_sent_to_log_in(org, client):
    response = client.get(entry_url(org))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_else_can_post_values_either(org, measures, login, persona):
    data = post(measures, month_back(1), NPS="12")
    response = login(org[persona]).post(entry_url(org), data)
    expected = 302 if TEAM_ENTRY[persona] == 200 else 404
    assert response.status_code == expected
    assert OutcomeValue.objects.filter(team=org["noord"]).exists() == (expected == 302)


def test_manager_of_other_team_gets_404_and_writes_nothing(org, measures, login):
    response = login(org["otto"]).post(entry_url(org), post(measures, month_back(1), NPS="5"))
    assert response.status_code == 404
    assert not OutcomeValue.objects.exists()


def test_a_manager_enters_dutch_decimals_with_a_comma(org, measures, login):
    client = login(org["maud"])
    month = month_back(1)
    response = client.post(
        entry_url(org),
        post(measures, month, NPS="31", Klantbehoud="91,5", **{"Kosten per klant": "47,25"}),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?month={month:%Y-%m}")
    stored = {
        v.measure.name_nl: v.value
        for v in OutcomeValue.objects.filter(team=org["noord"], month=month)
    }
    assert stored == {
        "NPS": 31,
        "Klantbehoud": Decimal("91.5"),
        "Kosten per klant": Decimal("47.25"),
    }
    value = OutcomeValue.objects.get(measure=measures["NPS"], team=org["noord"], month=month)
    assert value.entered_by == org["maud"]
    # The page shows them back, the Dutch way.
    page = client.get(response["Location"]).content.decode()
    assert 'value="91,50"' in page
    # One month field: the picker's; the form carries the month it shows.
    assert page.count('type="month"') == 1
    assert f'<input type="hidden" name="month" value="{month:%Y-%m}">' in page


def test_saving_again_replaces_and_an_empty_field_removes(org, measures, login):
    client = login(org["hanna"])
    month = month_back(2)
    client.post(entry_url(org), post(measures, month, NPS="10", Klantbehoud="80"))
    client.post(entry_url(org), post(measures, month, NPS="12", Klantbehoud=""))
    assert list(
        OutcomeValue.objects.filter(team=org["noord"], month=month).values_list(
            "measure__name_nl", "value"
        )
    ) == [("NPS", Decimal("12.00"))]


@pytest.mark.parametrize(
    "month, value",
    [("2026-13", "1"), ("maart", "1"), ("", "1"), (None, "1"), ("ok", "12,5,0"), ("ok", "1,234")],
)
def test_a_bad_month_or_number_is_a_form_error_and_nothing_is_saved(
    org, measures, login, month, value
):
    data = post(measures, month_back(1), NPS=value)
    if month is None:
        data["month"] = f"{add_months(month_back(0), 1):%Y-%m}"  # next month: not begun yet
    elif month != "ok":
        data["month"] = month
    response = login(org["maud"]).post(entry_url(org), data)
    assert response.status_code == 400
    assert 'id="form-error"' in response.content.decode()
    assert not OutcomeValue.objects.exists()


def test_the_month_picker_opens_a_month_with_its_values(org, measures, noord_values, login):
    month = month_back(3)
    page = login(org["maud"]).get(f"{entry_url(org)}?month={month:%Y-%m}").content.decode()
    assert f'value="{month:%Y-%m}"' in page
    assert 'value="48,50"' in page  # the cost per customer of that month
    assert 'id="recent-values"' in page


def test_the_team_dashboard_links_to_the_entry_page_for_those_who_may_enter(
    org, framework, dev_round, login
):
    dashboard = reverse("figures:team_dashboard", args=[org["noord"].pk])
    for persona, shown in (("maud", True), ("hanna", True), ("anna", False), ("otto", False)):
        page = login(org[persona]).get(dashboard).content.decode()
        assert ('id="outcome-entry-link"' in page) is shown, persona


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_departments_own_values_are_for_hr_only(org, measures, login, persona):
    url = reverse("outcomes:department_entry", args=[org["department"].pk])
    client = login(org[persona])
    assert client.get(url).status_code == (200 if persona == "hanna" else 404)
    response = client.post(url, post(measures, month_back(1), NPS="7"))
    assert response.status_code == (302 if persona == "hanna" else 404)
    assert OutcomeValue.objects.filter(department=org["department"]).count() == (
        1 if persona == "hanna" else 0
    )
