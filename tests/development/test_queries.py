"""The team dashboard's reads of actions: counts and open actions per person, in a fixed number
of queries whatever the team's size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Assessment, Membership
from development.models import Action
from development.queries import ActionCounts, open_actions, team_action_counts
from tests.conftest import make_user
from tests.development.conftest import SELF, make_dev_round, propose, submit

pytestmark = pytest.mark.django_db


def set_state(action, *, agreed=False, outcome="", due_in=None):
    now = timezone.now()
    Action.objects.filter(pk=action.pk).update(
        status="agreed" if agreed else "proposed",
        agreed_at=now if agreed else None,
        outcome=outcome,
        outcome_at=now if outcome else None,
        **({"due_on": timezone.localdate() + datetime.timedelta(days=due_in)} if due_in else {}),
    )


def test_the_counts_of_a_teams_round(org, first_round, next_round):
    anna, bram = org["anna"], org["bram"]
    set_state(propose(first_round, anna), agreed=True, outcome="done", due_in=-10)
    set_state(propose(first_round, anna), agreed=True, due_in=-1)  # overdue
    set_state(propose(first_round, anna))  # proposed, due in two weeks
    set_state(propose(first_round, bram), agreed=True, outcome="partly")
    set_state(propose(first_round, bram), outcome="not_yet", due_in=-3)  # followed up: not overdue
    # Another round, and another team, count elsewhere.
    submit(next_round, anna, anna, first_round.framework, SELF)
    propose(next_round, anna)
    assert team_action_counts(org["noord"], first_round) == ActionCounts(
        total=5, proposed=2, agreed=3, done=1, partly=1, not_yet=1, overdue=1
    )
    assert team_action_counts(org["zuid"], first_round) == ActionCounts(0, 0, 0, 0, 0, 0, 0)
    assert team_action_counts(org["noord"], next_round).total == 1


def test_open_actions_per_person(org, first_round):
    anna, bram = org["anna"], org["bram"]
    late = propose(first_round, anna, days=20, text="Later")
    early = propose(first_round, anna, days=3, text="Eerder")
    done = propose(first_round, bram)
    set_state(done, outcome="done")
    set_state(early, due_in=-2)
    found = open_actions([anna.pk, bram.pk, org["zoe"].pk])
    assert list(found) == [anna.pk]
    assert [a.pk for a in found[anna.pk]] == [early.pk, late.pk]
    assert [a.overdue for a in found[anna.pk]] == [True, False]
    assert [i.level.number for i in found[anna.pk][0].indicators.all()] == [2]


@pytest.mark.parametrize("members", [5, 50])
def test_a_fixed_number_of_queries_whatever_the_team_size(org, framework, members):
    for i in range(members - 2):  # Anna and Bram are in Noord already
        Membership.objects.create(person=make_user(f"extra{i}"), team=org["noord"])
    round_ = make_dev_round(org, framework, name="Groot", opens=-10, closes=10)
    people = [
        a.subject
        for a in Assessment.objects.filter(round=round_, team=org["noord"], perspective="self")
    ]
    for person in people:
        submit(round_, person, person, framework, SELF)
        propose(round_, person)
        propose(round_, person, level=3)
    ids = [p.pk for p in people]
    with CaptureQueriesContext(connection) as counting:
        counts = team_action_counts(org["noord"], round_)
    # One aggregate over the team's actions in the round.
    assert len(counting) == 1 and counts.total == 2 * members
    with CaptureQueriesContext(connection) as listing:
        found = open_actions(ids)
        behaviours = [
            i.text for actions in found.values() for a in actions for i in a.indicators.all()
        ]
    # The open actions with their rounds; their behaviours with their levels.
    assert len(listing) == 2
    assert len(found) == members and len(behaviours) == 2 * members
