"""The background work of this app, for Django's tasks framework (run by `db_worker`).

The tasks take no arguments: each run delivers the next batch of whatever is queued, so runs
are interchangeable and a run that finds nothing left does nothing.
"""

from django.tasks import task

from . import services


@task()
def deliver_invitations() -> int:
    return services.invitations_deliver()


@task()
def deliver_reminders() -> int:
    return services.reminders_deliver()
