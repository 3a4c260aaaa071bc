"""Who may open which dashboard, decided in the lookup itself: 404 for anyone else.

What they then see of the figures is decided by `confidentiality`.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from assessments.access import managed_team_ids
from assessments.models import Department, Membership, Team
from klantgericht.sql import all_rows, columns, instances, placeholders


def team_for_dashboard(user: AbstractBaseUser, pk: int) -> Team:
    """The team, if the user may open its dashboard: its members, managers in its department,
    and HR. `team.managed` holds the teams the user manages now."""
    memberships = _current_memberships(user)
    managed = {team for team, role, _ in memberships if role == Membership.Role.MANAGER}
    where, params = "t.id = %s", [pk]
    if not user.is_staff and pk not in {team for team, _, _ in memberships}:
        # Not a member: a manager of a team in the same department, or nobody.
        departments = sorted(
            {department for _, role, department in memberships if role == Membership.Role.MANAGER}
        )
        if not departments:
            raise Http404("No such team.")
        where += f" AND t.department_id IN ({placeholders(departments)})"
        params += departments
    # In SQL, as every team page reads it: 0.1 ms of CPU, the ORM took 0.4 (klantgericht.sql).
    rows = all_rows(
        f"SELECT {columns(Team, 't')}, {columns(Department, 'd')} FROM {Team._meta.db_table} t "
        f"JOIN {Department._meta.db_table} d ON d.id = t.department_id WHERE {where}",
        params,
    )
    if not rows:
        raise Http404("No such team.")
    team, department = instances(rows[0], Team, Department)
    Team._meta.get_field("department").set_cached_value(team, department)
    team.managed = managed
    team.is_manager = team.pk in managed
    return team


def _current_memberships(user: AbstractBaseUser) -> list[tuple[int, str, int]]:
    """(team, role, the team's department) of the user's memberships that hold today, as
    `Membership.objects.current()` has them; in SQL, as every dashboard request reads them
    (klantgericht.sql)."""
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    return all_rows(
        f"SELECT m.team_id, m.role, t.department_id FROM {Membership._meta.db_table} m "
        f"JOIN {Team._meta.db_table} t ON t.id = m.team_id "
        "WHERE m.person_id = %s AND m.started_on <= %s AND (m.ended_on IS NULL OR m.ended_on > %s)",
        [user.pk, today, today],
    )


def departments_for_rollup(user: AbstractBaseUser) -> QuerySet | None:
    """The departments whose roll-up the user may read; None means the whole organisation."""
    if user.is_staff:
        return None
    return Department.objects.filter(
        pk__in=Team.objects.filter(pk__in=managed_team_ids(user)).values("department")
    )
