"""A rhythm of rounds: the daily run opens each scheduled round on its date, with the framework
version current then, asks the levels the schedule asks, and tells people."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Framework, Round
from assessments.services import framework_new_version
from rhythm.models import Schedule, ScheduledRound, add_months
from rhythm.services import current_framework, daily

pytestmark = pytest.mark.django_db
START = datetime.date(2027, 1, 31)


@pytest.fixture
def monthly_pulse(org, framework):
    schedule = Schedule.objects.create(
        name="Pulse Klantcontact",
        kind=Round.Kind.PULSE,
        framework=framework,
        every_months=1,
        starts_on=START,
        open_days=7,
        asked_levels=[3],
    )
    schedule.teams.set([org["noord"], org["zuid"]])
    return schedule


def test_months_are_added_to_the_same_day_or_the_months_last(org):
    assert add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 1, 31), 2) == datetime.date(2027, 3, 31)
    assert add_months(datetime.date(2027, 11, 15), 6) == datetime.date(2028, 5, 15)


def test_nothing_opens_before_the_first_date(monthly_pulse):
    daily(today=START - datetime.timedelta(days=1))
    assert not Round.objects.exists()


def test_the_daily_run_opens_the_round_on_its_date_with_its_teams_and_levels(
    monthly_pulse, org, framework
):
    day = daily(today=START)
    [round_] = day.opened
    assert round_.name == "Pulse Klantcontact januari 2027"
    assert (round_.opens_on, round_.closes_on) == (START, START + datetime.timedelta(days=6))
    assert round_.kind == Round.Kind.PULSE and round_.asked_levels == [3]
    assert round_.framework == framework
    assert set(round_.teams.all()) == {org["noord"], org["zuid"]}
    assert set(
        Assessment.objects.filter(round=round_).values_list("subject__username", flat=True)
    ) == {
        "anna",
        "bram",
        "zoe",
    }
    assert ScheduledRound.objects.get(round=round_).schedule == monthly_pulse


def test_running_it_again_opens_nothing_twice(monthly_pulse):
    daily(today=START)
    daily(today=START)
    daily(today=START + datetime.timedelta(days=3))
    assert Round.objects.count() == 1
    out = io.StringIO()
    call_command("daily", date=START + datetime.timedelta(days=4), stdout=out)
    assert Round.objects.count() == 1
    assert "reminders queued" in out.getvalue() and "opened" not in out.getvalue()


def test_each_month_brings_the_next_round(monthly_pulse):
    daily(today=START)
    daily(today=datetime.date(2027, 2, 28))
    daily(today=datetime.date(2027, 3, 31))
    assert list(Round.objects.order_by("opens_on").values_list("opens_on", flat=True)) == [
        START,
        datetime.date(2027, 2, 28),
        datetime.date(2027, 3, 31),
    ]


def test_a_run_that_was_missed_for_a_few_days_still_opens_the_round(monthly_pulse):
    [round_] = daily(today=START + datetime.timedelta(days=2)).opened
    assert round_.opens_on == START


def test_a_round_whose_days_have_passed_is_not_opened_late(monthly_pulse):
    assert daily(today=START + datetime.timedelta(days=7)).opened == []


def test_a_switched_off_schedule_opens_nothing(monthly_pulse):
    monthly_pulse.active = False
    monthly_pulse.save()
    assert daily(today=START).opened == []


def test_the_round_uses_the_newest_version_in_use_not_one_still_being_edited(framework, org):
    draft = framework_new_version(framework=framework)
    # Version 1 was used by a round; version 2 is still being edited.
    from tests.conftest import make_round

    make_round(org, framework)
    assert current_framework(draft) == framework
    # Once a round has used version 2, it is the current one.
    make_round(org, draft, name="Eerste ronde op versie 2")
    assert current_framework(framework) == draft


def test_without_any_round_the_newest_version_is_current(framework):
    newer = framework_new_version(framework=framework)
    assert current_framework(framework) == newer


def test_the_opened_round_is_announced_the_same_day(monthly_pulse, org):
    org["anna"].email = "anna@example.org"
    org["anna"].save()
    today = timezone.localdate()  # the worker checks that the round is open today
    monthly_pulse.starts_on = today
    monthly_pulse.save()
    [round_] = daily(today=today).opened
    [message] = mail.outbox
    assert message.subject == f"{round_.name} is open"
    assert "Je ontvangt deze e-mail omdat je nog een open zelfbeoordeling hebt." in message.body


def test_a_schedule_can_ask_some_levels_of_a_pulse_only(framework, org):
    schedule = Schedule(
        name="Ontwikkeling",
        kind=Round.Kind.DEVELOPMENT,
        framework=framework,
        starts_on=START,
        asked_levels=[3],
    )
    with pytest.raises(ValidationError, match="Alleen een pulsronde"):
        schedule.full_clean()


def test_a_round_closes_before_the_next_one_opens(framework):
    schedule = Schedule(
        name="Te lang", framework=framework, starts_on=START, every_months=1, open_days=40
    )
    with pytest.raises(ValidationError, match="hoogstens 28 dagen"):
        schedule.full_clean()


def test_hr_sets_a_schedule_in_the_admin(org, login, framework):
    response = login(org["hanna"]).post(
        reverse("admin:rhythm_schedule_add"),
        {
            "name": "Ontwikkelronde",
            "kind": "development",
            "framework": framework.pk,
            "teams": [org["noord"].pk],
            "every_months": 6,
            "starts_on": "2027-03-01",
            "open_days": 21,
            "active": "on",
            "scheduled_rounds-TOTAL_FORMS": "0",
            "scheduled_rounds-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    schedule = Schedule.objects.get(name="Ontwikkelronde")
    assert schedule.next_opening(datetime.date(2027, 3, 1)) == datetime.date(2027, 9, 1)
    assert Framework.objects.filter(schedules=schedule).exists()
