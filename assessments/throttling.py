"""Who is trying to log in, and from where: the client address and lock-out rules for axes.

django-axes counts failed logins per username and address and per address alone (settings:
AXES_LOCKOUT_PARAMETERS). This module tells it the client's address, trusting a proxy's
X-Forwarded-For only from the proxies configured, and gives the address alone a limit of its
own, higher than that of one username at one address.
"""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _address(value: str | None) -> Address | None:
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the address
    that proxy received the request from.

    Each proxy appends the address it received the request from to X-Forwarded-For; what is
    to the left of that, the client may have written itself. So the header is read from the
    right, past our own proxies, and only when the peer is one of them.
    """
    peer = request.META.get("REMOTE_ADDR")
    proxies = [ipaddress.ip_network(p, strict=False) for p in settings.KLANTGERICHT_TRUSTED_PROXIES]
    if not proxies or not _is_proxy(_address(peer), proxies):
        return peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return peer  # not written by a proxy of ours: believe none of it
        if not _is_proxy(address, proxies):
            return str(address)
    return peer


def _is_proxy(address: Address | None, proxies: list) -> bool:
    return address is not None and any(address in network for network in proxies)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per lock-out parameter set.

    Axes compares the largest failure count of the parameter sets with one limit
    (AXES_FAILURE_LIMIT). The count of the address alone is scaled onto that limit, so that
    it locks at KLANTGERICHT_ADDRESS_FAILURE_LIMIT instead: an office behind one address
    makes more typing errors than one person.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        worst = 0
        for parameters, attempts in zip(
            get_lockout_parameters(request, credentials),
            self.get_user_attempts(request, credentials),
            strict=True,
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameters == "ip_address":
                failures = failures * limit // settings.KLANTGERICHT_ADDRESS_FAILURE_LIMIT
            worst = max(worst, failures)
        return worst

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # A successful login clears that username's failures at that address, and not the
        # address's failures with other usernames: one known password must not wipe a run
        # of guesses.
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count
