"""Fixtures for e-mail: imported people (no password yet), and the real tasks backend."""

import contextlib
import signal

import pytest
from django.contrib.auth import get_user_model
from django.tasks import task_backends

from assessments.models import Membership

User = get_user_model()


@pytest.fixture
def imported(org):
    """Ines, imported by HR into team Noord: an e-mail address, no password, never logged in."""
    person = User.objects.create_user("ines", email="ines@example.org", first_name="Ines")
    Membership.objects.create(person=person, team=org["noord"])
    return person


def _reset_task_backends():
    # Django keeps the backends it made; a changed TASKS setting needs new ones.
    task_backends._settings = None
    task_backends.__dict__.pop("settings", None)
    with contextlib.suppress(AttributeError):  # none was made yet
        del task_backends["default"]


@pytest.fixture
def database_tasks(settings):
    """The production backend: tasks wait in the database until `db_worker` runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _reset_task_backends()
    yield
    _reset_task_backends()


@pytest.fixture
def run_worker():
    """Runs django-tasks-db's worker in this process until the queue is empty (so that the
    test's mail outbox receives what it sends), and gives the test its signal handlers back."""
    from django.core.management import call_command

    def _run():
        saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        try:
            call_command(
                "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
            )
        finally:
            for number, handler in saved.items():
                signal.signal(number, handler)

    return _run
