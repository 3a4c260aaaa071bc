"""Hand-written SQL where the ORM's own cost is most of the work, or where one statement
must do what the ORM would need several for: the few reads that every published dashboard
makes (read into model instances with `columns` and `instance`), the rows that publishing
writes by the ten thousand, and a click on a rating, which checks and writes in one
statement (`assessments.services.assessment_save_choice`).

Building a query with the ORM costs this stack about 0.5 ms of CPU for a plain lookup and
1–1.5 ms for an aggregate over an OR of conditions, ten times what running it costs; a
published team page is otherwise served from the cache, so those reads were most of its
cost. bulk_create spends most of its time preparing each field of each model instance.
(docs/performance.md, "5 December 2026" and its second session.) Write SQL only where a
measurement says so, in SQL that SQLite and PostgreSQL both run (or both versions side by
side), against the models' own table names, with a test that holds it to what the ORM, or
the whole way, would do.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


def one_row(sql: str, params: Sequence) -> tuple:
    """The first row of `sql` (with %s placeholders); for aggregates, which return one."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def all_rows(sql: str, params: Sequence) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params: Sequence) -> int:
    """Runs a write; the number of rows it wrote (for an upsert: inserted or updated)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def columns(model: type[models.Model], alias: str) -> str:
    """Every column of `model`, under the table alias `alias`: the SELECT list whose values
    `instance` makes an instance of."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)


def instance(model: type[models.Model], values: Sequence) -> models.Model:
    """The instance of `model` whose columns (`columns`) hold `values`, each converted as the
    ORM converts what it reads: dates and times (aware), JSON, booleans."""
    fields = model._meta.concrete_fields
    converted = list(values)
    for i, converters, column in _converters(model, connection.vendor):
        for converter in converters:
            converted[i] = converter(converted[i], column, connection)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


def instances(row: Sequence, *models: type[models.Model]) -> list[models.Model | None]:
    """One instance per model from a row of their `columns`, in that order: a SELECT of a
    model with those related to it. None for a model whose primary key is null (an outer
    join that found nothing)."""
    found, start = [], 0
    for model in models:
        end = start + len(model._meta.concrete_fields)
        found.append(None if row[start] is None else instance(model, row[start:end]))
        start = end
    return found


_CONVERTERS: dict[tuple[type[models.Model], str], list] = {}


def _converters(model: type[models.Model], vendor: str) -> list:
    """(index, converters, column) of the fields of `model` whose values need converting, as
    the ORM's compiler finds them (the backend's, then the field's)."""
    key = (model, vendor)
    if key not in _CONVERTERS:
        found = []
        for i, field in enumerate(model._meta.concrete_fields):
            column = field.get_col(model._meta.db_table)
            converters = [
                *connection.ops.get_db_converters(column),
                *column.get_db_converters(connection),
            ]
            if converters:
                found.append((i, converters, column))
        _CONVERTERS[key] = found
    return _CONVERTERS[key]


def placeholders(values: Sequence) -> str:
    """`%s, %s, …` for an IN list of these values (never empty: pass at least one)."""
    return ", ".join(["%s"] * len(values))


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence], batch: int) -> None:
    """Plain values into `table` in multi-row INSERTs of at most `batch` rows (fewer where the
    database limits the parameters of a statement). For tens of thousands of rows that no
    one reads back as objects, where bulk_create spends most of its time preparing each
    field of each model instance."""
    limit = connection.features.max_query_params
    if limit:
        batch = max(1, min(batch, limit // len(columns)))
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    row = f"({placeholders(columns)})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            cursor.execute(
                head + ", ".join([row] * len(chunk)), [value for r in chunk for value in r]
            )
