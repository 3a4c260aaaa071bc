"""Team and organisation dashboards: access, figures, confidentiality, exports, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Indicator, Membership, Team
from assessments.services import Answers, assessment_submit
from tests.conftest import make_round, make_user

pytestmark = pytest.mark.django_db


def submit(assessment, value_for_level):
    choices = {
        pk: value_for_level(number)
        for pk, number in Indicator.objects.filter(
            level__framework=assessment.round.framework
        ).values_list("pk", "level__number")
    }
    assessment_submit(assessment=assessment, answers=Answers(choices=choices))


def team_url(team, round_=None, perspective="self"):
    url = reverse("assessments:team_dashboard", args=[team.pk])
    return url + (f"?round={round_.pk}&perspective={perspective}" if round_ else "")


TEAM_ACCESS = {"anna": 200, "bram": 200, "maud": 200, "otto": 200, "hanna": 200, "xander": 404}


@pytest.mark.parametrize("persona, status", TEAM_ACCESS.items())
def test_who_opens_the_team_dashboard(dev_round, org, login, persona, status):
    # Otto manages Zuid in the same department, so he sees Noord's aggregate figures.
    assert login(org[persona]).get(team_url(org["noord"])).status_code == status


def test_a_manager_of_another_department_gets_404(dev_round, org, login):
    from assessments.models import Department

    other = Department.objects.create(name="Elders")
    team = Team.objects.create(name="Ver weg", department=other)
    boss = make_user("boss")
    Membership.objects.create(person=boss, team=team, role="manager")
    assert login(boss).get(team_url(org["noord"])).status_code == 404


@pytest.mark.parametrize(
    "persona, sees", [("maud", True), ("hanna", True), ("anna", False), ("otto", False)]
)
def test_only_managers_and_hr_see_each_members_answers(dev_round, org, login, persona, sees):
    submit(
        Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self"),
        lambda n: 4,
    )
    page = login(org[persona]).get(team_url(org["noord"]))
    assert ('id="heatmap"' in page.text) is sees
    assert 'id="indicator-means"' in page.text


def test_figures_participation_distribution_and_share_at_target(dev_round, org, login):
    submit(
        Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self"),
        lambda n: 5,
    )  # level 5
    submit(
        Assessment.objects.get(round=dev_round, subject=org["bram"], perspective="self"),
        lambda n: 4 if n <= 2 else 2,
    )  # level 2
    page = login(org["maud"]).get(team_url(org["noord"]))
    figures = page.context["figures"]
    assert (figures.submitted, figures.expected) == (2, 2)
    assert figures.distribution == {0: 0, 1: 0, 2: 1, 3: 0, 4: 0, 5: 1}
    assert figures.share_at_target == 0.5
    levels = {row["level"].number: row["self"] for row in page.context["levels"]}
    assert float(levels[1]) == 4.5 and float(levels[3]) == 3.5


def test_the_query_count_does_not_grow_with_team_size_or_rounds(org, framework, login):
    client = login(org["hanna"])

    def count_queries():
        round_ = Team.objects.get(pk=org["noord"].pk).rounds.order_by("-opens_on").first()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(team_url(org["noord"], round_)).status_code == 200
        with CaptureQueriesContext(connection) as org_ctx:
            assert client.get(reverse("assessments:organisation")).status_code == 200
        return len(ctx), len(org_ctx)

    first = make_round(org, framework, name="R1")
    for a in Assessment.objects.filter(round=first):
        submit(a, lambda n: 4)
    small = count_queries()
    for i in range(20):
        person = make_user(f"extra{i}")
        Membership.objects.create(person=person, team=org["noord"])
    for i in range(2, 6):
        later = make_round(org, framework, name=f"R{i}", days_left=10 + i)
        for a in Assessment.objects.filter(round=later):
            submit(a, lambda n: 3 + (n % 2))
    assert count_queries() == small


def test_a_pulse_round_withholds_figures_below_the_minimum_group_size(org, framework, login):
    pulse = make_round(org, framework, kind="pulse", name="Pulse")
    for a in Assessment.objects.filter(round=pulse, team=org["noord"]):
        submit(a, lambda n: 5)
    page = login(org["maud"]).get(team_url(org["noord"], pulse))
    assert page.context["figures"].withheld
    assert 'id="withheld"' in page.text
    assert 'id="indicator-means"' not in page.text and 'id="heatmap"' not in page.text
    csv = login(org["maud"]).get(
        reverse("assessments:team_export_csv", args=[org["noord"].pk])
        + f"?round={pulse.pk}&perspective=self"
    )
    body = b"".join(csv.streaming_content).decode()
    assert "5.0" not in body and "5;" not in body.split("\n", 3)[-1]


def test_no_small_team_follows_from_the_total_minus_the_others(org, framework, login, settings):
    settings.KLANTGERICHT_MIN_GROUP_SIZE = 3
    for i in range(4):
        Membership.objects.create(person=make_user(f"z{i}"), team=org["zuid"])
    pulse = make_round(org, framework, kind="pulse", name="Pulse")
    for a in Assessment.objects.filter(round=pulse):
        submit(a, lambda n: 4)
    # Noord has 2 answers (withheld); Zuid has 5. Without care, total - Zuid = Noord.
    page = login(org["hanna"]).get(reverse("assessments:organisation") + f"?round={pulse.pk}")
    rows = {row.name: row for row in page.context["rows"]}
    assert rows["Noord"].figures.withheld
    assert rows["Zuid"].figures.withheld
    assert page.text.count('class="text-body-secondary withheld"') == 2


def test_exports_are_streamed_and_neutralise_formulas(dev_round, org, login):
    org["noord"].name = '=HYPERLINK("http://evil")'
    org["noord"].save()
    submit(
        Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self"),
        lambda n: 4,
    )
    client = login(org["hanna"])
    response = client.get(reverse("assessments:organisation_export_csv"))
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body
    xlsx = client.get(reverse("assessments:organisation_export_xlsx"))
    assert xlsx.status_code == 200
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"


def test_organisation_dashboard_access(dev_round, org, login):
    url = reverse("assessments:organisation")
    assert login(org["hanna"]).get(url).status_code == 200
    assert login(org["hanna"]).get(url + "?department=&round=").status_code == 404
    assert login(org["hanna"]).get(url + f"?department=&round={dev_round.pk}").status_code == 200
    assert login(org["maud"]).get(url).status_code == 200  # her department's roll-up
    for persona in ("anna", "xander"):
        assert login(org[persona]).get(url).status_code == 404


def test_a_manager_cannot_open_another_departments_rollup(dev_round, org, login):
    from assessments.models import Department

    other = Department.objects.create(name="Elders")
    dev_round.teams.add(Team.objects.create(name="Ver weg", department=other))
    url = reverse("assessments:organisation") + f"?department={other.pk}"
    assert login(org["maud"]).get(url).status_code == 404
    page = login(org["hanna"]).get(url)  # HR opens any department's roll-up
    assert page.status_code == 200 and page.context["department"] == other


def test_a_round_of_another_team_or_a_bad_parameter_is_a_404(dev_round, org, login, framework):
    client = login(org["maud"])
    assert client.get(team_url(org["noord"]) + "?round=99999").status_code == 404
    assert client.get(team_url(org["noord"]) + "?round=abc").status_code == 404
    assert client.get(team_url(org["noord"]) + "?perspective=boss").status_code == 404


def test_the_trend_lists_the_rounds_in_order(org, framework, login):
    old = make_round(org, framework, name="Vorig kwartaal")
    old.opens_on -= datetime.timedelta(days=100)
    old.save()
    make_round(org, framework, name="Dit kwartaal")
    page = login(org["maud"]).get(team_url(org["noord"]))
    assert [p.round.name for p in page.context["trend"]] == ["Vorig kwartaal", "Dit kwartaal"]


def test_departments_roll_up_below_the_chosen_scope(dev_round, org, framework, login):
    from assessments.models import Department

    sub = Department.objects.create(name="Backoffice", parent=org["department"])
    deep = Department.objects.create(name="Facturen", parent=sub)
    team = Team.objects.create(name="Facturatie", department=deep)
    person = make_user("fien")
    Membership.objects.create(person=person, team=team)
    dev_round.teams.add(team)
    from assessments.services import round_populate

    round_populate(round_=dev_round)
    for a in Assessment.objects.filter(round=dev_round, perspective="self"):
        submit(a, lambda n: 5)
    client = login(org["hanna"])
    page = client.get(reverse("assessments:organisation") + f"?round={dev_round.pk}")
    rows = {r.department.name: r for r in page.context["department_rows"]}
    assert set(rows) == {"Klantcontact"}
    assert (rows["Klantcontact"].teams, rows["Klantcontact"].figures.submitted) == (3, 4)
    page = client.get(
        reverse("assessments:organisation")
        + f"?round={dev_round.pk}&department={org['department'].pk}"
    )
    rows = {r.department.name: r for r in page.context["department_rows"]}
    assert set(rows) == {"Klantcontact", "Backoffice"}  # its own teams, and its child
    assert rows["Backoffice"].figures.submitted == 1
    assert rows["Klantcontact"].teams == 2


def test_a_pulse_round_with_a_small_team_shows_no_department_totals(org, framework, login):
    pulse = make_round(org, framework, kind="pulse", name="Pulse")
    for a in Assessment.objects.filter(round=pulse):
        submit(a, lambda n: 4)
    page = login(org["hanna"]).get(reverse("assessments:organisation") + f"?round={pulse.pk}")
    assert page.context["department_rows"] is None
    assert 'id="departments-withheld"' in page.text


def test_the_organisation_lists_teams_fifty_to_a_page_and_exports_them_all(dev_round, org, login):
    from assessments.services import round_populate

    for i in range(58):
        team = Team.objects.create(name=f"Team {i:02d}", department=org["department"])
        Membership.objects.create(person=make_user(f"p{i}"), team=team)
        dev_round.teams.add(team)
    round_populate(round_=dev_round)
    client = login(org["hanna"])
    url = reverse("assessments:organisation") + f"?round={dev_round.pk}"
    first = client.get(url)
    assert len(first.context["page"].object_list) == 50
    assert first.text.count('href="/teams/') == 50
    second = client.get(url + "&page=2")
    assert len(second.context["page"].object_list) == 10
    assert client.get(url + "&page=abc").status_code == 200
    export = client.get(reverse("assessments:organisation_export_csv") + f"?round={dev_round.pk}")
    assert len(b"".join(export.streaming_content).decode().strip().splitlines()) == 61
