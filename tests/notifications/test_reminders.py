"""Reminders: when a round opens, a few days before it closes and on its last day, once per
assessment and moment, in the person's language, saying why and how to stop them."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from assessments.models import Assessment
from assessments.services import Answers, assessment_submit
from notifications.models import Delivery, Invitation, Preferences, Reminder
from notifications.services import due_moment, reminders_deliver, reminders_queue
from tests.conftest import all_answers, make_round

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def with_email(*people):
    for person in people:
        person.email = f"{person.username}@example.org"
        person.save()


@pytest.fixture
def round_(org, framework):
    """A development round closing in 10 days; Anna, Bram, Zoe, Maud and Otto have addresses."""
    with_email(org["anna"], org["bram"], org["zoe"], org["maud"], org["otto"])
    return make_round(org, framework, days_left=10)


def mail_to(username):
    return [m for m in mail.outbox if m.to == [f"{username}@example.org"]]


@pytest.mark.parametrize(
    "days_left, moment",
    [(10, "opened"), (4, "opened"), (3, "before_close"), (1, "before_close"), (0, "last_day")],
)
def test_the_moment_of_a_round_follows_the_days_left(org, framework, days_left, moment, settings):
    settings.KLANTGERICHT_REMINDER_DAYS = 3
    assert due_moment(make_round(org, framework, days_left=days_left), TODAY) == moment


def test_a_closed_round_has_no_moment(org, framework):
    assert due_moment(make_round(org, framework, days_left=-1), TODAY) is None


def test_everyone_with_an_open_assessment_hears_that_the_round_is_open(round_, org):
    reminders_queue(today=TODAY)
    [anna] = mail_to("anna")
    assert anna.subject == "Q1 2027 is open"
    assert "Hallo Anna," in anna.body
    assert "Je ontvangt deze e-mail omdat je nog een open zelfbeoordeling hebt." in anna.body
    own = Assessment.objects.get(round=round_, subject=org["anna"], perspective="self")
    assert f"http://127.0.0.1:8000/assessments/{own.pk}/" in anna.body
    # How to stop them: the preference on their page.
    assert "Zet ze uit op je pagina:\nhttp://127.0.0.1:8000/me/preferences/" in anna.body


def test_a_manager_gets_one_email_listing_the_members_still_to_rate(round_, org):
    reminders_queue(today=TODAY)
    [maud] = mail_to("maud")
    assert "omdat je nog 2 teamleden moet beoordelen" in maud.body
    assert "- Anna: http://127.0.0.1:8000/assessments/" in maud.body
    assert "- Bram: http://127.0.0.1:8000/assessments/" in maud.body
    assert Reminder.objects.filter(assessment__assessor=org["maud"]).count() == 2


def test_no_assessment_is_reminded_twice_of_the_same_moment(round_, org):
    reminders_queue(today=TODAY)
    sent = len(mail.outbox)
    reminders_queue(today=TODAY)
    reminders_queue(today=TODAY + datetime.timedelta(days=1))  # still "opened"
    assert len(mail.outbox) == sent
    assert Reminder.objects.filter(moment="opened").count() == sent + 1  # Maud's two in one


def test_later_moments_remind_again_once_each(round_, org, settings):
    settings.KLANTGERICHT_REMINDER_DAYS = 3
    for day in (0, 7, 8, 10, 10):  # opened, 3 days before (twice), last day (twice)
        reminders_queue(today=TODAY + datetime.timedelta(days=day))
    subjects = [m.subject for m in mail_to("anna")]
    with translation.override("nl"):
        closes = date_format(round_.closes_on, "j F")
    assert subjects == [
        "Q1 2027 is open",
        f"Herinnering: Q1 2027 sluit op {closes}",
        "Laatste dag: Q1 2027",
    ]


def test_submitted_assessments_and_people_who_turned_reminders_off_get_nothing(
    round_, org, framework, login
):
    own = Assessment.objects.get(round=round_, subject=org["anna"], perspective="self")
    answers = Answers(choices={int(k[1:]): v for k, v in all_answers(framework).items()})
    assessment_submit(assessment=own, answers=answers)
    login(org["bram"]).post(
        reverse("notifications:preferences"), {"language": "nl", "reminders": ""}
    )
    reminders_queue(today=TODAY)
    assert not mail_to("anna") and not mail_to("bram")
    assert mail_to("zoe")


def test_a_reminder_in_the_persons_own_language(round_, org):
    Preferences.objects.create(person=org["zoe"], language="en")
    reminders_queue(today=TODAY)
    [zoe] = mail_to("zoe")
    assert zoe.subject == "Q1 2027 is open"
    assert "You receive this e-mail because you still have an open self-assessment." in zoe.body


def test_what_is_no_longer_true_when_the_worker_sends_is_not_said(
    round_, org, framework, database_tasks
):
    reminders_queue(today=TODAY)
    own = Assessment.objects.get(round=round_, subject=org["anna"], perspective="self")
    answers = Answers(choices={int(k[1:]): v for k, v in all_answers(framework).items()})
    assessment_submit(assessment=own, answers=answers)  # after queueing, before sending
    while reminders_deliver(today=TODAY):
        pass
    assert not mail_to("anna") and mail_to("bram")
    assert Reminder.objects.get(assessment=own).status == Delivery.SKIPPED


def test_a_refused_message_is_marked_failed_and_tried_again_by_the_next_run(round_, org, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.failing.RefusingBackend"}}
    reminders_queue(today=TODAY)
    assert set(Reminder.objects.values_list("status", flat=True)) == {Delivery.FAILED}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    outcome = reminders_queue(today=TODAY)
    assert outcome.retried == Reminder.objects.count()
    assert set(Reminder.objects.values_list("status", flat=True)) == {Delivery.SENT}
    assert Reminder.objects.filter(attempts=2).count() == Reminder.objects.count()


def test_someone_who_cannot_log_in_yet_gets_a_link_to_set_a_password(round_, imported, org):
    with_email(imported)
    from assessments.services import round_populate

    round_populate(round_=round_)  # Ines joined after the round was made
    reminders_queue(today=TODAY)
    [ines] = mail_to("ines")
    assert "Je hebt nog geen wachtwoord." in ines.body and "/welcome/" in ines.body
    assert Invitation.objects.filter(person=imported, status=Delivery.SENT).count() == 1
    [anna] = mail_to("anna")
    assert "/welcome/" not in anna.body  # she has a password


def test_the_preferences_page_turns_reminders_off_and_chooses_the_language(org, login):
    client = login(org["anna"])
    page = client.get(reverse("notifications:preferences"))
    assert "E-mailvoorkeuren" in page.text
    response = client.post(
        reverse("notifications:preferences"), {"language": "en", "reminders": ""}, follow=True
    )
    assert "Je voorkeuren zijn opgeslagen." in response.text
    preferences = Preferences.objects.get(person=org["anna"])
    assert (preferences.language, preferences.reminders) == ("en", False)
