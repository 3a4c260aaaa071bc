"""The rules of development actions, held by the services whoever calls them."""

import datetime

import pytest

from development.access import action_for, plan_for
from development.models import Action, Role
from development.services import (
    ActionRefused,
    action_basis,
    action_confirm,
    action_delete,
    action_follow_up,
    action_update,
)
from tests.development.conftest import indicator, propose

pytestmark = pytest.mark.django_db


def as_(user, action):
    return action_for(user, action.pk)


def test_the_person_proposes_and_the_manager_confirms(org, action):
    assert action.status == Action.Status.PROPOSED
    assert action.proposed_by == org["anna"] and action.agreed_at is None
    confirmed = action_confirm(action=as_(org["maud"], action), by=org["maud"])
    assert confirmed.status == Action.Status.AGREED
    assert confirmed.agreed_by == org["maud"] and confirmed.agreed_at is not None


def test_an_action_the_manager_adds_is_agreed_at_once(org, first_round):
    added = propose(first_round, org["anna"], by=org["maud"])
    assert added.status == Action.Status.AGREED and added.agreed_by == org["maud"]
    assert added.proposed_by == org["maud"] and added.team == org["noord"]


def test_at_most_three_actions_per_person_per_round(org, first_round):
    propose(first_round, org["anna"])
    propose(first_round, org["anna"], by=org["maud"])
    propose(first_round, org["anna"])
    with pytest.raises(ActionRefused) as refused:
        propose(first_round, org["anna"], by=org["maud"])
    assert refused.value.status == 409
    assert "at most 3" in refused.value.message or "hoogstens 3" in refused.value.message
    assert Action.objects.filter(person=org["anna"]).count() == 3
    # Another person's limit is their own.
    propose(first_round, org["bram"])


def test_no_action_before_the_self_assessment_is_submitted(org, first_round):
    from tests.development.conftest import make_dev_round

    later = make_dev_round(org, first_round.framework, name="Q2", opens=0, closes=30)
    with pytest.raises(ActionRefused) as refused:
        propose(later, org["anna"])
    assert refused.value.status == 409
    assert not Action.objects.exists()


def test_hr_reads_but_does_not_propose(org, first_round):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        plan_for(org["hanna"], first_round.pk, org["anna"].pk, change=True)
    assert plan_for(org["hanna"], first_round.pk, org["anna"].pk).role == Role.READER


def test_the_basis_is_the_managers_rating_once_the_person_sees_it(org, first_round, framework):
    basis = action_basis(plan=plan_for(org["anna"], first_round.pk, org["anna"].pk))
    # Maud's rating (level 2 not met) is shown to Anna, who has submitted her own.
    assert basis.perspective == "manager"
    assert basis.bottleneck.number == 2
    assert [i.level.number for i in basis.indicators] == [2] * 5
    assert basis.suggested[0] == indicator(framework, 2, 1).pk  # the lowest first


def test_the_basis_is_the_own_rating_until_the_manager_has_rated(org, first_round, framework):
    basis = action_basis(plan=plan_for(org["bram"], first_round.pk, org["bram"].pk))
    assert basis.perspective == "self"
    assert basis.bottleneck.number == 3
    assert basis.suggested[0] == indicator(framework, 3, 1).pk


def test_the_basis_is_the_same_for_the_manager(org, first_round):
    mine = action_basis(plan=plan_for(org["anna"], first_round.pk, org["anna"].pk))
    theirs = action_basis(plan=plan_for(org["maud"], first_round.pk, org["anna"].pk))
    assert (mine.perspective, mine.bottleneck, mine.suggested) == (
        theirs.perspective,
        theirs.bottleneck,
        theirs.suggested,
    )


def update(action, user, **changes):
    action = as_(user, action)
    values = {
        "indicators": list(action.indicators.all()),
        "description": action.description,
        "due_on": action.due_on,
        **changes,
    }
    return action_update(action=action, by=user, **values)


def test_the_managers_change_agrees_the_action(org, action):
    changed = update(action, org["maud"], description="Elke dag terugbellen")
    assert changed.status == Action.Status.AGREED and changed.agreed_by == org["maud"]


def test_the_persons_change_of_an_agreed_action_asks_for_confirmation_again(org, action):
    action_confirm(action=as_(org["maud"], action), by=org["maud"])
    unchanged = update(action, org["anna"])
    assert unchanged.status == Action.Status.AGREED  # saving without a change agrees still
    changed = update(action, org["anna"], due_on=action.due_on + datetime.timedelta(days=7))
    assert changed.status == Action.Status.PROPOSED
    assert changed.agreed_by is None and changed.agreed_at is None


def test_only_the_manager_confirms(org, action):
    with pytest.raises(ActionRefused) as refused:
        action_confirm(action=as_(org["anna"], action), by=org["anna"])
    assert refused.value.status == 403


def test_confirming_twice_changes_nothing(org, action):
    first = action_confirm(action=as_(org["maud"], action), by=org["maud"])
    again = action_confirm(action=as_(org["maud"], action), by=org["maud"])
    assert again.agreed_at == first.agreed_at


def test_the_person_withdraws_a_proposal_but_not_an_agreed_action(org, first_round):
    proposal = propose(first_round, org["anna"])
    action_delete(action=as_(org["anna"], proposal))
    assert not Action.objects.filter(pk=proposal.pk).exists()
    agreed = propose(first_round, org["anna"], by=org["maud"])
    with pytest.raises(ActionRefused) as refused:
        action_delete(action=as_(org["anna"], agreed))
    assert refused.value.status == 403
    action_delete(action=as_(org["maud"], agreed))
    assert not Action.objects.exists()


def test_what_became_of_it_waits_for_the_due_date_or_the_next_round(org, action, framework):
    with pytest.raises(ActionRefused) as refused:
        action_follow_up(action=as_(org["anna"], action), by=org["anna"], outcome="done", note="")
    assert refused.value.status == 409
    # From the due date on ...
    due = action_follow_up(
        action=as_(org["anna"], action),
        by=org["anna"],
        outcome="partly",
        note="Half",
        today=action.due_on,
    )
    assert (due.outcome, due.outcome_note, due.outcome_by) == ("partly", "Half", org["anna"])


def test_what_became_of_it_can_be_said_once_the_next_round_opened(org, action, next_round):
    done = action_follow_up(
        action=as_(org["maud"], action), by=org["maud"], outcome="done", note=""
    )
    assert done.outcome == "done" and done.outcome_by == org["maud"] and done.outcome_at


def test_a_followed_up_action_is_no_longer_changed_nor_removed(org, action, next_round):
    action_follow_up(action=as_(org["anna"], action), by=org["anna"], outcome="done", note="")
    with pytest.raises(ActionRefused) as refused:
        update(action, org["maud"], description="Anders")
    assert refused.value.status == 409
    with pytest.raises(ActionRefused):
        action_delete(action=as_(org["maud"], action))
    # What became of it may be said again: the latest word counts.
    again = action_follow_up(
        action=as_(org["maud"], action), by=org["maud"], outcome="partly", note="Toch half"
    )
    assert again.outcome == "partly"
