"""Concurrent proposals on PostgreSQL: the limit of three holds when people click at once."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from development.models import Action
from tests.development.conftest import indicator
from tests.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; CI runs this file in its PostgreSQL pass",
    ),
]


def test_ten_simultaneous_proposals_make_three_actions(org, first_round, framework):
    url = reverse("development:action_new", args=[first_round.pk, org["anna"].pk])
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()

    def post(i):
        client = Client()
        client.force_login(org["anna"] if i % 2 else org["maud"])
        data = {
            "indicators": [indicator(framework, 2, 1).pk],
            "description": f"Actie {i}",
            "due_on": due,
        }
        return client.post(url, data).status_code

    statuses, errors = run_together(10, post)
    assert not errors
    assert sorted(statuses) == [302] * 3 + [409] * 7
    assert Action.objects.filter(person=org["anna"], round=first_round).count() == 3
