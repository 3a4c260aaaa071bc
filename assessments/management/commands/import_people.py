"""Imports people and teams from an HR system's CSV export (see the README for the columns)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.people_import import people_import


class Command(BaseCommand):
    help = "Imports people, departments, teams and memberships from a CSV file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        result = people_import(data=data)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing was imported: {len(result.errors)} row(s) rejected.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.people_created} people added, {result.people_updated} updated, "
                f"{result.departments_created} departments, {result.teams_created} teams, "
                f"{result.memberships_created} memberships added, "
                f"{result.memberships_updated} changed, {result.memberships_ended} ended; "
                f"{len(result.moves)} people moved."
            )
        )
        for move in result.moves:
            self.stdout.write(f"  moved {move}")
