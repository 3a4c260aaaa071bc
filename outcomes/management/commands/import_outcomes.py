"""Imports outcome values from a CSV file (see the README for the columns)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from outcomes.importing import outcome_import


class Command(BaseCommand):
    help = "Imports outcome values (month, team or department, measure, value) from a CSV file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        result = outcome_import(data=data)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing was imported: {len(result.errors)} row(s) rejected.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.created} values added, {result.updated} changed, "
                f"{result.unchanged} unchanged."
            )
        )
