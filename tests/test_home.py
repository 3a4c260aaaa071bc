"""Home pages that lead: HR follows the open rounds, a manager their team, everyone their to-do.

Anna and Bram are in team Noord (manager Maud), Zoe in team Zuid (manager Otto), both in
department Klantcontact; Hanna is HR.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Department, Membership, Round, Team
from assessments.services import Answers, assessment_submit, round_populate
from tests.conftest import all_answers, make_round, make_user

pytestmark = pytest.mark.django_db


def submit(round_, **lookup):
    for assessment in Assessment.objects.filter(round=round_, **lookup):
        answers = {int(k[1:]): v for k, v in all_answers(round_.framework).items()}
        assessment_submit(assessment=assessment, answers=Answers(choices=answers))


def text(page) -> str:
    """The page's text with tags dropped and white space collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))


def test_hr_sees_each_open_round_with_participation_and_days_left(org, framework, login):
    # Noord: Anna, Bram (self) and Maud's two ratings; Zuid: Zoe and Otto's rating.
    round_ = make_round(org, framework, days_left=12)
    submit(round_, subject=org["anna"])  # Anna's self-assessment and Maud's rating of her
    submit(round_, assessor=org["zoe"])
    page = login(org["hanna"]).get(reverse("assessments:home"))
    (progress,) = page.context["open_rounds"]
    assert progress.days_left == 12
    assert (
        progress.total.self_assessments.submitted,
        progress.total.self_assessments.expected,
    ) == (2, 3)
    assert (progress.total.manager_ratings.submitted, progress.total.manager_ratings.expected) == (
        1,
        3,
    )
    [department] = progress.departments
    assert department.name == "Klantcontact" and department.missing == 3
    assert [
        (t.name, t.self_assessments.submitted, t.manager_ratings.submitted, t.missing)
        for t in progress.teams
    ] == [
        ("Noord", 1, 1, 2),
        ("Zuid", 1, 0, 1),
    ]
    body = text(page)
    assert "Open rondes" in body and "Sluit op" in body and "over 12 dagen." in body
    assert "Zelfbeoordelingen: 2 van 3 ingediend (67%)." in body
    assert "Beoordelingen door leidinggevenden: 1 van 3 ingediend (33%)." in body
    outstanding = reverse("assessments:round_outstanding", args=[round_.pk])
    assert f'href="{outstanding}"' in page.text
    assert "3 beoordelingen nog niet ingediend: bekijk door wie" in body
    assert f'href="{outstanding}?team={org["noord"].pk}"' in page.text
    assert f'href="{outstanding}?department={org["department"].pk}"' in page.text


def test_hr_sees_nested_departments_by_their_path_and_no_closed_rounds(org, framework, login):
    finance = Department.objects.create(name="Financiën", parent=org["department"])
    org["zuid"].department = finance
    org["zuid"].save()
    open_round = make_round(org, framework, days_left=0)
    make_round(org, framework, name="Voorbij", days_left=-1)
    page = login(org["hanna"]).get(reverse("assessments:home"))
    assert [p.round for p in page.context["open_rounds"]] == [open_round]
    (progress,) = page.context["open_rounds"]
    assert [d.name for d in progress.departments] == ["Klantcontact", "Klantcontact / Financiën"]
    assert "Sluit vandaag." in text(page)


def test_only_hr_sees_the_open_rounds(org, framework, login):
    make_round(org, framework)
    for persona in ("anna", "maud", "xander"):
        page = login(org[persona]).get(reverse("assessments:home"))
        assert page.context["open_rounds"] == []
        assert 'id="open-rounds"' not in page.text


def test_a_manager_sees_who_has_not_submitted_and_their_own_ratings_to_do(org, framework, login):
    round_ = make_round(org, framework, days_left=3)
    submit(round_, assessor=org["anna"])
    submit(round_, assessor=org["maud"], subject=org["bram"])
    page = login(org["maud"]).get(reverse("assessments:home"))
    (team,) = page.context["managed_teams"]
    assert team.team_name == "Noord" and team.days_left == 3
    assert (team.members.submitted, team.members.expected) == (1, 2)
    assert team.not_submitted == ["Bram"]
    assert (team.mine.submitted, team.mine.expected) == (1, 2)
    body = text(page)
    assert "Je team" in body
    assert "Zelfbeoordelingen: 1 van 2 ingediend." in body
    assert "Nog niet ingediend: Bram" in body
    assert "Jouw beoordelingen van de teamleden: 1 van 2 gedaan. Naar je beoordelingen" in body
    # Otto manages Zuid: nothing of Noord.
    page = login(org["otto"]).get(reverse("assessments:home"))
    assert [t.team_name for t in page.context["managed_teams"]] == ["Zuid"]
    assert "Bram" not in text(page)


