"""Hand-written SELECTs for the few reads that every published dashboard makes.

Building a query with the ORM costs this stack about 0.5 ms of CPU for a plain lookup and
1–1.5 ms for an aggregate over an OR of conditions, ten times what running it costs; a
published team page is otherwise served from the cache, so those reads are most of its
cost (docs/performance.md, "Published figures (issue 8)"). They are written here in SQL
that SQLite and PostgreSQL both run, against the models' own table names.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection


def one_row(sql: str, params: Sequence) -> tuple:
    """The first row of `sql` (with %s placeholders); for aggregates, which return one."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def all_rows(sql: str, params: Sequence) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def placeholders(values: Sequence) -> str:
    """`%s, %s, …` for an IN list of these values (never empty: pass at least one)."""
    return ", ".join(["%s"] * len(values))
