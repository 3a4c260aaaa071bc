"""Memberships have a period: the team of now decides rounds and access, history stays."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments import access
from assessments.models import Assessment, Membership
from assessments.services import round_populate
from figures import access as figures_access
from tests.conftest import make_round
from tests.test_assessment_access import submit_all

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def move(person, old_team, new_team, role=Membership.Role.EMPLOYEE):
    """What the import does: end the old membership today, start the new one today."""
    Membership.objects.filter(person=person, team=old_team).end()
    return Membership.objects.create(person=person, team=new_team, role=role)


def test_current_means_started_and_not_yet_ended(org):
    today = timezone.localdate()
    Membership.objects.all().delete()
    periods = {  # who: (start, end); an end is the first day out of the team
        "anna": (today - 10 * DAY, None),
        "bram": (today - 10 * DAY, today + DAY),
        "maud": (today, None),
        "otto": (today - 10 * DAY, today),
        "zoe": (today - 10 * DAY, today - DAY),
        "xander": (today + DAY, None),
    }
    for name, (start, end) in periods.items():
        Membership.objects.create(
            person=org[name], team=org["noord"], started_on=start, ended_on=end
        )
    current = Membership.objects.current().values_list("person__username", flat=True)
    assert set(current) == {"anna", "bram", "maud"}
    # The dashboards' access check reads them in SQL of its own: the same people, the same day.
    noord = org["noord"]
    in_sql = {
        name
        for name in periods
        if figures_access._current_memberships(org[name])
        == [(noord.pk, Membership.Role.EMPLOYEE, noord.department_id)]
    }
    assert in_sql == {"anna", "bram", "maud"}
    assert all(
        figures_access._current_memberships(org[name]) == [] for name in ("otto", "zoe", "xander")
    )


def test_a_person_can_leave_a_team_and_come_back_but_not_be_in_it_twice(org):
    anna, noord, zuid = org["anna"], org["noord"], org["zuid"]
    move(anna, noord, zuid)
    move(anna, zuid, noord)
    periods = Membership.objects.filter(person=anna, team=noord)
    assert sorted(periods.values_list("ended_on", flat=True), key=str) == [
        timezone.localdate(),
        None,
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=anna, team=noord)


def test_the_next_round_rates_a_moved_person_in_the_new_team_by_its_manager(
    dev_round, framework, org
):
    submit_all(dev_round, framework)
    move(org["anna"], org["noord"], org["zuid"])
    later = make_round(org, framework, name="Q2 2027", days_left=40)
    mine = Assessment.objects.filter(round=later, subject=org["anna"])
    assert set(mine.values_list("assessor__username", "team__name")) == {
        ("anna", "Zuid"),
        ("otto", "Zuid"),
    }
    # The round she was rated in keeps the team she was rated in, also when HR adds the
    # newcomers to it later.
    earlier = dict(
        Assessment.objects.filter(round=dev_round, subject=org["anna"]).values_list(
            "pk", "team__name"
        )
    )
    assert set(earlier.values()) == {"Noord"}
    round_populate(round_=dev_round)
    kept = Assessment.objects.filter(pk__in=earlier).values_list("pk", "team__name")
    assert dict(kept) == earlier


def test_a_moved_person_sees_the_new_team_and_no_longer_the_old_one(dev_round, org, login):
    move(org["anna"], org["noord"], org["zuid"])
    client = login(org["anna"])
    noord = reverse("figures:team_dashboard", args=[org["noord"].pk])
    zuid = reverse("figures:team_dashboard", args=[org["zuid"].pk])
    assert client.get(noord).status_code == 404
    assert client.get(zuid).status_code == 200
    home = client.get(reverse("assessments:home")).text
    assert "Team Zuid" in home and "Team Noord" not in home


def test_a_manager_who_moved_no_longer_manages_the_old_team(dev_round, framework, org, login):
    submit_all(dev_round, framework)
    move(org["maud"], org["noord"], org["zuid"], role=Membership.Role.EMPLOYEE)
    assert not access.managed_team_ids(org["maud"]).exists()
    team = figures_access.team_for_dashboard(org["maud"], org["zuid"].pk)
    assert (team, team.is_manager) == (org["zuid"], False)
    result = reverse("assessments:result", args=[dev_round.pk, org["anna"].pk])
    assert login(org["maud"]).get(result).status_code == 404


def test_the_admin_shows_current_memberships_above_past_ones(org, login):
    today = timezone.localdate()
    anna = org["anna"]
    Membership.objects.filter(person=anna).update(started_on=today - 100 * DAY)
    move(anna, org["noord"], org["zuid"])
    old = Membership.objects.get(person=anna, team=org["noord"])
    Membership.objects.filter(pk=old.pk).update(started_on=today - 300 * DAY)
    page = login(org["hanna"]).get(reverse("admin:auth_user_change", args=[anna.pk]))
    assert page.status_code == 200
    formset = page.context["inline_admin_formsets"][0].formset
    assert [(m.team.name, m.ended_on) for m in formset.queryset] == [
        ("Zuid", None),
        ("Noord", today),
    ]
    assert "In het team sinds" in page.text


def team_form(org, members: list[dict]) -> dict:
    """The team admin's form for Noord with these membership rows (existing ones have an id)."""
    data = {
        "name": "Noord",
        "department": org["department"].pk,
        "target_level": 3,
        "memberships-TOTAL_FORMS": len(members),
        "memberships-INITIAL_FORMS": sum(1 for m in members if m.get("id")),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for i, member in enumerate(members):
        for name in ("id", "person", "role", "started_on", "ended_on"):
            data[f"memberships-{i}-{name}"] = member.get(name, "")
        data[f"memberships-{i}-team"] = org["noord"].pk
    return data


@pytest.mark.parametrize(
    "new_rows",
    [
        [{"person": "anna"}],  # Anna is in Noord already
        [{"person": "xander"}, {"person": "xander"}],  # twice in one form
        [{"person": "anna", "started_on": "2020-01-01", "ended_on": "2030-01-01"}],
    ],
    ids=["already-in-team", "twice-in-the-form", "overlapping-period"],
)
def test_the_admin_refuses_a_person_twice_in_a_team_as_a_form_error(org, login, new_rows):
    existing = [
        {"id": m.pk, "person": m.person_id, "role": m.role, "started_on": m.started_on}
        for m in Membership.objects.filter(team=org["noord"]).order_by("pk")
    ]
    rows = [
        {"role": "employee", "started_on": "2026-01-01", **row, "person": org[row["person"]].pk}
        for row in new_rows
    ]
    before = list(Membership.objects.values_list("pk", "person", "team", "ended_on"))
    response = login(org["hanna"]).post(
        reverse("admin:assessments_team_change", args=[org["noord"].pk]),
        team_form(org, existing + rows),
    )
    assert response.status_code == 200
    assert "Deze persoon zit" in response.text and "al in dit team" in response.text
    assert list(Membership.objects.values_list("pk", "person", "team", "ended_on")) == before
