"""The one-time link of an invitation: Django's password-reset token with its own salt and a
longer life.

Like a password-reset link, it stops working once it is used: the token covers the password
and the last login, and setting the password (which logs the person in) changes both.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "klantgericht.notifications.InvitationTokenGenerator"

    @property
    def lifetime(self) -> int:
        return settings.KLANTGERICHT_INVITATION_DAYS * 24 * 60 * 60

    def check_token(self, user, token) -> bool:
        # Django's check, with the invitation's lifetime instead of PASSWORD_RESET_TIMEOUT
        # (a password-reset link should stay short-lived; an invitation waits for a holiday).
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > self.lifetime:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokenGenerator()
