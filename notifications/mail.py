"""The e-mails themselves: written in the recipient's language, with links that work outside
any request (they start at KLANTGERICHT_BASE_URL)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.models import Assessment, Round

from .models import Preferences, Reminder
from .tokens import invitation_tokens


def absolute(path: str) -> str:
    return settings.KLANTGERICHT_BASE_URL + path


def language_of(person: AbstractBaseUser) -> str:
    return Preferences.of(person).language


def can_set_password() -> bool:
    """Whether people log in with a password here (not only with the organisation account)."""
    return settings.KLANTGERICHT_PASSWORD_LOGIN


def needs_password(person: AbstractBaseUser) -> bool:
    """Someone who cannot log in yet: never logged in, no password (an imported person)."""
    return can_set_password() and person.last_login is None and not person.has_usable_password()


def set_password_link(person: AbstractBaseUser) -> str:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = invitation_tokens.make_token(person)
    return absolute(reverse("notifications:invitation", args=[uid, token]))


def _message(person: AbstractBaseUser, template: str, context: dict) -> EmailMessage:
    with translation.override(language_of(person)):
        context = {
            "person": person,
            "name": person.first_name or person.get_username(),
            "login_url": absolute(reverse("login")),
            "preferences_url": absolute(reverse("notifications:preferences")),
            **context,
        }
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        body = render_to_string(f"notifications/email/{template}.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=[person.email])


def invitation_message(person: AbstractBaseUser) -> EmailMessage:
    expires = timezone.localdate() + datetime.timedelta(days=settings.KLANTGERICHT_INVITATION_DAYS)
    return _message(
        person,
        "invitation",
        {
            "link": set_password_link(person) if can_set_password() else None,
            "expires": expires,
            "sso_only": not can_set_password(),
        },
    )


@dataclass
class ReminderMail:
    """One e-mail: an assessor's open assessments in one round, at one moment."""

    assessor: AbstractBaseUser
    round: Round
    moment: str
    reminders: Sequence[Reminder]

    @property
    def own(self) -> Assessment | None:
        return next(
            (
                r.assessment
                for r in self.reminders
                if r.assessment.perspective == Assessment.Perspective.SELF
            ),
            None,
        )

    @property
    def members(self) -> list[Assessment]:
        return sorted(
            (
                r.assessment
                for r in self.reminders
                if r.assessment.perspective == Assessment.Perspective.MANAGER
            ),
            key=lambda a: (a.subject.first_name, a.subject.last_name, a.subject.username),
        )

    def message(self, *, password_link: bool) -> EmailMessage:
        own = self.own
        return _message(
            self.assessor,
            "reminder",
            {
                "round": self.round,
                "moment": self.moment,
                "own_url": absolute(reverse("assessments:assessment", args=[own.pk]))
                if own
                else None,
                "members": [
                    (a.subject, absolute(reverse("assessments:assessment", args=[a.pk])))
                    for a in self.members
                ],
                "set_password_link": set_password_link(self.assessor) if password_link else None,
                "expires": timezone.localdate()
                + datetime.timedelta(days=settings.KLANTGERICHT_INVITATION_DAYS),
            },
        )
