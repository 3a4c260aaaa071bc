"""Sessions from Redis (REDIS_URL): read without a database query, ended everywhere by a
logout, and kept in the database when Redis loses them.

These run against a real Redis: KLANTGERICHT_TEST_REDIS_URL, or the local one at
redis://127.0.0.1:6379/15. Without one they are skipped, unless KLANTGERICHT_REQUIRE_REDIS=1
(as in CI, whose machines run Redis)."""

import os
import socket
import uuid
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from redis import Redis

from assessments.models import Assessment
from tests.test_form_queries import autosave, fill_in_whole

REDIS_URL = os.environ.get("KLANTGERICHT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_reachable() -> bool:
    address = urlparse(REDIS_URL)
    try:
        with socket.create_connection((address.hostname, address.port or 6379), timeout=1):
            return True
    except OSError:
        return False


if not _redis_reachable():
    if os.environ.get("KLANTGERICHT_REQUIRE_REDIS") == "1":
        raise RuntimeError(f"Redis required (KLANTGERICHT_REQUIRE_REDIS=1), not at {REDIS_URL}")
    pytest.skip(f"no Redis at {REDIS_URL}", allow_module_level=True)

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_sessions():
    """The production settings for REDIS_URL, under a key prefix of this test's own."""
    prefix = f"klantgericht-test-{uuid.uuid4().hex}"
    sessions = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    with override_settings(
        CACHES={**settings.CACHES, "sessions": sessions},
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        SESSION_CACHE_ALIAS="sessions",
    ):
        yield caches["sessions"]
    # Only this test's keys: other tests may use the same Redis at the same time.
    redis = Redis.from_url(REDIS_URL)
    for key in redis.scan_iter(f"{prefix}:*"):
        redis.delete(key)


def session_queries(queries) -> int:
    return sum('FROM "django_session"' in q["sql"] for q in queries)


def test_a_page_reads_the_session_from_redis_not_the_database(org, redis_sessions):
    browser = Client()
    browser.force_login(org["anna"])
    home = reverse("assessments:home")
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(home).status_code == 200
    assert session_queries(queries) == 0
    assert redis_sessions.get(browser.session.cache_key)["_auth_user_id"] == str(org["anna"].pk)


def test_a_logout_ends_the_session_for_every_copy_of_the_cookie(org, redis_sessions):
    first = Client()
    first.force_login(org["anna"])
    second = Client()  # another tab, or a request another worker serves
    name = settings.SESSION_COOKIE_NAME
    second.cookies[name] = first.cookies[name].value  # a copy: logout cannot clear it
    home = reverse("assessments:home")
    assert second.get(home).status_code == 200
    first.logout()
    response = second.get(home)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_session_that_redis_lost_is_read_from_the_database(org, redis_sessions):
    browser = Client()
    browser.force_login(org["anna"])
    redis_sessions.delete(browser.session.cache_key)
    home = reverse("assessments:home")
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(home).status_code == 200
    assert session_queries(queries) == 1
    with CaptureQueriesContext(connection) as queries:  # and kept in Redis again
        assert browser.get(home).status_code == 200
    assert session_queries(queries) == 0


def test_a_whole_assessment_reads_no_session_from_the_database(
    dev_round, org, framework, redis_sessions
):
    """tests/test_form_queries.py counts 72 statements from the first answer to the submit
    with sessions in the database; with Redis the 22 requests' session lookups leave the
    database, which makes 50, within the 60 of issue 8."""
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], assessor=org["anna"])
    browser = Client()
    browser.force_login(org["anna"])
    browser.get(reverse("assessments:assessment", args=[own.pk]))  # reads the questions
    sql = fill_in_whole(browser, own, framework)
    assert not [s for s in sql if 'FROM "django_session"' in s]
    assert len(sql) == 72 - 22


def test_an_autosave_of_one_answer_runs_at_most_six_statements(
    dev_round, org, framework, redis_sessions
):
    """With Redis, a click runs 2 statements and a text 6 (3 and 7 with sessions in the
    database, tests/test_form_queries.py): within the 6 of issue 8 either way."""
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], assessor=org["anna"])
    browser = Client()
    browser.force_login(org["anna"])
    browser.get(reverse("assessments:assessment", args=[own.pk]))  # reads the questions
    _, click = autosave(browser, own, framework, "r", "4")
    _, text = autosave(browser, own, framework, "e", "Belde terug.")
    assert (len(click), len(text)) == (2, 6)
    assert not [s for s in click + text if 'FROM "django_session"' in s]
