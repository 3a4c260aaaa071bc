"""Import outcome values from a CSV file: one row per team (or department), measure and month.

As strict as the people import, whose reading of the file it shares: every row is checked
before anything is written, a file with a rejected row imports nothing and reports every
rejected row with its line number and reason, and the import is one transaction. A value that
is in the database already for that team, measure and month is replaced.

    maand;team;maatregel;waarde
    2026-03;Klantenservice Noord;NPS;32
    03-2026;Klantenservice Noord;Klantbehoud;91,5

Teams are named as the people import names them: by name, with the department (`afdeling`,
parts separated by /) where two departments have a team of that name. A row with a
department and no team is the department's own value.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Department, Team

# The people import's reading of a file (UTF-8, or else Windows-1252, never a guess; the
# delimiter guessed) and its line-numbered errors: one behaviour for HR's two imports.
from assessments.people_import import MAX_BYTES, RowError, decode, department_path, read_csv

from .models import VALUE_DECIMALS, VALUE_DIGITS, OutcomeMeasure, OutcomeValue, first_of_month
from .months import parse_month

COLUMNS = {
    "maand": "month",
    "month": "month",
    "team": "team",
    "afdeling": "department",
    "department": "department",
    "maatregel": "measure",
    "uitkomstmaat": "measure",
    "measure": "measure",
    "waarde": "value",
    "value": "value",
}
REQUIRED = ("month", "measure", "value")
# How the errors name the columns: both ways a header may be written.
HEADERS = {
    "month": "maand/month",
    "team": "team",
    "department": "afdeling/department",
    "measure": "maatregel/measure",
    "value": "waarde/value",
}
# 1250 · 12,5 · 12.5 · -3 · 1.250,50 (Dutch, with thousands) · 1,250.50 (English)
NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)?$")
DUTCH_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
ENGLISH_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
AMBIGUOUS = re.compile(r"^[-+]?\d{1,3}[.,]\d{3}$")
BATCH = 500


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Row:
    line: int
    month: object
    measure: OutcomeMeasure
    team: Team | None
    department: Department | None
    value: Decimal

    @property
    def key(self) -> tuple:
        return (
            self.measure.pk,
            self.team and self.team.pk,
            self.department and self.department.pk,
            self.month,
        )


def parse_value(text: str) -> Decimal | str:
    """The number `text` writes, or why it is none (a message). A comma is a decimal comma;
    `1.250` or `1,250` alone could be either a thousand or a decimal and is refused."""
    text = text.replace(" ", "").replace("\u00a0", "")
    if AMBIGUOUS.match(text):
        return _("“%(value)s” can be read two ways: write 1250, or 1,25") % {"value": text}
    if DUTCH_THOUSANDS.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif ENGLISH_THOUSANDS.match(text):
        text = text.replace(",", "")
    elif NUMBER.match(text):
        text = text.replace(",", ".")
    else:
        return _("“%(value)s” is not a number (write 12,5 or 12.5)") % {"value": text}
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the patterns above let only numbers through
        return _("“%(value)s” is not a number (write 12,5 or 12.5)") % {"value": text}
    if value.as_tuple().exponent < -VALUE_DECIMALS:
        return _("%(value)s has more than %(n)s decimals") % {"value": text, "n": VALUE_DECIMALS}
    if abs(value) >= Decimal(10) ** (VALUE_DIGITS - VALUE_DECIMALS):
        return _("%(value)s is too large") % {"value": text}
    return value


class _Places:
    """Teams by name (and department path), departments by path: two queries."""

    def __init__(self) -> None:
        departments = {d.pk: d for d in Department.objects.all()}
        self.paths: dict[int, tuple[str, ...]] = {}
        for pk in departments:
            path, node = [], departments[pk]
            while node is not None:
                path.append(node.name.casefold())
                node = departments.get(node.parent_id)
            self.paths[pk] = tuple(reversed(path))
        self.departments = {path: departments[pk] for pk, path in self.paths.items()}
        self.teams: dict[str, list[Team]] = defaultdict(list)
        for team in Team.objects.all():
            self.teams[team.name.casefold()].append(team)

    def find(self, team: str, department: str) -> tuple[Team | None, Department | None, str]:
        path = tuple(p.casefold() for p in department_path(department))
        if department and path not in self.departments:
            return None, None, _("unknown department “%(name)s”") % {"name": department}
        if not team:
            if not department:
                return None, None, _("give a team, or a department for its own value")
            return None, self.departments[path], ""
        found = self.teams.get(team.casefold(), [])
        if department:
            found = [t for t in found if self.paths[t.department_id] == path]
        if not found:
            if department:
                return (
                    None,
                    None,
                    _("no team “%(team)s” in department “%(department)s”")
                    % {
                        "team": team,
                        "department": department,
                    },
                )
            return None, None, _("unknown team “%(name)s”") % {"name": team}
        if len(found) > 1:
            return (
                None,
                None,
                _("there are several teams “%(name)s”: add the department (afdeling) column")
                % {"name": team},
            )
        return found[0], None, ""


def _measures() -> dict[str, OutcomeMeasure]:
    names = {}
    for measure in OutcomeMeasure.objects.filter(active=True):
        for name in (measure.name_nl, measure.name_en):
            if name:
                names[name.strip().casefold()] = measure
    return names


def _parse_rows(header: list[str], reader) -> tuple[list[_Row], list[RowError]]:
    columns = [COLUMNS.get(name.strip().lower()) for name in header]
    missing = [name for name in REQUIRED if name not in columns]
    if "team" not in columns and "department" not in columns:
        missing.append("team")
    if missing:
        return [], [
            RowError(
                1,
                _("missing column(s): %(columns)s")
                % {"columns": ", ".join(HEADERS[name] for name in missing)},
            )
        ]

    measures = _measures()
    places = _Places()
    latest = first_of_month(timezone.localdate())
    rows: list[_Row] = []
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        record = {
            column: value.strip()
            for column, value in zip(columns, values, strict=False)
            if column is not None
        }
        empty = [name for name in REQUIRED if not record.get(name)]
        if empty:
            errors.append(
                RowError(
                    line,
                    _("empty value(s) for: %(columns)s")
                    % {"columns": ", ".join(HEADERS[name] for name in empty)},
                )
            )
            continue
        month = parse_month(record["month"])
        if month is None:
            errors.append(
                RowError(
                    line,
                    _("“%(month)s” is not a month (write 2026-03 or 03-2026)")
                    % {"month": record["month"]},
                )
            )
            continue
        if month > latest:
            errors.append(
                RowError(line, _("%(month)s has not begun yet") % {"month": f"{month:%Y-%m}"})
            )
            continue
        measure = measures.get(record["measure"].casefold())
        if measure is None:
            errors.append(
                RowError(
                    line,
                    _("unknown measure “%(name)s” (known: %(known)s)")
                    % {
                        "name": record["measure"],
                        "known": ", ".join(sorted({m.name_nl for m in measures.values()})),
                    },
                )
            )
            continue
        team, department, problem = places.find(
            record.get("team", ""), record.get("department", "")
        )
        if problem:
            errors.append(RowError(line, problem))
            continue
        value = parse_value(record["value"])
        if isinstance(value, str):
            errors.append(RowError(line, value))
            continue
        row = _Row(line, month, measure, team, department, value)
        if row.key in seen:
            errors.append(
                RowError(
                    line,
                    _("the same measure, team and month as on line %(line)s")
                    % {"line": seen[row.key]},
                )
            )
            continue
        seen[row.key] = line
        rows.append(row)
    return rows, errors


def outcome_import(*, data: bytes, by: AbstractBaseUser | None = None) -> ImportResult:
    """Imports the file's values, all of them or, if any row is rejected, none."""
    if len(data) > MAX_BYTES:
        return ImportResult(errors=[RowError(0, _("the file is larger than 20 MB"))])
    text, errors = decode(data)
    if errors:
        return ImportResult(errors=errors)
    rows, errors = read_csv(text, _parse_rows)
    if errors:
        return ImportResult(errors=sorted(errors, key=lambda e: e.line))
    if not rows:
        return ImportResult(errors=[RowError(2, _("the file holds no values"))])
    result = ImportResult()
    try:
        with transaction.atomic():
            _write(rows, by, result)
    except IntegrityError:
        # Someone entered one of these values while the file was read: nothing is written,
        # and importing the file again replaces what they entered.
        return ImportResult(
            errors=[
                RowError(
                    0,
                    _(
                        "some of these values were entered by someone else at the same moment; "
                        "nothing was imported: import the file again"
                    ),
                )
            ]
        )
    return result


def _write(rows: list[_Row], by, result: ImportResult) -> None:
    months = {row.month for row in rows}
    existing = {}
    for value in OutcomeValue.objects.select_for_update().filter(
        month__in=months, measure__in={row.measure.pk for row in rows}
    ):
        existing[(value.measure_id, value.team_id, value.department_id, value.month)] = value
    now = timezone.now()
    changed, new = [], []
    for row in rows:
        current = existing.get(row.key)
        if current is None:
            new.append(
                OutcomeValue(
                    measure=row.measure,
                    team=row.team,
                    department=row.department,
                    month=row.month,
                    value=row.value,
                    entered_by=by,
                    entered_at=now,
                )
            )
        elif current.value != row.value:
            current.value, current.entered_by, current.entered_at = row.value, by, now
            changed.append(current)
        else:
            result.unchanged += 1
    OutcomeValue.objects.bulk_create(new, batch_size=BATCH)
    OutcomeValue.objects.bulk_update(
        changed, ["value", "entered_by", "entered_at"], batch_size=BATCH
    )
    result.created, result.updated = len(new), len(changed)
