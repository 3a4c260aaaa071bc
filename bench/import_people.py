"""Times the CSV import of a large organisation (default 10,000 people in 1,000 teams).

    .venv/bin/python bench/import_people.py [--people 10000] [--teams 1000]

Runs against the database that DATABASE_URL names (SQLite by default) inside a test database
that it creates and drops, so it never touches real data. Prints the time of a first import and
of a re-import of the same file.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klantgericht.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def make_csv(people: int, teams: int) -> bytes:
    lines = ["username;first_name;last_name;email;department;team;role"]
    for n in range(people):
        team = n % teams
        department = f"Divisie {team % 10} / Afdeling {team % 100}"
        role = "manager" if n < teams else "employee"
        lines.append(
            f"p{n:06d};Voornaam{n};Achternaam {n};p{n}@example.org;{department};Team {team};{role}"
        )
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=1_000)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from assessments.people_import import people_import

        data = make_csv(args.people, args.teams)
        for label in ("first import", "re-import"):
            start = time.perf_counter()
            result = people_import(data=data)
            elapsed = time.perf_counter() - start
            assert result.ok, result.errors[:5]
            print(
                f"{label}: {args.people} people, {args.teams} teams on "
                f"{connection.vendor}: {elapsed:.2f} s "
                f"({result.people_created} created, {result.memberships_created} memberships)"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
