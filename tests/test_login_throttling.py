"""Brute-force logins are locked out with a cool-off (django-axes)."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def attempt(client, password):
    return client.post(reverse("login"), {"username": "anna", "password": password})


def test_five_failures_lock_the_account_even_for_the_right_password(org, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200
    assert attempt(client, "wrong").status_code == 429  # the fifth failure locks
    locked = attempt(client, "secret-pass-1")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "mislukte pogingen" in locked.text


def test_a_correct_login_before_the_limit_works_and_resets(org, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, "secret-pass-1").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200


def test_the_lock_lifts_after_the_cool_off(org, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong")
    assert attempt(client, "secret-pass-1").status_code == 429
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    )
    assert attempt(client, "secret-pass-1").status_code == 302
