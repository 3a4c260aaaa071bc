"""Who may open which dashboard, decided in the lookup itself: 404 for anyone else.

What they then see of the figures is decided by `confidentiality`.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from assessments.access import managed_team_ids
from assessments.models import Department, Membership, Team


def team_for_dashboard(user: AbstractBaseUser, pk: int) -> Team:
    """The team, if the user may open its dashboard: its members, managers in its department,
    and HR. `team.managed` holds the teams the user manages now."""
    memberships = list(
        Membership.objects.current()
        .filter(person=user)
        .values_list("team_id", "role", "team__department_id")
    )
    managed = {team for team, role, _ in memberships if role == Membership.Role.MANAGER}
    teams = Team.objects.select_related("department")
    if not user.is_staff and pk not in {team for team, _, _ in memberships}:
        # Not a member: a manager of a team in the same department, or nobody.
        teams = teams.filter(
            department_id__in={
                department for _, role, department in memberships if role == Membership.Role.MANAGER
            }
        )
    team = get_object_or_404(teams, pk=pk)
    team.managed = managed
    team.is_manager = team.pk in managed
    return team


def departments_for_rollup(user: AbstractBaseUser) -> QuerySet | None:
    """The departments whose roll-up the user may read; None means the whole organisation."""
    if user.is_staff:
        return None
    return Department.objects.filter(
        pk__in=Team.objects.filter(pk__in=managed_team_ids(user)).values("department")
    )
