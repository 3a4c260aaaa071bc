"""Personas and shared fixtures.

Anna is an employee in team Noord, Bram her teammate, Maud manages Noord, Otto manages team
Zuid (another team), Hanna is HR (staff), and Xander is an outsider in no team at all.
"""

import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from assessments.models import Department, Membership, Team

User = get_user_model()


def pytest_sessionstart(session) -> None:
    """Keeps the browser tests' screenshots of this run only. With pytest-xdist only the
    controller empties the folder, so that no worker deletes another's screenshots."""
    if not hasattr(session.config, "workerinput"):
        screenshots = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
        shutil.rmtree(screenshots, ignore_errors=True)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests serve static files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Real password hashing costs a third of a second per persona.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username: str, **extra) -> User:
    user = User(username=username, first_name=username.capitalize(), **extra)
    user.set_password("secret-pass-1")
    user.save()
    return user


@pytest.fixture
def org(db):
    department = Department.objects.create(name="Klantcontact")
    noord = Team.objects.create(name="Noord", department=department)
    zuid = Team.objects.create(name="Zuid", department=department)
    people = {
        "anna": make_user("anna"),
        "bram": make_user("bram"),
        "maud": make_user("maud"),
        "otto": make_user("otto"),
        "zoe": make_user("zoe"),
        "hanna": make_user("hanna", is_staff=True, is_superuser=True),
        "xander": make_user("xander"),
    }
    Membership.objects.create(person=people["anna"], team=noord)
    Membership.objects.create(person=people["bram"], team=noord)
    Membership.objects.create(person=people["maud"], team=noord, role=Membership.Role.MANAGER)
    Membership.objects.create(person=people["otto"], team=zuid, role=Membership.Role.MANAGER)
    Membership.objects.create(person=people["zoe"], team=zuid)
    return {"department": department, "noord": noord, "zuid": zuid, **people}


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def framework(db):
    from assessments.models import Framework

    return Framework.objects.get(name_nl="Klantgerichtheid", version=1)


def make_round(org, framework, *, kind="development", days_left=10, name="Q1 2027"):
    import datetime

    from django.utils import timezone

    from assessments.models import Round
    from assessments.services import round_populate

    today = timezone.localdate()
    round_ = Round.objects.create(
        name=name,
        framework=framework,
        kind=kind,
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=days_left),
    )
    round_.teams.set([org["noord"], org["zuid"]])
    round_populate(round_=round_)
    return round_


@pytest.fixture
def dev_round(org, framework):
    return make_round(org, framework)


@pytest.fixture
def pulse_round(org, framework):
    return make_round(org, framework, kind="pulse", name="Pulse")


def all_answers(framework, value=4):
    """POST data answering every indicator of the framework with one value."""
    from assessments.models import Indicator

    return {
        f"r{pk}": str(value)
        for pk in Indicator.objects.filter(level__framework=framework).values_list("pk", flat=True)
    }
