"""Several workers at once on PostgreSQL: every reminder and invitation goes out once, and an
assessor's reminders in one e-mail."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.utils import timezone

from assessments.models import Membership, Round, Team
from assessments.services import round_populate
from notifications.models import Delivery, Invitation, Reminder
from notifications.services import (
    invitations_deliver,
    invitations_queue,
    reminders_deliver,
    reminders_queue,
)
from tests.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; CI runs this file in its PostgreSQL pass",
    ),
]
User = get_user_model()


@pytest.fixture
def crowd(org, framework):
    """Six teams of a manager and five members, all with addresses, in one open round."""
    for t in range(6):
        team = Team.objects.create(name=f"Team {t}", department=org["department"])
        for n in range(6):
            person = User.objects.create_user(f"t{t}p{n}", email=f"t{t}p{n}@example.org")
            role = Membership.Role.MANAGER if n == 0 else Membership.Role.EMPLOYEE
            Membership.objects.create(person=person, team=team, role=role)
    today = timezone.localdate()
    round_ = Round.objects.create(
        name="Samen",
        framework=framework,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
    )
    round_.teams.set(Team.objects.filter(name__startswith="Team "))
    round_populate(round_=round_)
    return round_


def test_four_workers_send_each_reminder_once_and_each_assessor_one_email(crowd, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from tests.notifications.conftest import _reset_task_backends

    _reset_task_backends()
    try:
        reminders_queue(today=timezone.localdate())
        _, errors = run_together(4, lambda _: reminders_deliver(limit=3))
        while reminders_deliver(limit=3):  # what four runs of three did not reach
            pass
    finally:
        _reset_task_backends()
    assert not errors
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == len(set(recipients)) == 36  # 30 members, 6 managers
    assert set(Reminder.objects.values_list("status", flat=True)) == {Delivery.SENT}
    managers = [m for m in mail.outbox if m.to[0].endswith("p0@example.org")]
    assert all("5 teamleden" in m.body for m in managers)


def test_four_workers_send_each_invitation_once(crowd, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from tests.notifications.conftest import _reset_task_backends

    _reset_task_backends()
    try:
        invitations_queue(people=User.objects.filter(username__startswith="t"))
        _, errors = run_together(4, lambda _: invitations_deliver(limit=5))
        while invitations_deliver(limit=5):
            pass
    finally:
        _reset_task_backends()
    assert not errors
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == len(set(recipients)) == 36
    assert set(Invitation.objects.values_list("status", flat=True)) == {Delivery.SENT}
