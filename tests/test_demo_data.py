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


def test_the_demo_loader_prints_the_address_make_run_serves(settings):
    import io
    import socket

    settings.DEBUG = True
    out = io.StringIO()
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    call_command("load_demo", "--port", str(port), stdout=out)
    assert f"Demo logins (password: demo) at http://127.0.0.1:{port}/" in out.getvalue()
    assert "in use" not in out.getvalue()
    # A port that something else serves on already: say so, and what to do instead.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = io.StringIO()
        call_command("load_demo", "--port", str(port), stdout=out)
    assert f"Port {port} is in use already" in out.getvalue()
    assert f"make run PORT={port + 1}" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("load_demo", "--port", "80000")


def test_make_run_serves_on_the_port_it_is_given():
    import shutil
    import subprocess
    from pathlib import Path

    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    root = Path(__file__).resolve().parents[1]
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=8001"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "manage.py load_demo --port 8001" in dry
    assert "manage.py runserver 127.0.0.1:8001" in dry
    default = subprocess.run(
        ["make", "-n", "run"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert "manage.py runserver 127.0.0.1:8000" in default


def test_the_demo_has_a_year_of_outcome_values_beside_its_rounds(settings):
    from outcomes.models import OutcomeValue

    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    noord = Team.objects.get(name="Klantenservice Noord")
    months = set(OutcomeValue.objects.filter(team=noord).values_list("month", flat=True))
    assert len(months) == 12
    assert OutcomeValue.objects.filter(team=noord).values("measure").distinct().count() == 4
    # Every demo team and every department has values of its own.
    assert not Team.objects.filter(outcome_values__isnull=True).exists()
    assert not Department.objects.filter(outcome_values__isnull=True).exists()
    # Running it again duplicates nothing.
    count = OutcomeValue.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert OutcomeValue.objects.count() == count
