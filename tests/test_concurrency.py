"""Concurrent use on PostgreSQL: simultaneous submits and saves of one assessment."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, LevelResult, Rating
from tests.conftest import all_answers

pytestmark = [
    # serialized_rollback restores the migrated default framework after the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; CI runs this file in its PostgreSQL pass",
    ),
]


def run_together(count, work):
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def worker(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - any error is a failure of the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


def test_twenty_simultaneous_submits_store_one_assessment(dev_round, org, framework):
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self")
    url = reverse("assessments:assessment", args=[own.pk])
    data = {"revision": own.revision, "action": "submit", **all_answers(framework)}

    def submit(_):
        client = Client()
        client.force_login(org["anna"])
        return client.post(url, data).status_code

    statuses, errors = run_together(20, submit)
    assert not errors
    assert statuses == [302] * 20
    own.refresh_from_db()
    assert own.status == Assessment.Status.SUBMITTED
    assert Assessment.objects.filter(round=dev_round, assessor=org["anna"]).count() == 1
    assert Rating.objects.filter(assessment=own).count() == 21
    assert LevelResult.objects.filter(assessment=own).count() == 5


def test_two_saves_of_the_same_draft_never_silently_overwrite(dev_round, org, framework):
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self")
    url = reverse("assessments:assessment", args=[own.pk])
    first = next(iter(all_answers(framework)))

    def save(i):
        client = Client()
        client.force_login(org["anna"])
        value = str(2 + i)
        response = client.post(url, {"revision": own.revision, "action": "save", first: value})
        return response.status_code, value

    results, errors = run_together(2, save)
    assert not errors
    statuses = sorted(status for status, _ in results)
    assert statuses == [302, 409]
    saved = next(value for status, value in results if status == 302)
    assert str(Rating.objects.get(assessment=own, indicator_id=int(first[1:])).value) == saved
