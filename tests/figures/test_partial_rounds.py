"""A pulse that asks some levels only: its figures cover those levels, and nobody's attained
level is claimed from it."""

import pytest
from django.urls import reverse

from assessments.models import Assessment, Indicator, Membership
from assessments.services import Answers, assessment_submit
from figures.services import round_close_early
from tests.conftest import make_round, make_user

pytestmark = pytest.mark.django_db


def test_a_pulse_of_levels_2_and_3_shows_those_levels_and_no_attained_levels(org, framework, login):
    for i in range(4):
        Membership.objects.create(person=make_user(f"noord{i}"), team=org["noord"])
    pulse = make_round(org, framework, kind="pulse", name="Pulse")
    pulse.asked_levels = [2, 3]
    pulse.save()
    asked = Indicator.objects.filter(level__framework=framework, level__number__in=[2, 3])
    for assessment in Assessment.objects.filter(round=pulse, team=org["noord"]):
        assessment_submit(
            assessment=assessment,
            answers=Answers(choices=dict.fromkeys(asked.values_list("pk", flat=True), 4)),
        )
    round_close_early(round_=pulse)
    page = login(org["anna"]).get(
        reverse("figures:team_dashboard", args=[org["noord"].pk]) + f"?round={pulse.pk}"
    )
    view = page.context["view"]
    assert [row.item.number for row in view.levels] == [2, 3]
    assert len(view.behaviours) == 10
    assert all(row.self.value == 4 for row in view.behaviours)
    assert view.people.levels_unknown and not view.people.shown
    assert view.people.submitted == 6
    assert "Deze ronde vroeg alleen naar niveau 2, 3" in page.text
