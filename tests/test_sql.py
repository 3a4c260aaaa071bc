"""klantgericht.sql: the hand-written reads and writes behave as the ORM's would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Department
from klantgericht.sql import all_rows, insert_rows, one_row

pytestmark = pytest.mark.django_db


def test_insert_rows_writes_every_row_in_batches():
    parent = Department.objects.create(name="Boven")
    rows = [(f"Afdeling {n}", parent.pk) for n in range(5)]
    with CaptureQueriesContext(connection) as queries:
        insert_rows(Department._meta.db_table, ["name", "parent_id"], rows, batch=2)
    assert [q["sql"].split(None, 1)[0] for q in queries] == ["INSERT"] * 3  # 2 + 2 + 1
    assert sorted(parent.children.values_list("name", flat=True)) == [r[0] for r in rows]


def test_insert_rows_of_nothing_runs_nothing():
    with CaptureQueriesContext(connection) as queries:
        insert_rows(Department._meta.db_table, ["name"], [], batch=2)
    assert len(queries) == 0


def test_values_come_back_as_the_database_keeps_them():
    Department.objects.create(name="Noord")
    assert one_row(
        f"SELECT COUNT(*), MAX(name) FROM {Department._meta.db_table} WHERE name = %s", ["Noord"]
    ) == (1, "Noord")
    assert all_rows(f"SELECT name FROM {Department._meta.db_table} WHERE name = %s", ["Zuid"]) == []
