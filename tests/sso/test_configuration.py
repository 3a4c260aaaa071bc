"""Single sign-on is configured by the environment, and refuses a configuration that cannot
work."""

from tests.test_settings import PRODUCTION, manage

ENTRA = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"


def test_an_issuer_without_client_id_and_secret_is_refused():
    result = manage("check", KLANTGERICHT_OIDC_ISSUER=ENTRA)
    assert result.returncode != 0
    assert "KLANTGERICHT_OIDC_CLIENT_ID and KLANTGERICHT_OIDC_CLIENT_SECRET" in result.stderr


def test_switching_password_login_off_without_single_sign_on_is_refused():
    result = manage("check", KLANTGERICHT_PASSWORD_LOGIN="0")
    assert result.returncode != 0
    assert "nobody can log in" in result.stderr


def test_a_production_configuration_with_single_sign_on_only_passes_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        KLANTGERICHT_OIDC_ISSUER=ENTRA,
        KLANTGERICHT_OIDC_CLIENT_ID="klantgericht",
        KLANTGERICHT_OIDC_CLIENT_SECRET="a-secret",
        KLANTGERICHT_PASSWORD_LOGIN="0",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_issuer_over_plain_http_is_refused_in_production():
    result = manage(
        "check",
        **PRODUCTION,
        KLANTGERICHT_OIDC_ISSUER="http://idp.example.org/realms/org",
        KLANTGERICHT_OIDC_CLIENT_ID="klantgericht",
        KLANTGERICHT_OIDC_CLIENT_SECRET="a-secret",
    )
    assert result.returncode != 0
    assert "must be an https:// URL" in result.stderr
