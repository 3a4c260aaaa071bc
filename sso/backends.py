"""Logging in with the organisation's account: mozilla-django-oidc's backend, matched to the
people HR imported, never creating anyone.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .provider import ProviderUnavailable, provider

logger = logging.getLogger(__name__)


class OrganisationAccountBackend(OIDCAuthenticationBackend):
    """Matches the provider's claims to one active, imported person:

    1. by e-mail address (compared without regard to case), unless the provider says the
       address is not verified;
    2. else by username: the claim KLANTGERICHT_OIDC_USERNAME_CLAIM (default
       preferred_username) compared with the imported usernames, without regard to case.

    A claim that matches several people matches nobody. Nobody is created or changed: the
    people are HR's (OIDC_CREATE_USER = False), and someone who left cannot log in.
    """

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every login and every request of a logged-in person;
        # the provider is only asked for its endpoints when someone logs in with it.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or "code" not in request.GET or "state" not in request.GET:
            return None  # a password login, or no login at all
        try:
            found = provider()
        except ProviderUnavailable as error:
            logger.warning("Single sign-on unavailable: %s", error)
            return None
        self.OIDC_OP_TOKEN_ENDPOINT = found.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = found.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = found.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.issuer = found.issuer
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # The library checks the signature, the expiry and the nonce; the issuer and the
        # audience are checked here, so that a token made for another application is refused.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss", "").rstrip("/") != self.issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is meant for another application.")
        return payload

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("email") or claims.get(settings.KLANTGERICHT_OIDC_USERNAME_CLAIM))

    def filter_users_by_claims(self, claims):
        people = self.UserModel.objects.filter(is_active=True)
        email = (claims.get("email") or "").strip()
        if email and claims.get("email_verified") is not False:
            by_email = people.filter(email__iexact=email)
            if len(by_email) == 1:
                return by_email
        username = str(claims.get(settings.KLANTGERICHT_OIDC_USERNAME_CLAIM) or "").strip()
        if username:
            by_username = people.filter(username__iexact=username)
            if len(by_username) == 1:
                return by_username
        logger.info("Single sign-on: no imported person matches %s / %s", email, username)
        return self.UserModel.objects.none()

    def create_user(self, claims):
        raise SuspiciousOperation("Single sign-on never creates a person HR did not import.")
