"""What filling in an assessment costs the database: statements per request, pinned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Indicator, Round
from assessments.services import framework_new_version
from tests.conftest import all_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(dev_round, org):
    return Assessment.objects.get(round=dev_round, subject=org["anna"], assessor=org["anna"])


@pytest.fixture
def anna(org, client, own):
    client.force_login(org["anna"])
    client.get(reverse("assessments:assessment", args=[own.pk]))  # reads the round's questions
    return client


def is_login(sql: str) -> bool:
    """The lookups every logged-in request makes: its session and its user."""
    return 'FROM "django_session"' in sql or 'FROM "auth_user"' in sql


def autosave(client, own: Assessment, framework, kind: str, value: str):
    """One autosave of the first behaviour's rating (kind "r") or example ("e"), as the page
    sends it: the response and the SQL of its statements."""
    name = f"{kind}{Indicator.objects.filter(level__framework=framework).first().pk}"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("assessments:autosave", args=[own.pk]), {name: value, f"b-{name}": ""}
        )
    assert response.status_code == 200
    return response, [q["sql"] for q in queries]


def test_a_click_on_a_rating_runs_three_statements(own, anna, framework):
    response, sql = autosave(anna, own, framework, "r", "4")
    assert list(response.json()["bases"].values()) == ["4"]
    # The session, the user; one upsert that is the access check and the lock too, in no
    # transaction of its own.
    assert [s.split(None, 1)[0] for s in sql] == ["SELECT", "SELECT", "INSERT"]
    assert 'FROM "django_session"' in sql[0] and 'FROM "auth_user"' in sql[1]
    assert "assessor_id = " in sql[2] and "assessments_round" in sql[2]


def test_an_autosave_of_one_text_runs_seven_statements(own, anna, framework):
    _, sql = autosave(anna, own, framework, "e", "Belde terug.")
    # The session, the user; SAVEPOINT (BEGIN outside a test); the assessment joined with its
    # round, locked, which is the access check too; the text as stored, which the page's base
    # is compared with; the example's upsert; RELEASE (COMMIT).
    assert [s.split(None, 1)[0] for s in sql] == [
        "SELECT", "SELECT", "SAVEPOINT", "SELECT", "SELECT", "INSERT", "RELEASE"
    ]  # fmt: skip
    assert '"assessor_id" = ' in sql[3] and "assessments_round" in sql[3]


def fill_in_whole(client, own: Assessment, framework) -> list[str]:
    """The form, then an autosave per answer and the submit, as the page sends them: the SQL
    of the statements from the first answer to the submit. The assessment ends up
    submitted."""
    form = reverse("assessments:assessment", args=[own.pk])
    autosave = reverse("assessments:autosave", args=[own.pk])
    answers = all_answers(framework)
    assert client.get(form).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        for name, value in answers.items():
            assert client.post(autosave, {name: value, f"b-{name}": ""}).status_code == 200
        assert client.post(form, {"action": "submit"}).status_code == 302
    own.refresh_from_db()
    assert own.is_submitted
    return [q["sql"] for q in queries]


def test_filling_in_a_whole_assessment(own, anna, framework):
    sql = fill_in_whole(anna, own, framework)
    # 22 requests: 2 lookups each (44); each click 1 (see above); the submit 7 (SAVEPOINT,
    # the assessment locked, the round's row, which a close waits for, ratings, level
    # results, status, RELEASE, which are BEGIN and COMMIT in production). With sessions in
    # Redis, 22 fewer (tests/test_redis_sessions.py).
    assert len(sql) == 72
    work = [s for s in sql if not is_login(s)]
    assert len(work) == 21 + 7
    assert [s.split(None, 1)[0] for s in work[:21]] == ["INSERT"] * 21


def test_the_form_reads_the_framework_of_the_round_as_it_is_now(org, framework, anna, own):
    """The questions of a round are read once per process; swapping the round's framework
    before anyone answered shows the other framework's, not the remembered one's."""
    round_ = Round.objects.get(pk=own.round_id)
    other = framework_new_version(framework=framework)
    level = other.levels.get(number=1)
    level.indicators.filter(position=1).update(text_nl="Belt de klant zelf terug.")
    round_.framework = other
    round_.save()
    page = anna.get(reverse("assessments:assessment", args=[own.pk]))
    assert "Belt de klant zelf terug." in page.text
    assert "Volgt op na vragen of klachten van klanten" not in page.text
