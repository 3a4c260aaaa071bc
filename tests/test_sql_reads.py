"""The reads that the dashboards make in SQL (klantgericht.sql) give what the ORM gives: the
same instances, field for field, with the same related objects."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from assessments.models import Department, Round, Team
from figures import access
from figures.models import Publication
from figures.services import publish
from figures.views import _has_team_in, _rounds
from klantgericht.sql import all_rows, columns, instance
from tests.conftest import make_round

pytestmark = pytest.mark.django_db


def values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def publication_of(round_):
    try:
        return values(round_.publication)
    except Publication.DoesNotExist:
        return None


@pytest.fixture
def rounds(org, framework):
    """A published round, a pulse round that asks two levels, and an open round."""
    published = make_round(org, framework, name="Closed")
    publish(round_=published)
    pulse = make_round(org, framework, kind="pulse", name="Pulse")
    Round.objects.filter(pk=pulse.pk).update(
        asked_levels=[3, 4], opens_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    make_round(org, framework, name="Open")
    Round.objects.filter(pk=published.pk).update(
        opens_on=timezone.localdate() - datetime.timedelta(days=60)
    )
    return Round.objects.all()


@pytest.mark.parametrize("model", [Round, Publication, Team, Department])
def test_an_instance_read_in_sql_is_the_orms(model, rounds):
    table = model._meta.db_table
    for obj in model.objects.all():
        [row] = all_rows(f"SELECT {columns(model, 'x')} FROM {table} x WHERE x.id = %s", [obj.pk])
        read = instance(model, row)
        assert values(read) == values(obj)
        assert not read._state.adding and read._state.db == connection.alias
    aware = [v for v in values(Round.objects.get(name="Closed")).values() if hasattr(v, "tzinfo")]
    assert aware and all(timezone.is_aware(v) for v in aware)


def test_the_rounds_of_a_team_are_the_orms_with_their_publications(
    org, rounds, django_assert_num_queries
):
    noord = org["noord"]
    expected = list(noord.rounds.select_related("publication").order_by("-opens_on", "-id"))
    with django_assert_num_queries(1):  # the publications with them, as select_related
        read = _rounds(
            "EXISTS (SELECT 1 FROM assessments_round_teams rt "
            "WHERE rt.round_id = r.id AND rt.team_id = %s)",
            [noord.pk],
        )
        publications = [publication_of(r) for r in read]
    assert [values(r) for r in read] == [values(r) for r in expected]
    assert publications == [publication_of(r) for r in expected]
    assert [r.name for r in read] == ["Pulse", "Open", "Closed"]
    assert [publication_of(r) is None for r in read] == [True, True, False]
    closed = read[-1]
    assert closed.publication.round is closed


def test_the_rounds_of_a_division_are_those_with_a_team_in_it(org, rounds, framework):
    elsewhere = Department.objects.create(name="Elders")
    team = Team.objects.create(name="Verweg", department=elsewhere)
    other = Round.objects.create(
        name="Elders",
        framework=framework,
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate(),
    )
    other.teams.set([team])
    mine = _rounds(*_has_team_in([org["department"].pk]))
    assert {r.name for r in mine} == {"Closed", "Pulse", "Open"}
    assert [r.name for r in _rounds(*_has_team_in([elsewhere.pk]))] == ["Elders"]
    assert [r.pk for r in _rounds()] == list(
        Round.objects.order_by("-opens_on", "-id").values_list("pk", flat=True)
    )


def test_the_team_of_a_dashboard_comes_with_its_department(org, django_assert_num_queries):
    with django_assert_num_queries(2):  # the memberships, the team with its department
        team = access.team_for_dashboard(org["maud"], org["noord"].pk)
        assert team.department.name == "Klantcontact"
    assert values(team) == values(Team.objects.get(pk=org["noord"].pk))
    assert values(team.department) == values(org["department"])
    assert team.is_manager
