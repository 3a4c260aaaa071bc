"""The organisation's OpenID Connect provider, found from its issuer.

The endpoints come from the provider's discovery document
(<issuer>/.well-known/openid-configuration), fetched when someone logs in with it and kept for
an hour in this process, so that only the issuer has to be configured.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import requests
from django.conf import settings

KEEP_SECONDS = 3600


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read, or does not describe it."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str


_lock = threading.Lock()
_found: dict[str, tuple[float, Provider]] = {}


def provider() -> Provider:
    issuer = settings.KLANTGERICHT_OIDC_ISSUER
    with _lock:
        found = _found.get(issuer)
        if found and found[0] > time.monotonic():
            return found[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        described = Provider(
            issuer=document["issuer"].rstrip("/"),
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            userinfo_endpoint=document["userinfo_endpoint"],
            jwks_uri=document["jwks_uri"],
        )
    except (requests.RequestException, ValueError, KeyError, AttributeError) as error:
        raise ProviderUnavailable(f"{url}: {error}") from error
    if described.issuer != issuer:
        # The document of another issuer (a multi-tenant "common" endpoint, a typo): tokens
        # it signs must not be taken for this organisation's.
        raise ProviderUnavailable(f"{url} describes issuer {described.issuer!r}, not {issuer!r}")
    with _lock:
        _found[issuer] = (time.monotonic() + KEEP_SECONDS, described)
    return described


def forget() -> None:
    """Reads the discovery document again at the next login (tests, a changed provider)."""
    with _lock:
        _found.clear()
