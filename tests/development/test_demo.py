"""The demo has actions worth looking at: agreed, proposed, done and overdue."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from development.models import Action

pytestmark = pytest.mark.django_db


def test_the_demo_has_actions_in_every_state(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    today = timezone.localdate()
    actions = list(Action.objects.select_related("round", "team"))
    assert 4 <= len(actions) <= 10
    assert {a.team.name for a in actions} == {"Klantenservice Noord"}
    assert len({a.round_id for a in actions}) == 1 and actions[0].round.is_closed(today)
    assert sum(a.is_agreed for a in actions) >= 3
    assert sum(not a.is_agreed for a in actions) >= 1
    assert sum(a.outcome == "done" for a in actions) == 1
    assert sum(a.is_overdue(today) for a in actions) == 1
    assert all(a.indicators.exists() for a in actions)
    # The demo's own employee proposes hers herself.
    employee = get_user_model().objects.get(username="employee")
    assert not Action.objects.filter(person=employee).exists()