def test_a_pulse_round_tells_a_manager_how_many_not_who(org, framework, login):
    pulse = make_round(org, framework, kind="pulse", name="Puls")
    submit(pulse, assessor=org["anna"])
    page = login(org["maud"]).get(reverse("assessments:home"))
    (team,) = page.context["managed_teams"]
    assert (team.members.submitted, team.members.expected) == (1, 2)
    assert team.not_submitted == []
    body = text(page)
    assert "Een pulsronde is anoniem: je ziet hoeveel mensen hebben ingediend, niet wie." in body
    assert "Bram" not in body


def test_employees_see_no_team_section_and_a_to_do_with_days_left(org, framework, login):
    make_round(org, framework, days_left=1)
    page = login(org["anna"]).get(reverse("assessments:home"))
    assert page.context["managed_teams"] == []
    assert 'id="team-progress"' not in page.text
    assert "Sluit op" in text(page) and "over 1 dag." in text(page)


def test_the_outstanding_list_names_each_person_with_what_is_still_to_do(org, framework, login):
    round_ = make_round(org, framework)
    submit(round_, assessor=org["anna"])
    submit(round_, assessor=org["maud"], subject=org["anna"])
    org["zoe"].email = "zoe@example.org"
    org["zoe"].save()
    url = reverse("assessments:round_outstanding", args=[round_.pk])
    client = login(org["hanna"])
    page = client.get(url)
    rows = [
        (r["assessor__username"], r["team__name"], r["self_open"], r["ratings_open"])
        for r in page.context["page"].object_list
    ]
    assert rows == [
        ("bram", "Noord", 1, 0),
        ("maud", "Noord", 0, 1),
        ("otto", "Zuid", 0, 1),
        ("zoe", "Zuid", 1, 0),
    ]
    body = text(page)
    assert "Nog niet ingediend · Q1 2027" in body
    assert "1 beoordeling van een teamlid" in body and "zelfbeoordeling" in body
    assert 'href="mailto:zoe@example.org"' in page.text
    page = client.get(url, {"team": org["zuid"].pk})
    assert [r["assessor__username"] for r in page.context["page"].object_list] == ["otto", "zoe"]
    assert "Alleen team Zuid." in text(page)
    assert client.get(url, {"team": "x"}).status_code == 404
    assert client.get(url, {"team": 99999}).status_code == 404
    assert client.get(url, {"team": "²"}).status_code == 404  # a digit to isdigit(), not to int()
    assert client.get(url, {"department": "9" * 30}).status_code == 404


def test_the_outstanding_list_is_for_hr_only(org, framework, login):
    round_ = make_round(org, framework)
    url = reverse("assessments:round_outstanding", args=[round_.pk])
    for persona in ("anna", "maud", "otto", "xander"):
        assert login(org[persona]).get(url).status_code == 404
    assert login(org["hanna"]).get(url).status_code == 200
    assert (
        login(org["hanna"]).get(reverse("assessments:round_outstanding", args=[999])).status_code
        == 404
    )


def grow(org, framework, *, teams: int, members: int) -> None:
    """More teams of more members, in one open development round and one open pulse."""
    department = Department.objects.create(name="Groei")
    for t in range(teams):
        team = Team.objects.create(name=f"Team {t}", department=department)
        Membership.objects.create(
            person=make_user(f"m{t}"), team=team, role=Membership.Role.MANAGER
        )
        for m in range(members):
            Membership.objects.create(person=make_user(f"p{t}-{m}"), team=team)
    Membership.objects.bulk_create(
        [Membership(person=make_user(f"n{m}"), team=org["noord"]) for m in range(members)]
    )


# The queries of each page, whatever the organisation's size: the session, the user, the
# user's assessments, the number of behaviours of their frameworks (none for HR, who has no
# assessments), their memberships; HR then the open rounds, their participation per team and
# the departments; a manager the counts of their teams' open rounds, those rounds, and who
# has not submitted. HR's list: the session, the user, the round, the count and the page.
# With the development actions (see tests/development/test_page_queries.py) and the teams
# that serve the person (internal customers).
EXPECTED = {"home, HR": 10, "home, manager": 11, "home, employee": 8, "outstanding, HR": 5}


@pytest.mark.parametrize("teams, members", [(0, 0), (6, 12)])
def test_the_home_pages_run_a_fixed_number_of_queries(org, framework, login, teams, members):
    grow(org, framework, teams=teams, members=members)
    for kind in ("development", "pulse"):
        round_ = make_round(org, framework, kind=kind, name=kind)
        round_.teams.set(Team.objects.all())
        round_populate(round_=round_)
        submit(round_, team=org["zuid"])
    dev = Round.objects.get(name="development")
    pages = {
        "home, HR": ("hanna", reverse("assessments:home")),
        "home, manager": ("maud", reverse("assessments:home")),
        "home, employee": ("anna", reverse("assessments:home")),
        "outstanding, HR": ("hanna", reverse("assessments:round_outstanding", args=[dev.pk])),
    }
    counted = {}
    for name, (persona, url) in pages.items():
        client = login(org[persona])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counted[name] = len(queries)
    assert counted == EXPECTED
