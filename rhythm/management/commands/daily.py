"""The daily run: opens the rounds that schedules say are due, and queues the notices and
reminders due today. Idempotent, so it may run more than once a day (README: "The daily run").
"""

import datetime

from django.core.management.base import BaseCommand

from rhythm.services import daily


class Command(BaseCommand):
    help = "Opens scheduled rounds that are due and queues today's reminders (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Run as if it were this day (YYYY-MM-DD); default today.",
        )

    def handle(self, *args, date=None, **options):
        day = daily(today=date)
        for round_ in day.opened:
            self.stdout.write(f"opened: {round_} ({round_.assessments.count()} assessments)")
        self.stdout.write(
            f"reminders queued: {day.reminders.queued}, failed ones retried: "
            f"{day.reminders.retried}"
        )
