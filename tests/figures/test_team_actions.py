"""The team dashboard counts the development actions agreed after a round, and shows each
member's open ones, to those who read each member's answers."""

import pytest
from django.urls import reverse

from development.access import action_for
from development.services import action_confirm
from tests.development.conftest import first_round, propose  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_the_teams_manager_and_hr_see_the_actions_and_others_do_not(first_round, org, login):  # noqa: F811
    agreed = propose(first_round, org["anna"], text="Klanten zelf terugbellen")
    action_confirm(action=action_for(org["maud"], agreed.pk, change=True), by=org["maud"])
    propose(first_round, org["bram"], text="Meeluisteren met de klantenservice", days=3)
    url = reverse("figures:team_dashboard", args=[org["noord"].pk]) + f"?round={first_round.pk}"
    for persona in ("maud", "hanna"):
        page = login(org[persona]).get(url).text
        assert (
            "Ontwikkelacties na deze ronde: 2, waarvan 1 afgesproken, 0 gedaan en 0 te laat."
            in page
        )
        assert "Klanten zelf terugbellen" in page and "Meeluisteren met de klantenservice" in page
        assert "te bevestigen" in page  # Bram's is still a proposal
    for persona in ("anna", "bram", "otto"):
        page = login(org[persona]).get(url).text
        assert "Ontwikkelacties" not in page and "Klanten zelf terugbellen" not in page
