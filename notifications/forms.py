from __future__ import annotations

import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

from .mail import language_of
from .models import Preferences

User = get_user_model()


def _same_address(a: str, b: str) -> bool:
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )


class EveryonePasswordResetForm(PasswordResetForm):
    """Django's password reset for everyone with an e-mail address, in their own language.

    Django's form skips people without a usable password, and imported people have none
    until they set one: without this, they could never get in.
    """

    def get_users(self, email: str):
        active = User._default_manager.filter(email__iexact=email, is_active=True)
        return (person for person in active if _same_address(email, person.email))

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(language_of(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = ["language", "reminders"]
        widgets = {"language": forms.RadioSelect}
