"""Import people, departments, teams and memberships from a CSV file as an HR system exports it.

Every row is checked before anything is written: a file with a rejected row imports nothing
and reports every rejected row with its line number and reason. A re-import updates people and
memberships and never duplicates them. Writes are batched so that 10,000 people import in a
few seconds.

The file lists each person's teams as they are now. A person in the file who is no longer
listed in a team leaves it today (their membership ends; it stays as history), so a person
listed in another team has moved. People who are not in the file are left as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Department, Membership, Team

User = get_user_model()

# Accepted header names, Dutch or English, mapped to the field they fill.
COLUMNS = {
    "username": "username",
    "gebruikersnaam": "username",
    "personeelsnummer": "username",
    "employee_id": "username",
    "first_name": "first_name",
    "voornaam": "first_name",
    "last_name": "last_name",
    "achternaam": "last_name",
    "email": "email",
    "e-mail": "email",
    "department": "department",
    "afdeling": "department",
    "team": "team",
    "role": "role",
    "rol": "role",
}
REQUIRED = ("username", "first_name", "last_name", "department", "team")
ROLES = {
    "": Membership.Role.EMPLOYEE,
    "employee": Membership.Role.EMPLOYEE,
    "medewerker": Membership.Role.EMPLOYEE,
    "manager": Membership.Role.MANAGER,
    "leidinggevende": Membership.Role.MANAGER,
}
USERNAME_VALIDATOR = UnicodeUsernameValidator()  # Django's own rule for usernames
DEPARTMENT_SEPARATOR = "/"
MAX_BYTES = 20 * 1024 * 1024
BATCH = 500


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class Move:
    """A person whose teams changed: the teams they were in before the import and after."""

    username: str
    old_teams: tuple[str, ...]
    new_teams: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.username}: {', '.join(self.old_teams)} → {', '.join(self.new_teams)}"


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    people_created: int = 0
    people_updated: int = 0
    departments_created: int = 0
    teams_created: int = 0
    memberships_created: int = 0
    memberships_updated: int = 0
    memberships_ended: int = 0
    moves: list[Move] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Row:
    line: int
    username: str
    first_name: str
    last_name: str
    email: str
    department: tuple[str, ...]
    team: str
    role: str

    @property
    def key(self) -> str:
        """Usernames are compared without regard to case: Employee is employee."""
        return self.username.lower()


# Multi-byte UTF-8 sequences. A file whose non-ASCII bytes mostly form them is UTF-8 that a
# stray byte spoils; other encodings (Windows-1252, Shift-JIS) form them by accident only.
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
NON_ASCII = re.compile(rb"[\x80-\xff]")
# What Windows-1252 makes of the bytes of other encodings (Shift-JIS, GBK, Big5, ...) but
# names, departments and teams do not contain. Not every such text shows one: a short value
# can still read as plausible Latin letters, and then the import cannot tell (see README).
NOT_IN_NAMES = frozenset("‚ƒ„†‡ˆ‰‹›•˜™¡¢¤¥¦§¨¬¯±²³´µ¶¸¹¼½¾¿")


def _line_of(text: str | bytes, index: int) -> int:
    return text.count("\n" if isinstance(text, str) else b"\n", 0, index) + 1


def decode(data: bytes) -> tuple[str, list[RowError]]:
    """The file's text, as UTF-8 or else Windows-1252; never a guess with replaced bytes."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        in_sequences = sum(len(sequence) for sequence in UTF8_SEQUENCE.findall(data))
        if 2 * in_sequences > len(NON_ASCII.findall(data)):
            # Read as Windows-1252, every accent of a UTF-8 file would be garbled.
            return "", [
                RowError(
                    _line_of(data, error.start),
                    _("this line is not valid UTF-8 text (byte 0x%(byte)02X)")
                    % {"byte": data[error.start]},
                )
            ]
        try:
            # Spreadsheets on Windows still save CSV in this code page.
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            return "", [
                RowError(
                    _line_of(data, error.start),
                    _(
                        "this line is neither UTF-8 nor Windows-1252 text (byte 0x%(byte)02X): "
                        "save the file as UTF-8"
                    )
                    % {"byte": data[error.start]},
                )
            ]
        strange = next((i for i, char in enumerate(text) if char in NOT_IN_NAMES), None)
        if strange is not None:
            return "", [
                RowError(
                    _line_of(text, strange),
                    _(
                        "this line does not read as Windows-1252 text (“%(char)s” is not "
                        "expected in a name): save the file as UTF-8"
                    )
                    % {"char": text[strange]},
                )
            ]
    if "\ufffd" in text:
        return "", [
            RowError(
                _line_of(text, text.index("\ufffd")),
                _(
                    "this line holds the replacement character �: characters were lost in an "
                    "earlier conversion"
                ),
            )
        ]
    return text, []


