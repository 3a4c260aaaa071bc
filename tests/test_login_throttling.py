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


PROXY = "10.0.0.2"


def login_as(client, username, password, **meta):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


@pytest.fixture
def behind_proxy(settings):
    settings.KLANTGERICHT_TRUSTED_PROXIES = [PROXY]


def test_behind_the_proxy_each_client_address_counts_for_itself(org, client, behind_proxy):
    from axes.models import AccessAttempt

    via = {"REMOTE_ADDR": PROXY}
    for spoofed in range(5):  # what the client writes itself stays left of the proxy's entry
        response = login_as(
            client, "anna", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{spoofed}, 203.0.113.5", **via
        )
        assert response.status_code == (429 if spoofed == 4 else 200)
    locked = login_as(client, "anna", "secret-pass-1", HTTP_X_FORWARDED_FOR="203.0.113.5", **via)
    assert locked.status_code == 429
    elsewhere = login_as(client, "anna", "secret-pass-1", HTTP_X_FORWARDED_FOR="203.0.113.9", **via)
    assert elsewhere.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_a_forwarded_header_from_anyone_but_the_proxy_is_ignored(org, client, behind_proxy):
    from axes.models import AccessAttempt

    for n in range(5):
        login_as(
            client,
            "anna",
            "wrong",
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = login_as(
        client,
        "anna",
        "secret-pass-1",
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_one_address_guessing_across_usernames_is_locked_out(org, client, settings):
    from tests.conftest import make_user

    settings.KLANTGERICHT_ADDRESS_FAILURE_LIMIT = limit = 20
    accounts = [make_user(f"user{n}").username for n in range(12)]
    statuses = [login_as(client, accounts[n % 12], "wrong").status_code for n in range(limit)]
    assert statuses == [200] * (limit - 1) + [429]  # no account had more than 2 tries
    # From that address nobody gets in now, not even with the right password ...
    assert login_as(client, "bram", "secret-pass-1").status_code == 429
    # ... while from another address they do.
    other = login_as(client, "bram", "secret-pass-1", REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_a_known_password_does_not_reset_an_address_guessing_across_usernames(
    org, client, settings
):
    from tests.conftest import make_user

    settings.KLANTGERICHT_ADDRESS_FAILURE_LIMIT = limit = 20
    accounts = [make_user(f"user{n}").username for n in range(12)]
    for n in range(limit - 1):
        login_as(client, accounts[n % 12], "wrong")
    assert login_as(client, "bram", "secret-pass-1").status_code == 302  # the attacker's own
    client.logout()
    assert login_as(client, accounts[0], "wrong").status_code == 429
