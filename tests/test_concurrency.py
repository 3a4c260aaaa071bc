"""Concurrent use on PostgreSQL: simultaneous submits and saves of one assessment."""

import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, LevelResult, Rating, ReflectionAnswer, Round
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


def answered_with_four(dev_round, org, framework) -> tuple[Assessment, str]:
    """Anna's self-assessment with every behaviour rated 4 (a draft), and the field of its
    first behaviour, one of the three of level 1."""
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self")
    answers = all_answers(framework, value=4)
    as_anna(org, "assessments:autosave", own, answers)
    return own, min(answers, key=lambda name: int(name[1:]))


def as_anna(org, url_name: str, own: Assessment, data: dict):
    client = Client()
    client.force_login(org["anna"])
    return client.post(reverse(url_name, args=[own.pk]), data)


def test_twenty_simultaneous_submits_store_one_assessment(dev_round, org, framework):
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self")
    url = reverse("assessments:assessment", args=[own.pk])
    data = {"action": "submit", **all_answers(framework)}

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


def test_two_tabs_saving_different_texts_at_once_keep_both(dev_round, org, framework):
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self")
    url = reverse("assessments:autosave", args=[own.pk])
    question = framework.questions.order_by("position").first()
    texts = ["Via de klantpanels.", "Door mee te luisteren."]

    def save(i):
        client = Client()
        client.force_login(org["anna"])
        # Both tabs started from the empty answer.
        return client.post(url, {f"q{question.pk}": texts[i], f"b-q{question.pk}": ""})

    responses, errors = run_together(2, save)
    assert not errors
    assert [r.status_code for r in responses] == [200, 200]
    stored = ReflectionAnswer.objects.get(assessment=own, question=question).text
    assert stored in (
        "Via de klantpanels.\n\nDoor mee te luisteren.",
        "Door mee te luisteren.\n\nVia de klantpanels.",
    )
    # The tab that came second was told, and shown both versions.
    assert sorted(bool(r.json()["merged"]) for r in responses) == [False, True]


def test_an_autosave_during_the_submit_is_in_the_score_or_refused(dev_round, org, framework):
    """Never a rating changed after its assessment was scored."""
    own, first = answered_with_four(dev_round, org, framework)

    def act(i):
        if i == 0:
            return as_anna(org, "assessments:assessment", own, {"action": "submit"})
        return as_anna(org, "assessments:autosave", own, {first: "1"})

    (submit, autosave), errors = run_together(2, act)
    assert not errors
    assert submit.status_code == 302
    assert autosave.status_code in (200, 409)
    rating = Rating.objects.get(assessment=own, indicator_id=int(first[1:]))
    assert rating.indicator.level.number == 1  # three behaviours
    level = LevelResult.objects.get(assessment=own, level=rating.indicator.level)
    if autosave.status_code == 200:  # before the submit: scored with it
        assert rating.value == 1 and level.score == Decimal("3.00")  # (1 + 4 + 4) / 3
    else:
        assert rating.value == 4 and level.score == Decimal("4.00")


def test_a_submit_while_hr_closes_the_round_is_in_the_published_figures_or_refused(
    dev_round, org, framework
):
    """The figures are published once; an assessment submitted meanwhile is never left out."""
    from assessments.services import Answers, AssessmentLocked, assessment_submit
    from figures.models import PeopleFigures
    from figures.services import round_close_early

    choices = {int(name[1:]): value for name, value in all_answers(framework).items()}
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self")

    def act(i):
        if i == 0:
            return round_close_early(round_=Round.objects.get(pk=dev_round.pk))
        try:
            return assessment_submit(assessment=own, answers=Answers(choices=choices))
        except AssessmentLocked:
            return None

    (publication, submitted), errors = run_together(2, act)
    assert not errors
    own.refresh_from_db()
    published = PeopleFigures.objects.get(
        group__publication=publication, group__team=org["noord"], perspective="self"
    ).submitted
    if submitted is None:  # the round closed first
        assert not own.is_submitted and published == 0
    else:
        assert own.is_submitted and published == 1


def test_a_click_while_the_submit_scores_waits_for_it_and_is_refused(dev_round, org, framework):
    """A click is one statement in no transaction of its own (tests/test_fast_autosave.py).
    It arrives after the submit has read the ratings and before it marks the assessment
    submitted: it must wait for the submit, then find it submitted, not change a rating
    that has been scored."""
    import time

    from assessments import scoring

    own, first = answered_with_four(dev_round, org, framework)

    scoring_now, clicked = threading.Event(), threading.Event()
    profile = scoring.profile

    def scored_slowly(*args, **kwargs):
        result = profile(*args, **kwargs)
        scoring_now.set()
        deadline = time.monotonic() + 10
        with connection.cursor() as cursor:  # until the click waits for this transaction
            while not clicked.is_set() and time.monotonic() < deadline:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.02)
        return result

    def act(i):
        if i == 0:
            return as_anna(org, "assessments:assessment", own, {"action": "submit"})
        assert scoring_now.wait(10)
        try:
            return as_anna(org, "assessments:autosave", own, {first: "1"})
        finally:
            clicked.set()

    with mock.patch("assessments.scoring.profile", scored_slowly):
        (submit, click), errors = run_together(2, act)
    assert not errors
    assert (submit.status_code, click.status_code) == (302, 409)
    rating = Rating.objects.get(assessment=own, indicator_id=int(first[1:]))
    assert rating.value == 4
    level = LevelResult.objects.get(assessment=own, level=rating.indicator.level)
    assert level.score == Decimal("4.00")
