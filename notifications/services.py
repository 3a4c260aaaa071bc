"""Queueing and delivering invitations and reminders.

Queueing writes records (fast: one statement per kind, whatever the number of people) and
queues tasks for the worker; delivering is the worker's: a task claims a batch of queued
records, sends their e-mails over one connection and marks them. A claimed record is never
claimed again, so a message is sent at most once; one that the mail server refused is marked
failed (a failed reminder is tried again by the next daily run, at most MAX_ATTEMPTS times).
"""

from __future__ import annotations

import datetime
import logging
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from assessments.models import Assessment, Round

from .mail import ReminderMail, invitation_message, needs_password
from .models import Delivery, Invitation, Preferences, Reminder

User = get_user_model()
logger = logging.getLogger(__name__)

# Records one task delivers: small enough that a task ends in seconds, large enough that
# 10,000 people need a hundred tasks, not ten thousand.
BATCH = 100
MAX_ATTEMPTS = 3


def _enqueue(task, records: int) -> int:
    """Queues enough runs of `task` to deliver `records` (each run takes a batch)."""
    runs = math.ceil(records / BATCH)
    for _ in range(runs):
        task.enqueue()
    return runs


def _send(messages: dict[int, EmailMessage]) -> tuple[list[int], dict[int, str]]:
    """Sends each message over one connection; returns the keys sent and the errors of the
    others. A server that cannot be reached fails them all."""
    sent: list[int] = []
    failed: dict[int, str] = {}
    if not messages:
        return sent, failed
    try:
        with mailers.default as connection:
            for key, message in messages.items():
                try:
                    connection.send_messages([message])
                except Exception as error:  # one refused address must not stop the rest
                    logger.warning("Mail to %s failed: %s", message.to, error)
                    failed[key] = f"{type(error).__name__}: {error}"
                else:
                    sent.append(key)
    except Exception as error:  # opening (or closing) the connection failed
        logger.warning("The mail server failed: %s", error)
        unsent = [key for key in messages if key not in sent]
        failed.update(dict.fromkeys(unsent, f"{type(error).__name__}: {error}"))
    return sent, failed


def _mark(model, sent: Iterable[int], failed: dict[int, str], skipped: Iterable[int]) -> None:
    now = timezone.now()
    model.objects.filter(pk__in=list(sent)).update(status=Delivery.SENT, sent_at=now, error="")
    for pk, error in failed.items():
        model.objects.filter(pk=pk).update(status=Delivery.FAILED, error=error[:2000])
    model.objects.filter(pk__in=list(skipped)).update(status=Delivery.SKIPPED)


