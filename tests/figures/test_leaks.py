"""The five ways figures gave individual answers away (issue 8), each tried as the curious
insider did. The pages are read by their plain URLs, so that each test also runs against
the dashboards as they were before figures were published (where each one fails)."""

import re

import pytest
from django.db import transaction

from assessments.models import Assessment, Department, Indicator, Membership, Team
from assessments.services import CANNOT_RATE, Answers, assessment_submit
from tests.conftest import make_round, make_user
from tests.figures.pages import differences, read

pytestmark = pytest.mark.django_db


def indicators(framework):
    return list(
        Indicator.objects.filter(level__framework=framework)
        .order_by("level__number", "position")
        .values_list("pk", flat=True)
    )


def submit(assessment, value=4, today=None, overrides=None):
    choices = dict.fromkeys(indicators(assessment.round.framework), value) | (overrides or {})
    assessment_submit(assessment=assessment, answers=Answers(choices=choices), today=today)


def close(round_):
    """Closes the round by its date, as time does: the first read publishes its figures."""
    round_.closes_on = round_.opens_on
    round_.save()


def in_each_world(client, urls, worlds):
    """The pages as `client` reads them in each world; a world changes answers and is undone."""
    seen = []
    for make in worlds:
        with transaction.atomic():
            make()
            seen.append(read(client, urls))
            transaction.set_rollback(True)
    return seen


def team_pages(team, round_, perspectives=("self", "manager")):
    urls = []
    for p in perspectives:
        query = f"?round={round_.pk}&perspective={p}"
        urls += [f"/teams/{team.pk}/{query}"]
        urls += [f"/teams/{team.pk}/export.{fmt}{query}" for fmt in ("csv", "xlsx")]
    return urls


def people(team, count, prefix):
    for i in range(count):
        Membership.objects.create(person=make_user(f"{prefix}{i}"), team=team)


def test_1_a_managers_rating_stays_hidden_until_the_employee_has_submitted(org, framework, login):
    people(org["noord"], 5, "noord")  # 7 employees, as in the issue: "1 of 7"
    round_ = make_round(org, framework)
    rating = Assessment.objects.get(round=round_, subject=org["anna"], assessor=org["maud"])
    urls = [
        *team_pages(org["noord"], round_),
        f"/rounds/{round_.pk}/people/{org['anna'].pk}/",
        "/",
    ]
    seen = in_each_world(
        login(org["anna"]),
        urls,
        [lambda v=v: submit(rating, v) for v in (1, 5)],
    )
    assert not differences(*seen)


def test_1_hr_in_a_team_reads_no_managers_rating_of_themselves_before_submitting(
    org, framework, login
):
    """HR reads every member's answers in a development round, on the team page's
    "who needs what" too; but when HR is a member of the team, the manager's rating of them
    stays hidden from them like anyone's (found by the non-interference property)."""
    Membership.objects.create(person=org["hanna"], team=org["noord"])
    round_ = make_round(org, framework)
    rating = Assessment.objects.get(round=round_, subject=org["hanna"], assessor=org["maud"])
    seen = in_each_world(
        login(org["hanna"]),
        team_pages(org["noord"], round_),
        [lambda v=v: submit(rating, v) for v in (1, 5)],
    )
    assert not differences(*seen)


def test_2_a_withheld_team_follows_from_no_page_filter_or_later_change(org, framework, login):
    """Teams of 1, 6, 5 and 7 in one department of a pulse round (k = 5)."""
    department = Department.objects.create(name="Service")
    teams = {}
    for size in (1, 6, 5, 7):
        teams[size] = Team.objects.create(name=f"Team van {size}", department=department)
        people(teams[size], size, f"s{size}-")
    round_ = make_round(org, framework, kind="pulse", name="Pulse")
    round_.teams.add(*teams.values())
    from assessments.services import round_populate

    round_populate(round_=round_)
    for assessment in Assessment.objects.filter(round=round_):
        submit(assessment, 4)
    close(round_)
    hr = login(org["hanna"])
    shares = {}
    for scope in ("", f"&department={department.pk}"):
        page = hr.get(f"/organisation/?round={round_.pk}{scope}").text
        for size in teams:
            row = re.search(rf"Team van {size}</a>.*?</tr>", page, re.S).group(0)
            shares.setdefault(size, set()).add("%" in row)
    for size, team in teams.items():
        own = hr.get(f"/teams/{team.pk}/?round={round_.pk}").text
        shown = "%" in re.search(r'id="share-at-target">(.*?)</p>', own, re.S).group(1)
        shares[size].add(shown)
    # The lone answer and, so that it cannot be worked out, the team of 5: on every page.
    assert shares == {1: {False}, 6: {True}, 5: {False}, 7: {True}}

    # A target level changed after the round closed changes nothing that was published.
    urls = [
        f"/organisation/?round={round_.pk}",
        f"/organisation/?round={round_.pk}&department={department.pk}",
        f"/organisation/export.csv?round={round_.pk}",
        *[f"/teams/{t.pk}/?round={round_.pk}" for t in teams.values()],
    ]
    before = read(hr, urls)
    Team.objects.filter(pk=teams[1].pk).update(target_level=1)
    Team.objects.filter(pk=teams[6].pk).update(target_level=5)
    assert not differences(before, read(hr, urls))


