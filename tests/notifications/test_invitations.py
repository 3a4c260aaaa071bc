"""HR invites people; the invitation's link sets a password once and leads to the assessment."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from assessments.models import Assessment
from notifications.models import Delivery, Invitation, Preferences
from notifications.services import invitations_queue
from notifications.tokens import invitation_tokens

pytestmark = pytest.mark.django_db
User = get_user_model()
LINK = re.compile(r"http://127\.0\.0\.1:8000(/welcome/[^/\s]+/[^/\s]+/)")


def invite(client, people):
    return client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "invite", "_selected_action": [p.pk for p in people]},
        follow=True,
    )


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def test_hr_invites_selected_people_and_each_gets_an_email_in_dutch(org, imported, login):
    page = invite(login(org["hanna"]), [imported])
    assert "1 uitnodiging wordt verstuurd." in page.text
    [message] = mail.outbox
    assert message.to == ["ines@example.org"]
    assert message.subject == "Welkom bij Klantgericht: kies je wachtwoord"
    assert "Hallo Ines," in message.body
    assert "HR heeft je uitgenodigd" in message.body  # why they receive it
    assert "Je gebruikersnaam is ines." in message.body
    assert link_in(message)
    invitation = Invitation.objects.get(person=imported)
    assert invitation.status == Delivery.SENT and invitation.sent_at is not None
    assert invitation.created_by == org["hanna"]


def test_the_invitation_is_in_the_persons_own_language(org, imported, login):
    Preferences.objects.create(person=imported, language="en")
    invite(login(org["hanna"]), [imported])
    [message] = mail.outbox
    assert message.subject == "Welcome to Klantgericht: choose your password"
    assert "Hello Ines," in message.body


def test_people_without_an_address_or_who_left_are_not_invited_and_hr_is_told(org, login):
    org["anna"].is_active = False
    org["anna"].email = "anna@example.org"
    org["anna"].save()
    page = invite(login(org["hanna"]), [org["anna"], org["bram"]])  # bram has no address
    assert not mail.outbox
    assert not Invitation.objects.exists()
    assert "1 persoon heeft geen e-mailadres en is niet uitgenodigd." in page.text
    assert "1 persoon is uit de organisatie vertrokken en is niet uitgenodigd." in page.text


def test_an_invitation_already_on_its_way_is_not_queued_twice(org, imported, database_tasks):
    people = User.objects.filter(pk=imported.pk)
    assert invitations_queue(people=people).queued == 1
    again = invitations_queue(people=people)
    assert (again.queued, again.already_queued) == (0, 1)
    assert Invitation.objects.filter(status=Delivery.QUEUED).count() == 1
    assert not mail.outbox  # the worker sends them


def test_the_link_sets_a_password_logs_in_and_opens_the_assessment(
    org, imported, dev_round, client
):
    invitations_queue(people=User.objects.filter(pk=imported.pk))
    link = link_in(mail.outbox[0])
    # Django's way: the token moves into the session, out of the address bar.
    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert "Kies een wachtwoord voor je gebruikersnaam" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Klantgericht-2027!", "new_password2": "Klantgericht-2027!"},
        follow=True,
    )
    own = Assessment.objects.get(round=dev_round, subject=imported, perspective="self")
    assert done.redirect_chain[-1][0] == reverse("assessments:assessment", args=[own.pk])
    assert "Welkom! Je wachtwoord is ingesteld" in done.text
    imported.refresh_from_db()
    assert imported.check_password("Klantgericht-2027!") and imported.last_login is not None


def test_a_used_link_no_longer_works(org, imported, client):
    invitations_queue(people=User.objects.filter(pk=imported.pk))
    link = link_in(mail.outbox[0])
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Klantgericht-2027!", "new_password2": "Klantgericht-2027!"},
    )
    client.logout()
    again = client.get(link, follow=True)
    assert "Deze link werkt niet meer" in again.text


def test_the_link_expires_after_the_configured_days(org, imported, client, settings, monkeypatch):
    settings.KLANTGERICHT_INVITATION_DAYS = 14
    invitations_queue(people=User.objects.filter(pk=imported.pk))
    link = link_in(mail.outbox[0])
    token = link.rstrip("/").split("/")[-1]
    later = datetime.datetime.now() + datetime.timedelta(days=13)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)
    assert invitation_tokens.check_token(imported, token)
    too_late = datetime.datetime.now() + datetime.timedelta(days=15)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: too_late)
    assert not invitation_tokens.check_token(imported, token)
    assert "Deze link werkt niet meer" in client.get(link, follow=True).text


def test_a_password_reset_link_is_no_invitation_link(org, imported, client):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(str(imported.pk).encode())
    token = default_token_generator.make_token(imported)
    page = client.get(reverse("notifications:invitation", args=[uid, token]), follow=True)
    assert "Deze link werkt niet meer" in page.text


def test_the_admin_shows_who_was_invited_when_and_who_has_logged_in(org, imported, login):
    client = login(org["hanna"])
    invite(client, [imported])
    listing = client.get(reverse("admin:auth_user_changelist"), {"invited": "yes"})
    assert "ines" in listing.text and ">anna<" not in listing.text
    never = client.get(reverse("admin:auth_user_changelist"), {"invited": "no"})
    assert "ines" not in never.text and "anna" in never.text
    logged_in = client.get(reverse("admin:auth_user_changelist"), {"logged_in": "yes"})
    assert "hanna" in logged_in.text and "ines" not in logged_in.text
    assert "Uitgenodigd" in listing.text and "Laatste aanmelding" in listing.text


def test_the_persons_page_in_the_admin_lists_their_invitations_and_preferences(
    org, imported, login
):
    client = login(org["hanna"])
    invite(client, [imported])
    page = client.get(reverse("admin:auth_user_change", args=[imported.pk]))
    assert page.status_code == 200
    assert "Uitnodigingen" in page.text and "verstuurd" in page.text
    assert "E-mailvoorkeuren" in page.text


def test_password_reset_reaches_imported_people_without_a_password(org, imported, client):
    response = client.post(reverse("password_reset"), {"email": "INES@example.org"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["ines@example.org"]
    assert "/accounts/reset/" in message.body


def test_password_reset_mail_is_in_the_persons_language(org, imported, client):
    Preferences.objects.create(person=imported, language="en")
    client.post(reverse("password_reset"), {"email": "ines@example.org"})
    assert "Password reset" in mail.outbox[0].subject


def test_with_single_sign_on_only_the_invitation_says_to_use_the_organisation_account(
    org, imported, settings, client
):
    settings.KLANTGERICHT_PASSWORD_LOGIN = False
    invitations_queue(people=User.objects.filter(pk=imported.pk))
    [message] = mail.outbox
    assert "Log in met je organisatie-account" in message.body
    assert "/welcome/" not in message.body
    assert client.get(reverse("password_reset")).status_code == 404
