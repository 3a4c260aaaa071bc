"""The locust side of bench/load.py: one endpoint per run, described by a JSON file.

Not meant to be run by hand: bench/load.py writes the JSON (paths, cookies, CSRF tokens, form
fields), starts gunicorn and runs this file with bench/.venv/bin/locust, once per endpoint:

    BENCH_CONFIG=run.json BENCH_ENDPOINT=team BENCH_OUT=raw.json \
        bench/.venv/bin/locust -f bench/locustfile.py --headless -u 20 -r 20 -t 20s --host ...

Cookies are sent as a Cookie header by hand: with DJANGO_DEBUG=0 the session and CSRF cookies
are Secure, and an HTTP client keeps Secure cookies to itself over plain http://127.0.0.1.
Every request's start, duration and outcome go to BENCH_OUT, so that load.py computes exact
percentiles (locust's own CSV rounds response times above 100 ms to 10 ms buckets).
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, between, constant, events, task

CONFIG = json.loads(Path(os.environ["BENCH_CONFIG"]).read_text(encoding="utf-8"))
ENDPOINT = CONFIG["endpoints"][os.environ["BENCH_ENDPOINT"]]
WAIT = CONFIG.get("wait", [0, 0])
RAW: list[tuple[float, float, bool, str]] = []
_identities = itertools.count()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    start = kwargs.get("start_time") or 0.0
    RAW.append(
        (start, response_time, exception is None, "" if exception is None else str(exception)[:200])
    )


@events.quitting.add_listener
def _write(environment, **kwargs):
    with open(os.environ["BENCH_OUT"], "w", encoding="utf-8") as out:
        json.dump(RAW, out)


class BenchUser(FastHttpUser):
    wait_time = between(*WAIT) if WAIT[1] > 0 else constant(0)
    # One connection per simulated user, as a browser tab would keep.
    concurrency = 1

    def on_start(self) -> None:
        identities = ENDPOINT["identities"]
        self.identity = identities[next(_identities) % len(identities)]
        if WAIT[1] > 0:
            # With a think time, users start out of step, as people do: otherwise all of them
            # send their first request in the same instant.
            gevent.sleep(random.uniform(0, WAIT[1]))

    @task
    def hit(self) -> None:
        identity = self.identity
        headers = {"Cookie": identity["cookie"]}
        body = None
        if ENDPOINT["method"] == "POST":
            fields = {"csrfmiddlewaretoken": identity["csrf_token"]}
            chosen = random.sample(ENDPOINT["indicator_ids"], k=ENDPOINT.get("fields", 3))
            for pk in chosen:  # as the page sends a rating: with the value it changed from
                fields[f"r{pk}"] = str(random.randint(1, 5))
                fields[f"b-r{pk}"] = ""
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-Requested-With"] = "fetch"
        with self.client.request(
            ENDPOINT["method"],
            identity["path"],
            data=body,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
            name=ENDPOINT["name"],
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif ENDPOINT.get("expect") and ENDPOINT["expect"] not in (response.text or ""):
                response.failure(f"response lacks {ENDPOINT['expect']!r}")
            else:
                response.success()
