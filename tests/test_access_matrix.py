"""Every URL the application serves, for every kind of person.

The URLs come from the URL configuration, so a new URL without a row here fails the suite.
The admin's own URLs are covered by test_admin_access.py. Ids in the URLs are those of Anna
(an employee of team Noord) and her team: nobody else reaches them by typing the id.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments.models import Assessment, Indicator
from development.access import plan_for
from development.services import action_propose
from tests.test_assessment_access import submit_all

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "anna", "bram", "maud", "otto", "hanna", "xander"]
LOGIN = "login"  # expected: a redirect to the login page


def url_names(patterns=None, namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = (
                f"{namespace}:{p.namespace}"
                if namespace and p.namespace
                else (p.namespace or namespace)
            )
            yield from url_names(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name


def everyone(status, *, anonymous=LOGIN):
    return {"anonymous": anonymous, **dict.fromkeys(PERSONAS[1:], status)}


# name -> (method, url builder, expected status per persona, text each 200 must contain)
def matrix(ctx):
    own = ctx["own"]
    team = ctx["noord"].pk
    result = reverse("assessments:result", args=[ctx["round"].pk, ctx["anna"].pk])
    only_anna = {
        "anonymous": LOGIN,
        "anna": 200,
        "bram": 404,
        "maud": 404,
        "otto": 404,
        "hanna": 404,
        "xander": 404,
    }
    team_access = {
        "anonymous": LOGIN,
        "anna": 200,
        "bram": 200,
        "maud": 200,
        "otto": 200,
        "hanna": 200,
        "xander": 404,
    }
    rollup = {
        "anonymous": LOGIN,
        "anna": 404,
        "bram": 404,
        "maud": 200,
        "otto": 200,
        "hanna": 200,
        "xander": 404,
    }
    # Each member's own answers: the team's managers and HR (a development round).
    team_managers_and_hr = {**rollup, "otto": 404}
    only_hr = {**team_managers_and_hr, "maud": 404}
    actions = {**team_managers_and_hr, "anna": 200, "hanna": 403}
    return {
        "assessments:home": ("get", reverse("assessments:home"), everyone(200), "Klantgericht"),
        "assessments:model": ("get", reverse("assessments:model"), everyone(200), "Opvolgen"),
        "assessments:assessment": (
            "get",
            reverse("assessments:assessment", args=[own.pk]),
            only_anna,
            "Opvolgen",
        ),
        "assessments:autosave": (
            "post",
            reverse("assessments:autosave", args=[own.pk]),
            only_anna,
            '"bases"',
        ),
        "assessments:result": (
            "get",
            result,
            {
                "anonymous": LOGIN,
                "anna": 200,
                "bram": 404,
                "maud": 200,
                "otto": 404,
                "hanna": 200,
                "xander": 404,
            },
            "Anna",
        ),
        # Who has not submitted yet, with names and e-mail addresses: HR only.
        "assessments:round_outstanding": (
            "get",
            reverse("assessments:round_outstanding", args=[own.round_id]),
            only_hr,
            "Anna",
        ),
        # Zuid's internal customers rate it: Noord's people, not Zuid's own nor anyone else.
        "internal_customers:feedback": (
            "get",
            reverse("internal_customers:feedback", args=[ctx["round"].pk, ctx["zuid"].pk]),
            {**rollup, "anna": 200, "bram": 200, "otto": 404, "hanna": 404},
            "Zuid",
        ),
        "figures:team_dashboard": (
            "get",
            reverse("figures:team_dashboard", args=[team]),
            team_access,
            "Noord",
        ),
        "figures:organisation": ("get", reverse("figures:organisation"), rollup, "Noord"),
        "figures:team_export_csv": (
            "get",
            reverse("figures:team_export_csv", args=[team]),
            team_access,
            None,
        ),
        "figures:team_people_csv": (
            "get",
            reverse("figures:team_people_csv", args=[team]),
            team_managers_and_hr,
            None,
        ),
        "figures:organisation_export_csv": (
            "get",
            reverse("figures:organisation_export_csv"),
            rollup,
            None,
        ),
        "figures:organisation_people_csv": (
            "get",
            reverse("figures:organisation_people_csv"),
            only_hr,
            None,
        ),
        "figures:team_export_xlsx": (
            "get",
            reverse("figures:team_export_xlsx", args=[team]),
            team_access,
            None,
        ),
        "figures:team_people_xlsx": (
            "get",
            reverse("figures:team_people_xlsx", args=[team]),
            team_managers_and_hr,
            None,
        ),
        "figures:organisation_export_xlsx": (
            "get",
            reverse("figures:organisation_export_xlsx"),
            rollup,
            None,
        ),
        "figures:organisation_people_xlsx": (
            "get",
            reverse("figures:organisation_people_xlsx"),
            only_hr,
            None,
        ),
        # Development actions: as for the result, and HR reads but does not change (403).
        "development:action_new": (
            "get",
            reverse("development:action_new", args=[ctx["round"].pk, ctx["anna"].pk]),
            actions,
            "ontwikkelactie",
        ),
        "development:action_edit": (
            "get",
            reverse("development:action_edit", args=[ctx["action"].pk]),
            actions,
            "Wijzig een ontwikkelactie",
        ),
        "development:action_follow_up": (
            "get",
            reverse("development:action_follow_up", args=[ctx["action"].pk]),
            actions,
            "Wat is ervan terechtgekomen?",
        ),
        # Anna may change her action, but its confirmation is her manager's.
        "development:action_confirm": (
            "post",
            reverse("development:action_confirm", args=[ctx["action"].pk]),
            {**actions, "anna": 403, "maud": 302},
            None,
        ),
        "development:action_delete": (
            "post",
            reverse("development:action_delete", args=[ctx["spare"].pk]),
            {**actions, "anna": 302, "maud": 302},
            None,
        ),
        # Outcome values: a team's managers and HR enter a team's, HR a department's own and
        # imports; whoever may open a dashboard exports the values it shows.
        "outcomes:team_entry": (
            "get",
            reverse("outcomes:team_entry", args=[team]),
            team_managers_and_hr,
            'name="month"',
        ),
        "outcomes:department_entry": (
            "get",
            reverse("outcomes:department_entry", args=[ctx["department"].pk]),
            only_hr,
            'name="month"',
        ),
        "outcomes:import": ("get", reverse("outcomes:import"), only_hr, "maatregel"),
        "outcomes:team_export_csv": (
            "get",
            reverse("outcomes:team_export_csv", args=[team]),
            team_access,
            None,
        ),
        "outcomes:team_export_xlsx": (
            "get",
            reverse("outcomes:team_export_xlsx", args=[team]),
            team_access,
            None,
        ),
        "outcomes:organisation_export_csv": (
            "get",
            reverse("outcomes:organisation_export_csv"),
            rollup,
            None,
        ),
        "outcomes:organisation_export_xlsx": (
            "get",
            reverse("outcomes:organisation_export_xlsx"),
            rollup,
            None,
        ),
        # A person's own pages name no one: whoever opens them sees their own, never another's.
        "history:mine": ("get", reverse("history:mine"), everyone(200), 'id="trend-heading"'),
        "notifications:preferences": (
            "get",
            reverse("notifications:preferences"),
            everyone(200),
            'name="reminders"',
        ),
        # An invitation link that is not valid says so, to anyone.
        "notifications:invitation": (
            "get",
            reverse("notifications:invitation", args=["MQ", "bad-token"]),
            everyone(200, anonymous=200),
            "/accounts/password_reset/",
        ),
        # Single sign-on is not configured in the tests' settings: its pages do not exist
        # (tests/sso logs in with it, against a provider of its own).
        "sso:login": ("get", reverse("sso:login"), everyone(404, anonymous=404), None),
        "sso:callback": ("get", reverse("sso:callback"), everyone(404, anonymous=404), None),
        "login": ("get", reverse("login"), everyone(200, anonymous=200), "password"),
        "logout": ("get", reverse("logout"), everyone(405, anonymous=405), None),
        "password_change": ("get", reverse("password_change"), everyone(200), "password"),
        "password_change_done": ("get", reverse("password_change_done"), everyone(200), None),
        "password_reset": ("get", reverse("password_reset"), everyone(200, anonymous=200), None),
        "password_reset_done": (
            "get",
            reverse("password_reset_done"),
            everyone(200, anonymous=200),
            None,
        ),
        "password_reset_confirm": (
            "get",
            reverse("password_reset_confirm", args=["MQ", "bad-token"]),
            everyone(200, anonymous=200),
            None,
        ),
        "password_reset_complete": (
            "get",
            reverse("password_reset_complete"),
            everyone(200, anonymous=200),
            None,
        ),
        "set_language": ("post", reverse("set_language"), everyone(302, anonymous=302), None),
    }


@pytest.fixture
def ctx(dev_round, org, framework):
    submit_all(dev_round, framework)
    # A fresh draft of Anna's own for the form and autosave rows: a second, open round.
    from tests.conftest import make_round

    second = make_round(org, framework, name="Q2 2027", days_left=20)
    own = Assessment.objects.get(round=second, subject=org["anna"], perspective="self")
    # Two of Anna's development actions in the first round (the second has opened since).
    plan = plan_for(org["anna"], dev_round.pk, org["anna"].pk)
    behaviour = Indicator.objects.filter(level__framework=framework).first()
    action, spare = (
        action_propose(
            plan=plan,
            by=org["anna"],
            indicators=[behaviour],
            description=text,
            due_on=timezone.localdate() + datetime.timedelta(days=7),
        )
        for text in ("Klachten zelf terugbellen", "Meeluisteren")
    )
    # Zuid serves Noord: Noord's people are Zuid's internal customers.
    from internal_customers.models import Service

    Service.objects.create(provider=org["zuid"], customer=org["noord"])
    return {**org, "round": dev_round, "own": own, "action": action, "spare": spare}


def test_every_url_has_a_row_in_the_matrix(ctx):
    served = {name for name in url_names() if not name.startswith("admin:")}
    assert served == set(matrix(ctx))


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_answer_everywhere(ctx, client, persona):
    if persona != "anonymous":
        client.force_login(ctx[persona])
    failures = []
    for name, (method, url, expected, marker) in matrix(ctx).items():
        response = getattr(client, method)(url)
        want = expected[persona]
        if want == LOGIN:
            ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            ok = response.status_code == want
        if ok and want == 200 and marker and not getattr(response, "streaming", False):
            ok = marker in response.content.decode()
        if not ok:
            failures.append(f"{name}: got {response.status_code}, expected {want}")
    assert not failures, failures
