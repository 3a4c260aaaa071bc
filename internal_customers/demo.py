"""Demo internal customers: the service desk, invoicing and debt collection serve other teams,
whose members rated them in the last closed development rounds. Debiteurenbeheer got too few
ratings to be shown, so that the demo shows the group-size rule at work too."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from assessments.models import Membership, Round, Team

from .models import Service
from .services import CANNOT_RATE, feedback_save, observable

# team that serves -> (teams it serves, its typical rating, share of customers who rate)
SERVICES = {
    "Servicedesk ICT": (
        ["Klantenservice Noord", "Klantenservice Zuid", "Klachtenbehandeling"],
        3.4,
        0.7,
    ),
    "Facturatie": (["Accountmanagement", "Binnendienst Verkoop"], 3.9, 0.75),
    "Debiteurenbeheer": (["Klantenservice Zuid"], 3.0, 0.4),
}
LEFT_FOR_THE_VISITOR = {"employee", "manager", "hr"}
REMARKS = [
    "Snel geholpen, maar ik hoor niet altijd wanneer iets is opgelost.",
    "Fijn dat ze meedenken als een klant haast heeft.",
    "Bij drukte blijven tickets lang liggen zonder bericht.",
    "Duidelijke afspraken, en ze komen ze na.",
]


def load_demo_internal_customers(*, rng: random.Random) -> None:
    teams = {t.name: t for t in Team.objects.all()}
    for provider, (customers, _typical, _share) in SERVICES.items():
        for customer in customers:
            Service.objects.get_or_create(provider=teams[provider], customer=teams[customer])
    development = list(Round.objects.filter(kind=Round.Kind.DEVELOPMENT).order_by("-opens_on")[:3])
    open_round, closed = development[0], development[1:]
    open_round.asks_internal_customers = True
    open_round.save(update_fields=["asks_internal_customers"])
    for round_ in [*closed, open_round]:
        is_open = round_ is open_round
        round_.asks_internal_customers = True
        round_.save(update_fields=["asks_internal_customers"])
        behaviours = observable(round_)
        for provider, (customers, typical, share) in SERVICES.items():
            people = {
                m.person_id: m.person
                for m in Membership.objects.filter(team__name__in=customers)
                .select_related("person")
                .order_by("pk")
            }
            for person in people.values():
                # In the open round, some have rated already; the demo logins are left to
                # the visitor.
                if person.username in LEFT_FOR_THE_VISITOR:
                    continue
                if rng.random() > (share * 0.6 if is_open else share):
                    continue
                bias = rng.gauss(0, 0.5)
                choices = {
                    i.pk: CANNOT_RATE
                    if rng.random() < 0.08
                    else max(1, min(5, round(rng.gauss(typical + bias, 0.7))))
                    for i in behaviours
                }
                feedback_save(
                    round_=round_,
                    team=teams[provider],
                    assessor=person,
                    choices=choices,
                    remark=rng.choice(REMARKS) if rng.random() < 0.25 else "",
                    submit=True,
                    today=timezone.localdate()
                    if is_open
                    else round_.opens_on + datetime.timedelta(days=rng.randint(1, 20)),
                )