def test_2_two_withheld_teams_that_are_together_too_few_take_a_third_along(org, framework, login):
    department = Department.objects.create(name="Service")
    teams = {}
    for name, size in (("A", 2), ("B", 2), ("C", 9), ("D", 6)):
        teams[name] = Team.objects.create(name=f"Team {name}", department=department)
        people(teams[name], size, f"s{name}-")
    round_ = make_round(org, framework, kind="pulse", name="Pulse")
    round_.teams.set(teams.values())
    from assessments.services import round_populate

    round_populate(round_=round_)
    for assessment in Assessment.objects.filter(round=round_):
        submit(assessment, 4)
    close(round_)
    page = login(org["hanna"]).get(f"/organisation/?round={round_.pk}").text
    shown = {
        name: "%" in re.search(rf"Team {name}</a>.*?</tr>", page, re.S).group(0) for name in teams
    }
    assert shown == {"A": False, "B": False, "C": True, "D": False}


def test_3_an_answer_added_while_the_round_is_open_cannot_be_read_by_subtraction(
    org, framework, login
):
    people(org["zuid"], 5, "zuid")  # Zuid: Zoe and five more
    round_ = make_round(org, framework, kind="pulse", name="Pulse")
    own = Assessment.objects.filter(round=round_, team=org["zuid"]).order_by("pk")
    first, sixth = list(own[:5]), own[5]
    for assessment in first:
        submit(assessment, 3)
    zoe = login(org["zoe"])
    urls = team_pages(org["zuid"], round_, perspectives=("self",))
    seen = in_each_world(zoe, urls, [lambda v=v: submit(sixth, v) for v in (1, 5)])
    assert not differences(*seen)


def test_4_a_behaviour_rated_by_fewer_than_k_shows_no_mean(org, framework, login):
    people(org["noord"], 3, "noord")  # Noord: five employees
    round_ = make_round(org, framework, kind="pulse", name="Pulse")
    behaviour = Indicator.objects.get(pk=indicators(framework)[4])
    rater, *others = Assessment.objects.filter(round=round_, team=org["noord"]).order_by("pk")
    submit(rater, 4, overrides={behaviour.pk: 1})
    for assessment in others:  # four chose "Kan ik niet beoordelen" on that behaviour
        submit(assessment, 4, overrides={behaviour.pk: CANNOT_RATE})
    close(round_)
    for persona in ("bram", "hanna"):
        client = login(org[persona])
        page = client.get(f"/teams/{org['noord'].pk}/?round={round_.pk}").text
        row = re.search(rf"{re.escape(behaviour.text)}.*?</tr>", page, re.S).group(0)
        assert not re.search(r"\d,\d\d", row), row
        export = b"".join(
            client.get(f"/teams/{org['noord'].pk}/export.csv?round={round_.pk}").streaming_content
        ).decode("utf-8-sig")
        line = next(line for line in export.splitlines() if behaviour.text in line)
        assert not re.search(r";1(\.0+)?;", line), line
        # The behaviours that all five rated are shown.
        assert re.search(r"\d,\d\d", page)


def test_5_in_a_team_of_two_neither_the_teammate_nor_another_manager_reads_the_other(
    org, framework, login
):
    people(org["zuid"], 5, "zuid")  # Zuid: six employees and Otto, their manager
    round_ = make_round(org, framework)
    for assessment in Assessment.objects.filter(round=round_).exclude(subject=org["anna"]):
        submit(assessment, 3)
    annas = list(Assessment.objects.filter(round=round_, subject=org["anna"]))
    close(round_)

    def world(value):
        def make():
            for assessment in annas:
                submit(assessment, value, today=round_.opens_on)

        return make

    noord = team_pages(org["noord"], round_)
    rollup = [
        f"/organisation/?round={round_.pk}&perspective={p}{s}"
        for p in ("self", "manager")
        for s in ("", f"&department={org['department'].pk}")
    ] + [f"/organisation/export.csv?round={round_.pk}&perspective=manager"]
    for persona, urls in (("bram", noord), ("otto", noord + rollup)):
        seen = in_each_world(login(org[persona]), urls, [world(1), world(5)])
        assert not differences(*seen), persona
