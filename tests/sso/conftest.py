"""An OpenID Connect provider on another port of 127.0.0.1, for the whole test session: the
throw-away project in tests/oidc_provider (django-oauth-toolkit), in a process of its own with
its own SQLite file. The application under test talks to it over real HTTP, as it would to
Entra ID or Keycloak."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CLIENT = {
    "client_id": "klantgericht",
    "client_secret": "klantgericht-test-secret-0123456789",
    # Django's test client is http://testserver.
    "redirect_uri": "http://testserver/sso/callback/",
}
# The provider's accounts. Anna's address is the one HR imported; "bram.sso" has another
# address, but the username HR imported (bram); "zoe" says her address is not verified;
# "stranger" is nobody HR imported.
PASSWORD = "provider-pass-1"
ACCOUNTS = [
    {"username": "anna.sso", "email": "Anna@Example.org"},
    {"username": "bram.sso", "email": "b.private@example.net", "preferred_username": "bram"},
    {"username": "zoe.sso", "email": "zoe@example.org", "email_verified": False},
    {"username": "stranger", "email": "stranger@example.org"},
    {"username": "xander.sso", "email": "xander@example.org"},
]


@dataclass(frozen=True)
class Provider:
    url: str

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory) -> Provider:
    from jwcrypto import jwk

    key = jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "OIDC_PROVIDER_DB": str(tmp_path_factory.mktemp("oidc") / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": key.decode(),
        "OIDC_PROVIDER_ACCOUNTS": json.dumps([{**a, "password": PASSWORD} for a in ACCOUNTS]),
        "OIDC_PROVIDER_CLIENT": json.dumps(CLIENT),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in process.stdout:
            lines.append(line)
            if line.startswith("ready "):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(timeout=60):
        process.kill()
        pytest.fail("The OIDC provider did not start:\n" + "".join(lines))
    url = next(line for line in lines if line.startswith("ready ")).split()[1]
    yield Provider(url=url)
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sso(settings, oidc_provider) -> Provider:
    """The application configured as by the README: issuer, client id and secret."""
    from sso.provider import forget

    settings.KLANTGERICHT_SSO = True
    settings.KLANTGERICHT_OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT["client_id"]
    settings.OIDC_RP_CLIENT_SECRET = CLIENT["client_secret"]
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "sso.backends.OrganisationAccountBackend",
    ]
    forget()
    yield oidc_provider
    forget()


def provider_login(client, username: str, *, next_url: str = "") -> requests.Response:
    """The whole login with the organisation's account: the application sends the browser to
    the provider, the person logs in there, the provider sends the browser back with a code,
    and the application exchanges it (over HTTP, with the provider) for who the person is.

    `client` is Django's test client (the browser's side of the application); a requests
    session is the browser's side of the provider. Returns the application's last answer.
    """
    start = client.get("/sso/login/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start
    browser = requests.Session()
    at_provider = browser.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text  # to the provider's login page
    login_url = urljoin(start["Location"], at_provider.headers["Location"])
    form = browser.get(login_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    next_field = re.search(r'name="next" value="([^"]*)"', form.text).group(1)
    logged_in = browser.post(
        login_url,
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
            "next": next_field.replace("&amp;", "&"),
        },
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=10,
    )
    assert logged_in.status_code == 302, logged_in.text
    authorised = browser.get(
        urljoin(login_url, logged_in.headers["Location"]), allow_redirects=False, timeout=10
    )
    assert authorised.status_code == 302, authorised.text
    back = authorised.headers["Location"]
    assert back.startswith(CLIENT["redirect_uri"]), back
    return client.get(back.removeprefix("http://testserver"))
