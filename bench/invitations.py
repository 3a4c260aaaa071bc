"""Times inviting a large organisation (default 10,000 people): HR's admin request that queues
the invitations, and the worker (django-tasks-db's db_worker) that sends them over SMTP; then
the daily run that announces their first round, and the worker that sends those e-mails.

    .venv/bin/python bench/invitations.py [--people 10000] [--workers 1]
        [--database-url postgres://postgres@127.0.0.1:5432/kg_bench_invitations]

Without --database-url it uses a new SQLite file in a temporary directory; a PostgreSQL
database named in --database-url is created for the run and dropped after it (never point it
at real data). The people come from a CSV import as in bench/import_people.py. HR's request
is the admin action "Send an invitation" on all of them (select across), made with Django's
test client in this process; the workers are `manage.py db_worker --batch` processes with
the production task backend, sending to a local SMTP sink that counts what it receives.
"""

from __future__ import annotations

import argparse
import os
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


class SmtpSink(socketserver.ThreadingTCPServer):
    """Just enough SMTP to take messages and count them."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.received = 0
        self.lock = threading.Lock()


class SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 sink")
            elif command == "DATA":
                self.reply("354 go ahead")
                while (data := self.rfile.readline()) and data.rstrip(b"\r\n") != b".":
                    pass
                with self.server.lock:
                    self.server.received += 1
                self.reply("250 queued")
            elif command.startswith("QUIT"):
                self.reply("221 bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")


def postgres_admin(url: str, statement: str) -> None:
    import psycopg2

    parts = urlparse(url)
    connection = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres"
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    sink = SmtpSink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    workdir = tempfile.mkdtemp(prefix="kg-bench-invitations-")
    url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    postgres = url.startswith("postgres")
    if postgres:
        name = urlparse(url).path.lstrip("/")
        postgres_admin(url, f'DROP DATABASE IF EXISTS "{name}"')
        postgres_admin(url, f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "klantgericht.settings",
        "KLANTGERICHT_TASKS": "database",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(sink.server_address[1]),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from import_people import make_csv

    from assessments.people_import import people_import
    from notifications.models import Invitation

    try:
        call_command("migrate", verbosity=0)
        result = people_import(data=make_csv(args.people, args.teams))
        assert result.ok, result.errors[:3]
        User = get_user_model()
        hr = User.objects.create_superuser("bench-hr", "hr@example.org", "x")
        setup_test_environment()  # the test client, and ALLOWED_HOSTS for it
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        client = Client()
        client.force_login(hr)
        everyone = User.objects.exclude(pk=hr.pk)
        start = time.perf_counter()
        response = client.post(
            "/admin/auth/user/?is_staff__exact=0",
            {
                "action": "invite",
                "select_across": "1",
                "index": "0",
                "_selected_action": [everyone.first().pk],
            },
        )
        queued_in = time.perf_counter() - start
        assert response.status_code == 302, response.status_code
        queued = Invitation.objects.filter(status="queued").count()
        from django_tasks_db.models import DBTaskResult

        tasks = DBTaskResult.objects.count()
        print(
            f"{connection.vendor}: HR's request queued {queued} invitations "
            f"({tasks} tasks) in {queued_in:.2f} s"
        )
        connection.close()

        start = time.perf_counter()
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--batch",
                    "--no-reload",
                    "--no-startup-delay",
                    "--interval",
                    "0",
                    "--verbosity",
                    "0",
                ],
                cwd=ROOT,
                env=env,
            )
            for _ in range(args.workers)
        ]
        for worker in workers:
            worker.wait()
        sent_in = time.perf_counter() - start
        sent = Invitation.objects.filter(status="sent").count()
        print(
            f"{connection.vendor}: {args.workers} worker(s) sent {sent} invitations "
            f"({sink.received} received by the SMTP sink) in {sent_in:.2f} s "
            f"({sent / sent_in:.0f} per second)"
        )
        other = Invitation.objects.exclude(status="sent").values_list("status", flat=True)
        assert not other.exists(), set(other)

        # The first round of all of them: the daily run announces it to every assessor.
        import datetime

        from django.utils import timezone

        from assessments.models import Framework, Round, Team
        from assessments.services import round_populate
        from notifications.models import Reminder
        from rhythm.services import daily

        today = timezone.localdate()
        round_ = Round.objects.create(
            name="Bench round",
            framework=Framework.objects.get(version=1),
            opens_on=today,
            closes_on=today + datetime.timedelta(days=20),
        )
        round_.teams.set(Team.objects.all())
        round_populate(round_=round_)
        before = sink.received
        start = time.perf_counter()
        day = daily(today=today)
        queued_in = time.perf_counter() - start
        tasks = DBTaskResult.objects.filter(status="READY").count()
        print(
            f"{connection.vendor}: the daily run queued {day.reminders.queued} reminders "
            f"({tasks} tasks) in {queued_in:.2f} s"
        )
        connection.close()
        start = time.perf_counter()
        workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"]
                + ["--no-startup-delay", "--interval", "0", "--verbosity", "0"],
                cwd=ROOT,
                env=env,
            )
            for _ in range(args.workers)
        ]
        for worker in workers:
            worker.wait()
        sent_in = time.perf_counter() - start
        mails = sink.received - before
        reminded = Reminder.objects.filter(status="sent").count()
        print(
            f"{connection.vendor}: {args.workers} worker(s) sent {mails} e-mails for "
            f"{reminded} reminders in {sent_in:.2f} s ({mails / sent_in:.0f} per second)"
        )
    finally:
        connection.close()
        sink.shutdown()
        if postgres:
            postgres_admin(url, f'DROP DATABASE IF EXISTS "{urlparse(url).path.lstrip("/")}"')


if __name__ == "__main__":
    main()
