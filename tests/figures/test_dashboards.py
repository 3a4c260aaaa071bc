"""Team and organisation dashboards: who opens them, the figures they show, their exports."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Assessment, Department, Indicator, Membership, Team
from assessments.services import Answers, assessment_submit, round_populate
from figures.services import round_close_early
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
    url = reverse("figures:team_dashboard", args=[team.pk])
    return url + (f"?round={round_.pk}&perspective={perspective}" if round_ else "")


def org_url(round_=None, **params):
    params = ({"round": round_.pk} if round_ else {}) | params
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("figures:organisation") + (f"?{query}" if query else "")


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


TEAM_ACCESS = {"anna": 200, "bram": 200, "maud": 200, "otto": 200, "hanna": 200, "xander": 404}


@pytest.mark.parametrize("persona, status", TEAM_ACCESS.items())
def test_who_opens_the_team_dashboard(dev_round, org, login, persona, status):
    # Otto manages Zuid in the same department, so he sees Noord's published figures.
    assert login(org[persona]).get(team_url(org["noord"])).status_code == status


def test_a_manager_of_another_department_gets_404(dev_round, org, login):
    other = Department.objects.create(name="Elders")
    team = Team.objects.create(name="Ver weg", department=other)
    boss = make_user("boss")
    Membership.objects.create(person=boss, team=team, role="manager")
    assert login(boss).get(team_url(org["noord"])).status_code == 404


@pytest.mark.parametrize(
    "persona, sees", [("maud", True), ("hanna", True), ("anna", False), ("otto", False)]
)
def test_only_the_teams_managers_and_hr_see_each_members_answers(
    dev_round, org, login, persona, sees
):
    submit(
        Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self"),
        lambda n: 4,
    )
    for closed in (False, True):
        if closed:
            round_close_early(round_=dev_round)
        page = login(org[persona]).get(team_url(org["noord"]))
        assert ('id="heatmap"' in page.text) is sees
        people_export = reverse("figures:team_people_csv", args=[org["noord"].pk])
        assert login(org[persona]).get(people_export).status_code == (200 if sees else 404)


def test_the_teams_manager_reads_live_figures_while_the_round_is_open(dev_round, org, login):
    submit(
        Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self"),
        lambda n: 5,
    )  # level 5
    submit(
        Assessment.objects.get(round=dev_round, subject=org["bram"], perspective="self"),
        lambda n: 4 if n <= 2 else 2,
    )  # level 2
    page = login(org["maud"]).get(team_url(org["noord"]))
    view = page.context["view"]
    assert (view.people.submitted, view.people.expected) == (2, 2)
    assert view.people.distribution == {0: 0, 1: 0, 2: 1, 3: 0, 4: 0, 5: 1}
    assert view.people.share_at_target == 0.5
    levels = {row.item.number: row.self.value for row in view.levels}
    assert levels[1] == 4.5 and levels[3] == 3.5
    assert 'id="live"' in page.text


def test_others_see_participation_only_until_the_round_closes(dev_round, org, login):
    for a in Assessment.objects.filter(round=dev_round, team=org["zuid"]):
        submit(a, lambda n: 4)
    page = login(org["maud"]).get(team_url(org["zuid"], dev_round))  # not her team
    view = page.context["view"]
    assert (view.people.submitted, view.people.expected) == (1, 1)
    assert view.pending and not view.people.shown
    assert 'id="pending"' in page.text and 'id="level-means"' not in page.text
    assert "worden gepubliceerd wanneer ze sluit" in page.text


def test_a_pulse_round_withholds_figures_below_the_minimum_group_size(org, framework, login):
    pulse = make_round(org, framework, kind="pulse", name="Pulse")
    for a in Assessment.objects.filter(round=pulse, team=org["noord"]):
        submit(a, lambda n: 5)
    round_close_early(round_=pulse)
    for persona in ("maud", "hanna", "anna"):  # in a pulse round nobody reads answers
        page = login(org[persona]).get(team_url(org["noord"], pulse))
        view = page.context["view"]
        assert view.people.withheld == "small" and not view.people.shown
        assert 'id="withheld"' in page.text
        assert "Alleen 2 mensen hebben geantwoord" in page.text
        assert 'id="heatmap"' not in page.text
        assert all(row.self.value is None for row in view.behaviours)
        csv = login(org[persona]).get(
            reverse("figures:team_export_csv", args=[org["noord"].pk])
            + f"?round={pulse.pk}&perspective=self"
        )
        lines = body(csv).splitlines()
        assert lines[1:3] == ["deelname;ingediend;2;;", "deelname;verwacht;2;;"]
        assert lines[3] == "achtergehouden;niet getoond: minder dan 5 antwoorden;;;"
        assert all(line.endswith(";niet getoond: minder dan 5 antwoorden;;") for line in lines[4:])


def test_exports_are_streamed_and_neutralise_formulas_and_links(dev_round, org, login):
    org["noord"].name = '=HYPERLINK("http://evil")'
    org["noord"].save()
    org["zuid"].name = "https://evil.example/login"
    org["zuid"].save()
    submit(
        Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self"),
        lambda n: 4,
    )
    client = login(org["hanna"])
    response = client.get(reverse("figures:organisation_export_csv"))
    assert response.status_code == 200 and response.streaming
    text = body(response)
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    xlsx = client.get(reverse("figures:organisation_export_xlsx"))
    assert xlsx.status_code == 200
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"


def test_organisation_dashboard_access(dev_round, org, login):
    url = reverse("figures:organisation")
    assert login(org["hanna"]).get(url).status_code == 200
    assert login(org["hanna"]).get(url + "?department=&round=").status_code == 404
    assert login(org["hanna"]).get(url + f"?department=&round={dev_round.pk}").status_code == 200
    assert login(org["maud"]).get(url).status_code == 200  # her department's roll-up
    for persona in ("anna", "xander"):
        assert login(org[persona]).get(url).status_code == 404


def test_a_manager_cannot_open_another_departments_rollup(dev_round, org, login):
    other = Department.objects.create(name="Elders")
    dev_round.teams.add(Team.objects.create(name="Ver weg", department=other))
    url = reverse("figures:organisation") + f"?department={other.pk}"
    assert login(org["maud"]).get(url).status_code == 404
    page = login(org["hanna"]).get(url)  # HR opens any department's roll-up
    assert page.status_code == 200 and page.context["department"] == other


def test_a_round_of_another_team_or_a_bad_parameter_is_a_404(dev_round, org, login, framework):
    client = login(org["maud"])
    assert client.get(team_url(org["noord"]) + "?round=99999").status_code == 404
    assert client.get(team_url(org["noord"]) + "?round=abc").status_code == 404
    assert client.get(team_url(org["noord"]) + "?perspective=boss").status_code == 404
    organisation, export = reverse("figures:organisation"), "/organisation/export.csv"
    for who in ("maud", "hanna"):  # a manager, and HR, who finds departments among all
        client = login(org[who])
        for wanted in ("abc", "-1", "99999", "1.5", "²", "9" * 30):
            assert client.get(f"{organisation}?department={wanted}").status_code == 404
            assert client.get(f"{export}?department={wanted}").status_code == 404
        # A page number that is no number shows the first page; one written in superscript
        # digits (str.isdigit() holds, int() refuses) too.
        assert client.get(f"{organisation}?page=²").status_code == 200
    assert login(org["maud"]).get(team_url(org["noord"]) + "?page=²").status_code == 200


def test_the_trend_lists_the_rounds_in_order(org, framework, login):
    old = make_round(org, framework, name="Vorig kwartaal")
    old.opens_on -= datetime.timedelta(days=100)
    old.save()
    make_round(org, framework, name="Dit kwartaal")
    page = login(org["maud"]).get(team_url(org["noord"]))
    assert [p.round.name for p in page.context["view"].trend] == ["Vorig kwartaal", "Dit kwartaal"]


def test_departments_roll_up_below_the_chosen_scope(dev_round, org, framework, login):
    sub = Department.objects.create(name="Backoffice", parent=org["department"])
    deep = Department.objects.create(name="Facturen", parent=sub)
    team = Team.objects.create(name="Facturatie", department=deep)
    Membership.objects.create(person=make_user("fien"), team=team)
    dev_round.teams.add(team)
    round_populate(round_=dev_round)
    for a in Assessment.objects.filter(round=dev_round, perspective="self"):
        submit(a, lambda n: 5)
    round_close_early(round_=dev_round)
    client = login(org["hanna"])
    view = client.get(org_url(dev_round)).context["view"]
    assert [r.group.name for r in view.departments] == ["Klantcontact"]
    assert view.departments[0].people.submitted == 4 and view.total.submitted == 4
    view = client.get(org_url(dev_round, department=org["department"].pk)).context["view"]
    assert [r.group.name for r in view.departments] == ["Backoffice"]
    assert view.departments[0].people.submitted == 1
    assert view.total.submitted == 4
    assert {r.group.name for r in view.teams} == {"Noord", "Zuid", "Facturatie"}


def test_the_department_filter_marks_the_chosen_department_and_escapes_names(dev_round, org, login):
    odd = Department.objects.create(name='R&D <"lab">', parent=org["department"])
    client = login(org["hanna"])
    page = client.get(org_url(dev_round, department=org["department"].pk)).text
    chosen = org["department"]
    assert f'<option value="{chosen.pk}" selected>{chosen.name}</option>' in page
    assert f'<option value="{odd.pk}">R&amp;D &lt;&quot;lab&quot;&gt;</option>' in page
    assert page.count(" selected>") == 3  # the department, the round, the perspective


def test_the_organisation_lists_teams_fifty_to_a_page_and_exports_them_all(dev_round, org, login):
    for i in range(58):
        team = Team.objects.create(name=f"Team {i:02d}", department=org["department"])
        Membership.objects.create(person=make_user(f"p{i}"), team=team)
        dev_round.teams.add(team)
    round_populate(round_=dev_round)
    client = login(org["hanna"])
    for closed in (False, True):
        if closed:
            round_close_early(round_=dev_round)
        first = client.get(org_url(dev_round))
        assert len(first.context["view"].teams.object_list) == 50
        assert first.text.count('href="/teams/') == 50
        second = client.get(org_url(dev_round, page=2))
        assert len(second.context["view"].teams.object_list) == 10
        assert client.get(org_url(dev_round, page="abc")).status_code == 200
        export = client.get(reverse("figures:organisation_export_csv") + f"?round={dev_round.pk}")
        lines = body(export).strip().splitlines()
        # header, the total, one department, 60 teams
        assert len(lines) == 1 + 1 + 1 + 60


def test_hr_who_is_rated_herself_reads_no_figure_with_her_managers_rating_before_she_submits(
    dev_round, org, login
):
    Membership.objects.create(person=org["hanna"], team=org["noord"])
    from assessments.services import round_populate as populate

    populate(round_=dev_round)
    rating = Assessment.objects.get(round=dev_round, subject=org["hanna"], assessor=org["maud"])
    submit(rating, lambda n: 1)
    client = login(org["hanna"])
    manager_view = client.get(team_url(org["noord"], dev_round, "manager")).context["view"]
    assert manager_view.pending and not manager_view.people.shown
    assert all(row.manager.value is None for row in manager_view.behaviours)
    assert 'id="heatmap"' not in client.get(team_url(org["noord"], dev_round, "manager")).text
    organisation = client.get(org_url(dev_round, perspective="manager")).context["view"]
    assert not organisation.total.shown
    # Her own self-assessment submitted, the reveal holds: she reads them again.
    submit(
        Assessment.objects.get(round=dev_round, subject=org["hanna"], perspective="self"),
        lambda n: 3,
    )
    manager_view = client.get(team_url(org["noord"], dev_round, "manager")).context["view"]
    assert manager_view.people.shown


def test_no_cell_of_an_xlsx_export_is_a_link_or_a_formula(dev_round, org, login):
    import io
    import zipfile

    org["noord"].name = "https://evil.example/login"
    org["noord"].save()
    org["zuid"].name = "external:\\\\evil.example\\share\\x.exe"
    org["zuid"].save()
    client = login(org["hanna"])
    for url in (
        reverse("figures:organisation_export_xlsx"),
        reverse("figures:team_export_xlsx", args=[org["noord"].pk]),
    ):
        data = b"".join(client.get(url).streaming_content)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            sheet = archive.read("xl/worksheets/sheet1.xml").decode()
            strings = "".join(
                archive.read(n).decode() for n in names if n == "xl/sharedStrings.xml"
            )
        assert not any("_rels/sheet1.xml.rels" in n for n in names), names
        assert "<hyperlink" not in sheet and "<f>" not in sheet
        if url.endswith("organisation/export.xlsx"):
            assert "https://evil.example/login" in strings + sheet
            assert "external:\\\\evil.example" in strings + sheet


def test_the_team_view_says_who_needs_what(dev_round, org, login, framework):
    level_3 = list(
        Indicator.objects.filter(level__framework=framework, level__number=3).order_by("position")
    )
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self")
    submit(own, lambda n: 4)  # every level met: level 5
    rating = Assessment.objects.get(round=dev_round, subject=org["anna"], assessor=org["maud"])
    choices = {
        i.pk: 5
        for i in Indicator.objects.filter(level__framework=framework).exclude(level__number=3)
    }
    choices |= {i.pk: v for i, v in zip(level_3, [3, 1, 2, 2, 3], strict=True)}
    assessment_submit(assessment=rating, answers=Answers(choices=choices))

    page = login(org["maud"]).get(team_url(org["noord"]))
    assert "1 van 2 op niveau 3 of hoger; 1 nog niet ingevuld." in page.text
    members = {m.person.username: m for m in page.context["member_page"]()}
    anna, bram = members["anna"], members["bram"]
    assert (anna.self.attained, anna.manager.attained) == (5, 2)
    assert anna.focus is anna.manager and anna.focus.bottleneck == 3
    # The weakest behaviours of level 3 by the manager's rating: 3.2 (1), then 3.3 and 3.4 (2).
    assert [(i.level.number, i.position) for i in anna.focus.points] == [(3, 2), (3, 3), (3, 4)]
    assert not bram.self.submitted and bram.focus is None
    assert "Wie heeft wat nodig" in page.text and "nog niet ingevuld" in page.text
    heat = page.text[page.text.index('id="heatmap"') :]
    assert '<td class="heat-4">4</td>' in heat and '<td class="heat-na">–</td>' not in heat


def test_a_share_over_less_than_half_of_a_team_is_marked_and_ranked_after_the_others(
    dev_round, org, login
):
    for i in range(6):
        Membership.objects.create(person=make_user(f"zuid{i}"), team=org["zuid"])
    round_populate(round_=dev_round)
    # Noord: both answered, one at target. Zuid: one of seven answered, at target.
    submit(
        Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self"),
        lambda n: 5,
    )
    submit(
        Assessment.objects.get(round=dev_round, subject=org["bram"], perspective="self"),
        lambda n: 1,
    )
    submit(
        Assessment.objects.get(round=dev_round, subject=org["zoe"], perspective="self"),
        lambda n: 5,
    )
    round_close_early(round_=dev_round)
    page = login(org["hanna"]).get(org_url(dev_round))
    rows = [
        (r.group.name, r.people.share_at_target, r.people.few) for r in page.context["view"].teams
    ]
    assert rows == [("Noord", 0.5, False), ("Zuid", 1.0, True)]
    # Zuid, and the department and organisation totals: 3 of 9 answered. (The outcomes
    # section below repeats the organisation's total in its level series, with its mark.)
    figures, outcomes = page.text.split('id="outcomes"')
    assert figures.count("minder dan de helft ingevuld") == 3
    assert outcomes.count("minder dan de helft ingevuld") == 1
