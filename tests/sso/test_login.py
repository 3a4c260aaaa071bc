"""Single sign-on, end to end over HTTP against a local OpenID Connect provider: people log in
with their organisation account and are matched to the people HR imported, never created."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.sso.conftest import provider_login

pytestmark = pytest.mark.django_db
User = get_user_model()


def logged_in_as(client):
    return User.objects.filter(pk=client.session.get("_auth_user_id")).first()


@pytest.fixture
def addresses(org):
    """HR's import holds the work addresses of Anna, Zoe and Xander."""
    for name in ("anna", "zoe", "xander"):
        org[name].email = f"{name}@example.org"
        org[name].save()
    return org


def test_a_person_logs_in_with_the_organisation_account_matched_by_email(sso, addresses, client):
    response = provider_login(client, "anna.sso", next_url="/me/")
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert logged_in_as(client) == addresses["anna"]
    assert client.get("/me/").status_code == 200
    addresses["anna"].refresh_from_db()
    assert addresses["anna"].last_login is not None  # the admin shows who has logged in


def test_without_a_matching_address_the_username_claim_matches(sso, addresses, client):
    provider_login(client, "bram.sso")
    assert logged_in_as(client) == addresses["bram"]


def test_an_address_the_provider_has_not_verified_does_not_match(sso, addresses, client):
    response = provider_login(client, "zoe.sso")
    assert logged_in_as(client) is None
    assert response["Location"] == reverse("login")


def test_nobody_is_created_for_an_account_hr_did_not_import(sso, addresses, client):
    people = User.objects.count()
    response = provider_login(client, "stranger")
    assert logged_in_as(client) is None
    assert User.objects.count() == people
    page = client.get(response["Location"])
    assert "niet bekend in Klantgericht" in page.text


def test_someone_who_left_the_organisation_cannot_log_in(sso, addresses, client):
    addresses["xander"].is_active = False
    addresses["xander"].save()
    provider_login(client, "xander.sso")
    assert logged_in_as(client) is None


def test_the_login_page_offers_the_organisation_account_beside_the_password(sso, client):
    page = client.get(reverse("login"))
    assert 'id="sso-login"' in page.text
    assert "Aanmelden met je organisatie-account" in page.text
    assert 'name="password"' in page.text


def test_password_login_can_be_switched_off(sso, addresses, client, settings):
    settings.KLANTGERICHT_PASSWORD_LOGIN = False
    page = client.get(reverse("login"))
    assert 'id="sso-login"' in page.text and 'name="password"' not in page.text
    refused = client.post(reverse("login"), {"username": "anna", "password": "secret-pass-1"})
    assert refused.status_code == 405 and logged_in_as(client) is None
    assert client.get(reverse("password_reset")).status_code == 404
    provider_login(client, "anna.sso")
    assert logged_in_as(client) == addresses["anna"]


def test_a_provider_that_cannot_be_reached_sends_people_back_with_a_message(sso, client, settings):
    from sso.provider import forget

    settings.KLANTGERICHT_OIDC_ISSUER = "http://127.0.0.1:9/nothing-listens-here"
    forget()
    response = client.get(reverse("sso:login"), follow=True)
    assert "niet bereikbaar" in response.text
