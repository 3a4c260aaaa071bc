"""The real tasks backend (django-tasks-db) and its worker deliver what the daily run queues."""

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.models import Assessment
from notifications.models import Delivery, Invitation, Reminder
from notifications.services import BATCH, invitations_queue
from rhythm.services import daily
from tests.conftest import make_round

# The worker works as in production, between transactions (it closes connections that are
# not in autocommit mode), so these tests commit; the migrated framework is put back after each.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_worker_delivers_a_reminder_that_the_daily_run_queued(
    org, framework, database_tasks, run_worker
):
    org["anna"].email = "anna@example.org"
    org["anna"].save()
    round_ = make_round(org, framework, days_left=0)  # its last day
    daily(today=timezone.localdate())
    # Queued, not sent: the request or command that queues never waits for the mail server.
    assert not mail.outbox
    task = DBTaskResult.objects.get()
    assert task.task_path == "notifications.tasks.deliver_reminders"
    assert task.status == "READY"

    run_worker()

    [message] = mail.outbox
    assert message.to == ["anna@example.org"]
    assert message.subject == f"Laatste dag: {round_.name}"
    assert "Vandaag is de laatste dag van de ronde" in message.body
    own = Assessment.objects.get(round=round_, subject=org["anna"], perspective="self")
    assert Reminder.objects.get(assessment=own).status == Delivery.SENT
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # The next run finds nothing new to say.
    daily(today=timezone.localdate())
    run_worker()
    assert len(mail.outbox) == 1


def test_invitations_go_out_in_batches_of_tasks(org, database_tasks, run_worker):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    User.objects.bulk_create(
        [
            User(username=f"p{n:03d}", email=f"p{n:03d}@example.org", password="!")
            for n in range(BATCH + 5)
        ]
    )
    outcome = invitations_queue(people=User.objects.filter(username__startswith="p"))
    assert outcome.queued == BATCH + 5
    assert DBTaskResult.objects.count() == 2  # one task per batch
    run_worker()
    assert len(mail.outbox) == BATCH + 5
    assert set(Invitation.objects.values_list("status", flat=True)) == {Delivery.SENT}
