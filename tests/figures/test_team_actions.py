"""The team dashboard counts the development actions agreed after a round, and shows each
member's open ones, to those who read each member's answers."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Round
from development.access import action_for
from development.queries import actions_stamp
from development.services import action_confirm, action_delete, action_update
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


def test_a_published_rounds_who_needs_what_is_kept_rendered_until_an_action_changes(
    first_round,  # noqa: F811
    org,
    login,
):
    """Once the round is published the section is served from the page cache; every change
    to an action (added, edited, confirmed, deleted) shows on the next read all the same."""
    Round.objects.filter(pk=first_round.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    url = reverse("figures:team_dashboard", args=[org["noord"].pk]) + f"?round={first_round.pk}"
    maud = login(org["maud"])

    def read() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            page = maud.get(url).text
        return page, len(queries)

    first, cold = read()
    again, warm = read()
    assert members(again) == members(first) and 'id="members"' in again
    assert warm < cold  # the second read has the section rendered already
    assert "Klanten zelf terugbellen" not in again

    action = propose(first_round, org["anna"], text="Klanten zelf terugbellen")
    page, _ = read()
    assert "Klanten zelf terugbellen" in page and "te bevestigen" in page

    action_update(
        action=action_for(org["anna"], action.pk, change=True),
        by=org["anna"],
        indicators=list(action.indicators.all()),
        description="Klanten binnen een dag terugbellen",
        due_on=action.due_on,
    )
    page, _ = read()
    assert "Klanten binnen een dag terugbellen" in page and "Klanten zelf terugbellen" not in page

    action_confirm(action=action_for(org["maud"], action.pk, change=True), by=org["maud"])
    page, _ = read()
    assert "Klanten binnen een dag terugbellen" in page and "te bevestigen" not in page
    assert "waarvan 1 afgesproken" in page

    action_delete(action=action_for(org["maud"], action.pk, change=True))
    page, _ = read()
    assert "Klanten binnen een dag terugbellen" not in page and "Ontwikkelacties na" not in page


def members(page: str) -> str:
    return page[page.index('id="members-heading"') : page.index('id="heatmap')]


def test_the_stamp_of_the_actions_changes_with_the_day(first_round, org):  # noqa: F811
    """What is overdue changes at midnight without any action changing."""
    action = propose(first_round, org["anna"])
    today = timezone.localdate()
    stamps = {
        actions_stamp(org["noord"], first_round, [org["anna"].pk], today=today + delta)
        for delta in (datetime.timedelta(0), datetime.timedelta(days=1))
    }
    assert len(stamps) == 2
    assert action.due_on > today
