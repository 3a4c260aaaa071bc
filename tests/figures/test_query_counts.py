"""Every page's number of queries is pinned: it does not grow with the team or the rounds.

Measured for teams of 5 and 50 members with 1 and 12 rounds, with the caches of published
figures empty (the first read in a process) and filled (every read after it).
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, Indicator, Membership, Round
from assessments.services import Answers, assessment_submit
from figures import confidentiality, members
from figures.services import round_close_early
from tests.conftest import make_round, make_user

pytestmark = pytest.mark.django_db

SIZES = [(5, 1), (5, 12), (50, 1), (50, 12)]

# Queries of each page, with the published figures' caches empty / filled. A member's team
# page of a closed round, empty: the session, the user, the user's memberships, the team,
# the rounds (with their publications), the team's published figures over people in every
# published round and its internal customers' participation, its published means, the
# round's behaviours, and the participation of the open round in the trend; filled, only
# the first five and the last. Every team page then reads the team's outcome values (one
# query, whatever the months: tests/outcomes); the organisation page its total over the
# published rounds beside them, and with a department that department's own values, both
# kept rendered once read: filled, only the stamp of the department's values (one query).
EXPECTED = {
    "team page, member, closed": (11, 7),
    # A manager's and HR's page also reads each member's standing (kept once read) and the
    # stamp of the development actions shown (their number and latest change); only when
    # that changed, the actions themselves: their counts and those still open.
    "team page, manager, closed": (19, 8),
    "team page, HR, closed": (19, 8),
    "team page, member, open": (10, 8),
    "team page, manager, open": (28, 26),
    "team export, member, closed": (10, 6),
    "per-member export, manager, closed": (11, 7),
    "organisation, HR, closed": (9, 4),
    "organisation, manager, closed": (13, 7),
    "organisation, HR, open": (13, 12),
    "organisation export, HR, closed": (6, 6),
    # With the development actions (see tests/development/test_page_queries.py) and the
    # teams the member may rate as an internal customer.
    "home, member": (8, 8),
    "result, member, closed": (12, 12),
}


def cold() -> None:
    caches["figures"].clear()
    confidentiality._published_means.cache_clear()
    confidentiality._published_people.cache_clear()
    confidentiality._indicators.cache_clear()
    members._published_member_page.cache_clear()


def submit_all(round_):
    choices = dict.fromkeys(
        Indicator.objects.filter(level__framework=round_.framework).values_list("pk", flat=True),
        4,
    )
    for assessment in Assessment.objects.filter(round=round_):
        assessment_submit(assessment=assessment, answers=Answers(choices=choices))


@pytest.mark.parametrize("members, rounds", SIZES)
def test_no_page_runs_more_queries_for_a_bigger_team_or_more_rounds(
    org, framework, login, members, rounds
):
    for i in range(members - 2):  # Anna and Bram are in Noord already
        Membership.objects.create(person=make_user(f"extra{i}"), team=org["noord"])
    made = []
    for number in range(rounds):
        round_ = make_round(org, framework, name=f"Ronde {number}", days_left=10 + number)
        submit_all(round_)
        made.append(round_)
    for round_ in made:
        round_close_early(round_=round_)
    closed = made[-1]
    current = make_round(org, framework, name="Open", days_left=60)
    submit_all(current)
    noord, anna = org["noord"].pk, org["anna"].pk
    pages = {
        "team page, member, closed": ("anna", f"/teams/{noord}/?round={closed.pk}"),
        "team page, manager, closed": ("maud", f"/teams/{noord}/?round={closed.pk}"),
        "team page, HR, closed": ("hanna", f"/teams/{noord}/?round={closed.pk}"),
        "team page, member, open": ("anna", f"/teams/{noord}/?round={current.pk}"),
        "team page, manager, open": ("maud", f"/teams/{noord}/?round={current.pk}"),
        "team export, member, closed": ("anna", f"/teams/{noord}/export.csv?round={closed.pk}"),
        "per-member export, manager, closed": (
            "maud",
            f"/teams/{noord}/people.csv?round={closed.pk}",
        ),
        "organisation, HR, closed": ("hanna", f"/organisation/?round={closed.pk}"),
        "organisation, manager, closed": ("maud", f"/organisation/?round={closed.pk}"),
        "organisation, HR, open": ("hanna", f"/organisation/?round={current.pk}"),
        "organisation export, HR, closed": (
            "hanna",
            f"/organisation/export.csv?round={closed.pk}",
        ),
        "home, member": ("anna", "/"),
        "result, member, closed": ("anna", f"/rounds/{closed.pk}/people/{anna}/"),
    }
    assert Round.objects.count() == rounds + 1
    counted = {}
    for name, (persona, url) in pages.items():
        client = login(org[persona])
        client.get(url)  # publishes nothing new: every closed round is published already
        numbers = []
        for warm in (False, True):
            if not warm:
                cold()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
            assert response.status_code == 200, name
            numbers.append(len(queries))
        counted[name] = tuple(numbers)
    assert counted == EXPECTED


@pytest.mark.parametrize("teams", [2, 12])
def test_the_organisation_pages_run_as_many_queries_for_twelve_teams_as_for_two(
    org, framework, login, teams
):
    from assessments.models import Department, Team
    from assessments.services import round_populate

    sub = Department.objects.create(name="Onder", parent=org["department"])
    round_ = make_round(org, framework)
    for number in range(teams - 2):
        team = Team.objects.create(name=f"Team {number}", department=sub)
        Membership.objects.create(person=make_user(f"t{number}"), team=team)
        round_.teams.add(team)
    round_populate(round_=round_)
    submit_all(round_)
    round_close_early(round_=round_)
    client = login(org["hanna"])
    counted = []
    for url in (
        f"/organisation/?round={round_.pk}",
        f"/organisation/?round={round_.pk}&department={org['department'].pk}",
        f"/organisation/export.csv?round={round_.pk}",
    ):
        cold()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        counted.append(len(queries))
    # A department's page, cold, also reads the stamp of its outcome values; HR's filter, the
    # chosen department and the tree below it come from one read of the departments.
    assert counted == [9, 11, 6]