def read_csv[T](
    text: str, parse: Callable[[list[str], Any], tuple[list[T], list[RowError]]]
) -> tuple[list[T], list[RowError]]:
    """`parse(header, reader)` over the rows of a decoded CSV file whose delimiter (`,`, `;` or
    a tab) is guessed; an empty, binary or unreadable file is one error, never an exception.
    The people and the outcome values are imported through this."""
    if "\x00" in text:
        return [], [RowError(1, _("the file contains binary data; is it a CSV file?"))]
    try:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
        # Only the delimiter is guessed: quotes are Excel's ("), or names with apostrophes
        # could make the sniffer take ' for the quote character and run fields together.
        reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return [], [RowError(1, _("the file is empty"))]
        return parse(header, reader)
    except csv.Error as error:
        return [], [
            RowError(0, _("the file is not a readable CSV file (%(error)s)") % {"error": error})
        ]


def _parse_rows(header: list[str], reader) -> tuple[list[_Row], list[RowError]]:
    columns = [COLUMNS.get(name.strip().lower()) for name in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        return [], [
            RowError(1, _("missing column(s): %(columns)s") % {"columns": ", ".join(missing)})
        ]

    rows: list[_Row] = []
    errors: list[RowError] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        record = {
            column: value.strip()
            for column, value in zip(columns, values, strict=False)
            if column is not None
        }
        problem = _check(record)
        if problem:
            errors.append(RowError(line, problem))
            continue
        rows.append(
            _Row(
                line=line,
                username=record["username"],
                first_name=record["first_name"],
                last_name=record["last_name"],
                email=record.get("email", "").lower(),
                department=department_path(record["department"]),
                team=record["team"],
                role=ROLES[record.get("role", "").lower()],
            )
        )
    return rows, errors


def _check(record: dict[str, str]) -> str | None:
    empty = [name for name in REQUIRED if not record.get(name)]
    if empty:
        return _("empty value(s) for: %(columns)s") % {"columns": ", ".join(empty)}
    if len(record["username"]) > 150:
        return _("the username is longer than 150 characters")
    try:
        USERNAME_VALIDATOR(record["username"])
    except ValidationError:
        return _(
            "“%(username)s” is not a valid username: use letters, digits and @ . + - _ only"
        ) % {"username": record["username"]}
    if len(record["first_name"]) > 150 or len(record["last_name"]) > 150:
        return _("a name is longer than 150 characters")
    if len(record["team"]) > 200:
        return _("the team name is longer than 200 characters")
    department = department_path(record["department"])
    if not department:
        return _("the department has no name")
    if any(len(part) > 200 for part in department):
        return _("a department name is longer than 200 characters")
    if len(record.get("email", "")) > 254:
        return _("the e-mail address is longer than 254 characters")
    if record.get("email"):
        try:
            validate_email(record["email"])
        except ValidationError:
            return _("“%(email)s” is not a valid e-mail address") % {"email": record["email"]}
    if record.get("role", "").lower() not in ROLES:
        return _("unknown role “%(role)s” (use employee or manager)") % {"role": record["role"]}
    return None


def department_path(value: str) -> tuple[str, ...]:
    """The parts of "Bedrijfsvoering / Financiën": Financiën within Bedrijfsvoering."""
    return tuple(part.strip() for part in value.split(DEPARTMENT_SEPARATOR) if part.strip())


def _check_consistency(rows: Iterable[_Row]) -> list[RowError]:
    """One person has one name and e-mail, and one role per team, throughout the file."""
    errors = []
    people: dict[str, _Row] = {}
    memberships: dict[tuple[str, tuple[str, ...], str], _Row] = {}
    for row in rows:
        first = people.setdefault(row.key, row)
        if first.username != row.username:
            errors.append(
                RowError(
                    row.line,
                    _(
                        "%(username)s differs from %(other)s on line %(line)s only in capitals; "
                        "usernames are compared without regard to case"
                    )
                    % {"username": row.username, "other": first.username, "line": first.line},
                )
            )
        elif (first.first_name, first.last_name, first.email) != (
            row.first_name,
            row.last_name,
            row.email,
        ):
            errors.append(
                RowError(
                    row.line,
                    _("%(username)s has other details than on line %(line)s")
                    % {"username": row.username, "line": first.line},
                )
            )
        key = (row.key, row.department, row.team)
        earlier = memberships.setdefault(key, row)
        if earlier.role != row.role:
            errors.append(
                RowError(
                    row.line,
                    _("%(username)s has another role in this team on line %(line)s")
                    % {"username": row.username, "line": earlier.line},
                )
            )
    return errors


def people_import(*, data: bytes) -> ImportResult:
    """Imports the CSV file's people and teams, all of them or, if any row is rejected, none."""
    if len(data) > MAX_BYTES:
        return ImportResult(errors=[RowError(0, _("the file is larger than 20 MB"))])
    text, errors = decode(data)
    if errors:
        return ImportResult(errors=errors)
    rows, errors = read_csv(text, _parse_rows)
    errors += _check_consistency(rows)
    known, ambiguous = _known_people(rows)
    errors += ambiguous
    if errors:
        return ImportResult(errors=sorted(errors, key=lambda e: e.line))
    result = ImportResult()
    with transaction.atomic():
        teams = _teams(rows, result)
        people = _people(rows, known, result)
        _memberships(rows, people, teams, result)
    return result


def _teams(rows: list[_Row], result: ImportResult) -> dict[tuple[tuple[str, ...], str], Team]:
    departments: dict[tuple[str, ...], Department] = {}
    existing = {(d.parent_id, d.name): d for d in Department.objects.all()}
    for path in sorted({row.department for row in rows}, key=len):
        parent = None
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            if prefix not in departments:
                key = (parent.pk if parent else None, prefix[-1])
                if key not in existing:
                    existing[key] = Department.objects.create(name=prefix[-1], parent=parent)
                    result.departments_created += 1
                departments[prefix] = existing[key]
            parent = departments[prefix]

    wanted = {(row.department, row.team) for row in rows}
    department_ids = {departments[path].pk for path, _name in wanted}
    known = {
        (t.department_id, t.name): t for t in Team.objects.filter(department_id__in=department_ids)
    }
    new = [
        Team(department=departments[path], name=name)
        for path, name in sorted(wanted)
        if (departments[path].pk, name) not in known
    ]
    Team.objects.bulk_create(new, batch_size=BATCH)
    result.teams_created = len(new)
    known = {
        (t.department_id, t.name): t for t in Team.objects.filter(department_id__in=department_ids)
    }
    return {(path, name): known[(departments[path].pk, name)] for path, name in wanted}


def _known_people(rows: list[_Row]) -> tuple[dict[str, User], list[RowError]]:
    """The people of the file who exist already, by lowercase username.

    Compared in Python, not with the database's LOWER/LIKE (ASCII-only on SQLite). A username
    that matches two existing people (who differ only in case) is an error, not a guess.
    """
    first = {}
    for row in rows:
        first.setdefault(row.key, row)
    found: dict[str, list[User]] = defaultdict(list)
    for user in User.objects.only("id", "username", "first_name", "last_name", "email"):
        if (key := user.username.lower()) in first:
            found[key].append(user)
    errors = [
        RowError(
            first[key].line,
            _("%(username)s matches more than one person: %(people)s")
            % {
                "username": first[key].username,
                "people": ", ".join(sorted(user.username for user in users)),
            },
        )
        for key, users in found.items()
        if len(users) > 1
    ]
    return {key: users[0] for key, users in found.items()}, errors


def _people(rows: list[_Row], known: dict[str, User], result: ImportResult) -> dict[str, User]:
    details = {row.key: row for row in rows}
    changed = []
    for key, user in known.items():
        row = details[key]
        if (user.first_name, user.last_name, user.email) != (
            row.first_name,
            row.last_name,
            row.email,
        ):
            user.first_name, user.last_name, user.email = row.first_name, row.last_name, row.email
            changed.append(user)
    User.objects.bulk_update(changed, ["first_name", "last_name", "email"], batch_size=BATCH)
    result.people_updated = len(changed)

    # Imported people have no password until HR sets one (or single sign-on takes over).
    unusable = make_password(None)
    new = [
        User(
            username=row.username,
            first_name=row.first_name,
            last_name=row.last_name,
            email=row.email,
            password=unusable,
        )
        for key, row in details.items()
        if key not in known
    ]
    User.objects.bulk_create(new, batch_size=BATCH)
    result.people_created = len(new)

    people = dict(known)
    usernames = [user.username for user in new]
    for start in range(0, len(usernames), BATCH):
        for user in User.objects.filter(username__in=usernames[start : start + BATCH]).only(
            "id", "username"
        ):
            people[user.username.lower()] = user
    return people


def _memberships(
    rows: list[_Row],
    people: dict[str, User],
    teams: dict[tuple[tuple[str, ...], str], Team],
    result: ImportResult,
) -> None:
    today = timezone.localdate()
    wanted = {(people[row.key].pk, teams[(row.department, row.team)].pk): row.role for row in rows}
    person_ids = sorted({person for person, _team in wanted})
    existing: dict[tuple[int, int], Membership] = {}
    for start in range(0, len(person_ids), BATCH):
        for membership in (
            Membership.objects.not_ended(today)
            .filter(person_id__in=person_ids[start : start + BATCH])
            .select_related("team")
        ):
            existing[(membership.person_id, membership.team_id)] = membership

    changed = []
    for key, membership in existing.items():
        if key in wanted and membership.role != wanted[key]:
            membership.role = wanted[key]
            changed.append(membership)
    Membership.objects.bulk_update(changed, ["role"], batch_size=BATCH)
    result.memberships_updated = len(changed)

    left = [m for key, m in existing.items() if key not in wanted]
    for start in range(0, len(left), BATCH):
        result.memberships_ended += Membership.objects.filter(
            pk__in=[m.pk for m in left[start : start + BATCH]]
        ).end(today)

    new = [
        Membership(person_id=person, team_id=team, role=role, started_on=today)
        for (person, team), role in wanted.items()
        if (person, team) not in existing
    ]
    Membership.objects.bulk_create(new, batch_size=BATCH)
    result.memberships_created = len(new)
    result.moves = _moves(left, existing, wanted, teams, people)


def _moves(
    left: list[Membership],
    existing: dict[tuple[int, int], Membership],
    wanted: dict[tuple[int, int], str],
    teams: dict[tuple[tuple[str, ...], str], Team],
    people: dict[str, User],
) -> list[Move]:
    """The people who left a team, with their teams before and after, by username."""
    moved = {m.person_id for m in left}
    before: dict[int, list[str]] = defaultdict(list)
    for (person, _team), membership in existing.items():
        if person in moved:
            before[person].append(membership.team.name)
    names = {team.pk: team.name for team in teams.values()}
    after: dict[int, list[str]] = defaultdict(list)
    for person, team in wanted:
        if person in moved:
            after[person].append(names[team])
    return sorted(
        (
            Move(user.username, tuple(sorted(before[user.pk])), tuple(sorted(after[user.pk])))
            for user in people.values()
            if user.pk in moved
        ),
        key=lambda move: move.username,
    )