def _claim(queued: QuerySet, limit: int, **changes) -> list[int]:
    """Takes up to `limit` queued records for this worker: other workers skip them."""
    with transaction.atomic():
        ids = list(
            queued.select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        queued.model.objects.filter(pk__in=ids).update(status=Delivery.SENDING, **changes)
    return ids


# --- Invitations -------------------------------------------------------------------------------


@dataclass
class InvitationsQueued:
    queued: int = 0
    without_email: int = 0
    inactive: int = 0
    already_queued: int = 0


@transaction.atomic
def invitations_queue(
    *, people: QuerySet, sent_by: AbstractBaseUser | None = None
) -> InvitationsQueued:
    """Queues an invitation for each of the people who can receive one (active, with an
    e-mail address, none queued yet), and the tasks that send them."""
    ids = people.values("pk")
    outcome = InvitationsQueued(
        inactive=User.objects.filter(pk__in=ids, is_active=False).count(),
        without_email=User.objects.filter(pk__in=ids, is_active=True, email="").count(),
    )
    reachable = User.objects.filter(pk__in=ids, is_active=True).exclude(email="")
    waiting = set(
        Invitation.objects.filter(person__in=reachable, status=Delivery.QUEUED).values_list(
            "person_id", flat=True
        )
    )
    outcome.already_queued = len(waiting)
    new = [
        Invitation(person_id=pk, created_by=sent_by)
        for pk in reachable.values_list("pk", flat=True)
        if pk not in waiting
    ]
    Invitation.objects.bulk_create(new, batch_size=1000)
    outcome.queued = len(new)
    from .tasks import deliver_invitations

    _enqueue(deliver_invitations, outcome.queued)
    return outcome


def invitations_deliver(*, limit: int = BATCH) -> int:
    """Sends up to `limit` queued invitations; returns how many were sent."""
    ids = _claim(Invitation.objects.filter(status=Delivery.QUEUED), limit)
    invitations = Invitation.objects.filter(pk__in=ids).select_related("person__preferences")
    messages: dict[int, EmailMessage] = {}
    skipped = []
    for invitation in invitations:
        person = invitation.person
        if not person.is_active or not person.email:
            skipped.append(invitation.pk)
        else:
            messages[invitation.pk] = invitation_message(person)
    sent, failed = _send(messages)
    _mark(Invitation, sent, failed, skipped)
    return len(sent)


# --- Reminders ---------------------------------------------------------------------------------


def due_moment(round_: Round, today: datetime.date) -> str | None:
    """The moment of the round that today is: opened, a few days before closing, the last day."""
    if not round_.is_open(today):
        return None
    days_left = (round_.closes_on - today).days
    if days_left == 0:
        return Reminder.Moment.LAST_DAY
    if days_left <= settings.KLANTGERICHT_REMINDER_DAYS:
        return Reminder.Moment.BEFORE_CLOSE
    return Reminder.Moment.OPENED


def _wants_reminders(assessments: QuerySet) -> QuerySet:
    return (
        assessments.filter(status=Assessment.Status.DRAFT, assessor__is_active=True)
        .exclude(assessor__email="")
        .exclude(assessor__preferences__reminders=False)
    )


@dataclass
class RemindersQueued:
    queued: int = 0
    retried: int = 0


@transaction.atomic
def reminders_queue(*, today: datetime.date | None = None) -> RemindersQueued:
    """Queues the reminders due today, and the tasks that send them. Run it as often as you
    like: an assessment is reminded once per moment (the unique record says so)."""
    today = today or timezone.localdate()
    outcome = RemindersQueued()
    open_rounds = Round.objects.filter(
        closed_at__isnull=True, opens_on__lte=today, closes_on__gte=today
    )
    for round_ in open_rounds:
        moment = due_moment(round_, today)
        due = _wants_reminders(Assessment.objects.filter(round=round_)).exclude(
            reminders__moment=moment
        )
        new = [Reminder(assessment_id=pk, moment=moment) for pk in due.values_list("pk", flat=True)]
        Reminder.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        outcome.queued += len(new)
    outcome.retried = Reminder.objects.filter(
        status=Delivery.FAILED,
        attempts__lt=MAX_ATTEMPTS,
        assessment__round__in=open_rounds,
        assessment__status=Assessment.Status.DRAFT,
    ).update(status=Delivery.QUEUED)
    assessors = (
        Reminder.objects.filter(status=Delivery.QUEUED)
        .values("assessment__assessor_id")
        .distinct()
        .count()
    )
    from .tasks import deliver_reminders

    _enqueue(deliver_reminders, assessors)
    return outcome


def _claim_reminders(limit: int) -> tuple[list[int], int, bool]:
    """Takes all queued reminders of the next `limit` assessors; returns their ids, the
    number of assessors taken, and whether there were any left to try."""
    with transaction.atomic():
        queued = Reminder.objects.filter(status=Delivery.QUEUED)
        candidates = list(
            queued.order_by("assessment__assessor_id")
            .values_list("assessment__assessor_id", flat=True)
            .distinct()[:limit]
        )
        # Waits for a worker that is taking some of them (in pk order: no deadlock), then
        # reads again: what it took is no longer queued. So an assessor's reminders are taken
        # by one worker, all together, and go out in one e-mail.
        taken = list(
            queued.filter(assessment__assessor_id__in=candidates)
            .select_for_update(of=("self",))
            .order_by("pk")
            .values_list("pk", "assessment__assessor_id")
        )
        ids = [pk for pk, _ in taken]
        Reminder.objects.filter(pk__in=ids).update(
            status=Delivery.SENDING, attempts=F("attempts") + 1
        )
    return ids, len({assessor for _, assessor in taken}), bool(candidates)


def reminders_deliver(*, limit: int = BATCH, today: datetime.date | None = None) -> int:
    """Sends the queued reminders of `limit` assessors (or all that are left), one e-mail per
    assessor, round and moment; returns how many e-mails were sent.

    What is no longer true is not said: an assessment submitted or a round closed since the
    reminder was queued, or a person who has since turned reminders off, is skipped.
    """
    sent = people = 0
    # Until the quota is met or nothing is left: a run whose pick another worker took
    # meanwhile takes the next ones, so the runs queued cover every reminder.
    while people < limit:
        ids, assessors, any_left = _claim_reminders(limit - people)
        if not any_left:
            break
        people += assessors
        if ids:
            sent += _reminders_send(ids, today or timezone.localdate())
    return sent


def _reminders_send(ids: list[int], today: datetime.date) -> int:
    reminders = Reminder.objects.filter(pk__in=ids).select_related(
        "assessment__round", "assessment__subject", "assessment__assessor__preferences"
    )
    mails: dict[tuple[int, int, str], list[Reminder]] = defaultdict(list)
    skipped = []
    for reminder in reminders:
        assessment = reminder.assessment
        person = assessment.assessor
        if (
            assessment.is_submitted
            or not assessment.round.is_open(today)
            or not person.is_active
            or not person.email
            or not Preferences.of(person).reminders
        ):
            skipped.append(reminder.pk)
            continue
        mails[(person.pk, assessment.round_id, reminder.moment)].append(reminder)

    messages: dict[int, EmailMessage] = {}
    grouped: dict[int, list[Reminder]] = {}
    with_link: set[int] = set()  # the e-mails with a link to set a password
    linked: set[int] = set()  # their recipients: one link each
    for number, group in enumerate(mails.values()):
        mail = ReminderMail(
            assessor=group[0].assessment.assessor,
            round=group[0].assessment.round,
            moment=group[0].moment,
            reminders=group,
        )
        # Someone who cannot log in yet gets the link to set a password with it: the
        # invitation of a round that the application opened itself.
        password_link = needs_password(mail.assessor) and mail.assessor.pk not in linked
        if password_link:
            linked.add(mail.assessor.pk)
            with_link.add(number)
        messages[number] = mail.message(password_link=password_link)
        grouped[number] = group
    sent, failed = _send(messages)
    _mark(
        Reminder,
        [r.pk for number in sent for r in grouped[number]],
        {r.pk: error for number, error in failed.items() for r in grouped[number]},
        skipped,
    )
    Invitation.objects.bulk_create(
        [
            Invitation(
                person_id=grouped[number][0].assessment.assessor_id,
                status=Delivery.SENT,
                sent_at=timezone.now(),
            )
            for number in sent
            if number in with_link
        ]
    )
    return len(sent)
