"""Times publishing one closed round's figures and streaming the per-person exports, on the
database that `manage.py generate_org` filled (see bench/load.py for setting it up).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kg_bench \
        .venv/bin/python bench/publish_and_export.py [--round 12] [--repeat 3]

Publishing: the round's publication is deleted and computed again, `--repeat` times, inside
a transaction that is rolled back at the end, so the database keeps its own publication.
Exports: the per-person CSV and XLSX of the 1,000-person team (generate_org --extra-teams)
and of the organisation, as HR, in-process (django.test.Client), consuming the whole stream.
Prints wall and CPU seconds (this process; PostgreSQL's backend is not included).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kg_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klantgericht.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # no manifest of collected static files needed

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from assessments.models import Round, Team  # noqa: E402
from figures.models import Publication  # noqa: E402
from figures.services import publish  # noqa: E402


class Rollback(Exception):
    pass


def timed(action) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--round", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    round_ = Round.objects.get(pk=args.round)
    people = round_.assessments.values("subject").distinct().count()
    print(f"round {round_.pk} ({round_.name}): {people} people")
    try:
        with transaction.atomic():
            for attempt in range(args.repeat):
                Publication.objects.filter(round=round_).delete()
                fresh = Round.objects.get(pk=round_.pk)
                wall, cpu = timed(lambda r=fresh: publish(round_=r))
                print(f"publish, run {attempt + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU")
            raise Rollback
    except Rollback:
        pass

    hr = get_user_model().objects.filter(is_staff=True, is_active=True).first()
    client = Client()
    client.force_login(hr)
    big = Team.objects.annotate(n=Count("memberships")).order_by("-n").first()
    for name, url in (
        (
            f"team of {big.n - 1}, per person, CSV",
            reverse("figures:team_people_csv", args=[big.pk]),
        ),
        (
            f"team of {big.n - 1}, per person, XLSX",
            reverse("figures:team_people_xlsx", args=[big.pk]),
        ),
    ):
        url += f"?round={round_.pk}&perspective=self"
        for attempt in range(args.repeat):
            size = 0

            def read(url=url):
                nonlocal size
                response = client.get(url)
                assert response.status_code == 200, response.status_code
                size = (
                    sum(len(chunk) for chunk in response.streaming_content)
                    if response.streaming
                    else len(response.content)
                )

            wall, cpu = timed(read)
            print(f"{name}, run {attempt + 1}: {wall:.3f} s wall, {cpu:.3f} s CPU, {size} bytes")


if __name__ == "__main__":
    main()
