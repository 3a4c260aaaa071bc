"""The demo organisation that `make run` loads."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from assessments.models import Department, Membership, Team

User = get_user_model()
pytestmark = pytest.mark.django_db


def test_demo_loads_an_organisation_and_the_three_logins(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Department.objects.filter(parent=None).count() >= 3
    assert Team.objects.count() >= 8
    assert User.objects.count() >= 60
    hr = User.objects.get(username="hr")
    assert hr.is_staff and hr.check_password("demo")
    manager = User.objects.get(username="manager")
    employee = User.objects.get(username="employee")
    assert manager.check_password("demo") and employee.check_password("demo")
    team = Membership.objects.get(person=manager, role=Membership.Role.MANAGER).team
    assert Membership.objects.filter(person=employee, team=team).exists()


def test_running_it_twice_duplicates_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (User.objects.count(), Team.objects.count(), Membership.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (User.objects.count(), Team.objects.count(), Membership.objects.count()) == counts


def test_demo_data_is_never_loaded_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not User.objects.exists()
