"""The two steps of a login with the organisation's account: off to the provider, and back."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from .provider import ProviderUnavailable, provider


class SingleSignOnOnly:
    """Without single sign-on configured, these pages do not exist."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.KLANTGERICHT_SSO:
            raise Http404("Single sign-on is not configured.")
        return super().dispatch(request, *args, **kwargs)


class Start(SingleSignOnOnly, OIDCAuthenticationRequestView):
    """Sends the browser to the provider's login, with state, nonce and a PKCE challenge."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoint is discovered in get(), not at start-up
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider().authorization_endpoint
        except ProviderUnavailable:
            messages.error(
                request,
                _("Your organisation's login cannot be reached right now. Try again later."),
            )
            return redirect("login")
        return super().get(request)


class Callback(SingleSignOnOnly, OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code, which the backend exchanges."""

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "You could not be logged in with your organisation account: it is not known "
                "in Klantgericht, or the login was cancelled. Ask HR to check your e-mail "
                "address or username."
            ),
        )
        return redirect("login")


start = Start.as_view()
callback = Callback.as_view()


class Login(auth_views.LoginView):
    """Django's login page, with the organisation's login beside (or instead of) the password."""

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sso": settings.KLANTGERICHT_SSO,
            "sso_label": settings.KLANTGERICHT_OIDC_LOGIN_LABEL
            or _("Log in with your organisation account"),
            "password_login": settings.KLANTGERICHT_PASSWORD_LOGIN,
        }

    def post(self, request, *args, **kwargs):
        if not settings.KLANTGERICHT_PASSWORD_LOGIN:
            return HttpResponseNotAllowed(["GET"])
        return super().post(request, *args, **kwargs)


login = Login.as_view()
