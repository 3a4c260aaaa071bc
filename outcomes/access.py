"""Who may enter outcome values where, decided in the lookup itself: 404 for anyone else.

HR enters them for any team or department; a team's manager for the teams they manage now.
Reading them goes with the dashboard: whoever may open it sees its outcome values (they are
figures about the team's customers, not about a person).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.access import managed_team_ids
from assessments.models import Department, Team


def teams_for_entry(user: AbstractBaseUser) -> QuerySet:
    if user.is_staff:
        return Team.objects.all()
    return Team.objects.filter(pk__in=managed_team_ids(user))


def team_for_entry(user: AbstractBaseUser, pk: int) -> Team:
    return get_object_or_404(teams_for_entry(user).select_related("department"), pk=pk)


def department_for_entry(user: AbstractBaseUser, pk: int) -> Department:
    """A department's own values: HR only."""
    departments = Department.objects.all() if user.is_staff else Department.objects.none()
    return get_object_or_404(departments, pk=pk)


def may_import(user: AbstractBaseUser) -> None:
    """The import writes values for any team: HR only."""
    if not user.is_staff:
        raise Http404("Not for this person.")
