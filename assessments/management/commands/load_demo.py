"""Loads the demo organisation: departments, teams, people, and past and open rounds.

Running it twice changes nothing. It refuses to run with DEBUG off, so demo logins with a
known password can never reach a production database.
"""

from __future__ import annotations

import datetime
import random
import socket

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments.demo import load_demo_rounds
from assessments.models import Department, Membership, Team
from development.demo import load_demo_actions
from internal_customers.demo import load_demo_internal_customers
from outcomes.demo import load_demo_outcomes

User = get_user_model()

PASSWORD = "demo"

# (department path, team name)
TEAMS = [
    (("Klantcontact",), "Klantenservice Noord"),
    (("Klantcontact",), "Klantenservice Zuid"),
    (("Klantcontact",), "Klachtenbehandeling"),
    (("Commercie",), "Binnendienst Verkoop"),
    (("Commercie",), "Accountmanagement"),
    (("Bedrijfsvoering", "Financiën"), "Debiteurenbeheer"),
    (("Bedrijfsvoering", "Financiën"), "Facturatie"),
    (("Bedrijfsvoering",), "Servicedesk ICT"),
]

FIRST_NAMES = [
    "Sanne",
    "Daan",
    "Emma",
    "Lucas",
    "Julia",
    "Sem",
    "Lotte",
    "Bram",
    "Fleur",
    "Thijs",
    "Anouk",
    "Jesse",
    "Eva",
    "Ruben",
    "Lisa",
    "Milan",
    "Noor",
    "Stijn",
    "Femke",
    "Joris",
    "Marieke",
    "Pieter",
    "Ilse",
    "Wouter",
    "Saskia",
    "Koen",
    "Elif",
    "Mohamed",
    "Anneke",
    "Hendrik",
    "Griet",
    "Jozef",
    "Nathalie",
    "Tom",
    "Inge",
    "Bart",
    "Yasmina",
    "Kevin",
    "Sofie",
    "Dirk",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "Peeters",
    "Maes",
    "Claes",
    "Wouters",
    "Goossens",
    "Willems",
    "Vermeulen",
    "Van Damme",
    "Aydın",
    "El Amrani",
    "Kuipers",
    "Verhoeven",
]

# The three logins the README names, each with password "demo".
NAMED = [
    ("hr", "Hanneke", "Roos", None, None),
    ("manager", "Marco", "Verbeek", 0, Membership.Role.MANAGER),
    ("employee", "Eline", "Smits", 0, Membership.Role.EMPLOYEE),
]
PEOPLE_PER_TEAM = 7  # employees besides the manager; 8 teams x 8 = 64 people


def port_number(value: str) -> int:
    port = int(value)
    if not 1 <= port <= 65535:
        raise ValueError(value)
    return port


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


class Command(BaseCommand):
    help = "Loads the demo organisation with people, teams and rounds (DEBUG only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--port",
            type=port_number,
            default=8000,
            help="The port `make run` serves the demo on (make run PORT=8001), for the address "
            "printed with the logins.",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data is never loaded with DJANGO_DEBUG=0.")
        if User.objects.filter(username="hr").exists():
            self.stdout.write("The demo data is already loaded.")
        else:
            with transaction.atomic():
                self._load()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        port = options["port"]
        self.stdout.write(
            f"\nDemo logins (password: demo) at http://127.0.0.1:{port}/\n"
            "  hr        HR administrator (everything, the organisation, the admin)\n"
            "  manager   manager of team Klantenservice Noord\n"
            "  employee  member of team Klantenservice Noord\n"
        )
        if port_in_use(port):
            # Said before the server fails on it, with what to do instead.
            self.stdout.write(
                self.style.WARNING(
                    f"Port {port} is in use already (another server?): "
                    f"serve the demo on another one, e.g. make run PORT={port + 1}"
                )
            )

    def _load(self) -> None:
        rng = random.Random(2027)
        password = make_password(PASSWORD)  # hashed once: 64 hashes would take a minute
        # Everyone joined before the first demo round, nine months back.
        joined = timezone.localdate() - datetime.timedelta(days=365)
        teams = [self._team(path, name) for path, name in TEAMS]

        for username, first, last, team_index, role in NAMED:
            user = User.objects.create(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                password=password,
                is_staff=username == "hr",
                is_superuser=username == "hr",
            )
            if team_index is not None:
                Membership.objects.create(
                    person=user, team=teams[team_index], role=role, started_on=joined
                )

        names = [(f, last) for f in FIRST_NAMES for last in LAST_NAMES]
        rng.shuffle(names)
        taken = iter(names)
        for index, team in enumerate(teams):
            have_manager = index == 0
            employees = PEOPLE_PER_TEAM - (1 if index == 0 else 0)
            for number in range(employees + (0 if have_manager else 1)):
                first, last = next(taken)
                username = f"{first}.{last}".lower().replace(" ", "").replace("ı", "i")
                user = User.objects.create(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@example.org",
                    password=password,
                )
                role = (
                    Membership.Role.MANAGER
                    if not have_manager and number == 0
                    else Membership.Role.EMPLOYEE
                )
                Membership.objects.create(person=user, team=team, role=role, started_on=joined)
        load_demo_rounds(rng=rng)
        load_demo_actions()
        load_demo_internal_customers(rng=rng)
        load_demo_outcomes(rng=rng)

    def _team(self, path: tuple[str, ...], name: str) -> Team:
        parent = None
        for part in path:
            parent, _ = Department.objects.get_or_create(name=part, parent=parent)
        team, _ = Team.objects.get_or_create(name=name, department=parent)
        return team
