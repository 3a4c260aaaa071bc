"""The outcome series on the team and organisation dashboards, so that `figures` needs no
import of this app. What they show is decided in `series` (values) and in
`figures.confidentiality` (the level figures, as the page already shows them)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from figures.confidentiality import scope_trend

from ..models import OutcomeValue
from ..series import for_team, side_by_side

register = template.Library()


@register.inclusion_tag("outcomes/_beside.html", takes_context=True)
def outcomes_beside_team(context, view) -> dict:
    user = context["request"].user
    team = view.team
    return {
        "beside": for_team(view),
        "entry_url": reverse("outcomes:team_entry", args=[team.pk])
        if user.is_staff or team.is_manager
        else None,
        "export_csv": reverse("outcomes:team_export_csv", args=[team.pk]),
        "export_xlsx": reverse("outcomes:team_export_xlsx", args=[team.pk]),
        "whole_organisation": False,
    }


@register.inclusion_tag("outcomes/_beside.html", takes_context=True)
def outcomes_beside_organisation(context) -> dict:
    """The department's own values (not its teams'), or, for the whole organisation, the level
    series alone: values are entered per team and department, and are not added up."""
    user, department = context["request"].user, context["department"]
    trend = scope_trend(user, context["rounds"], context["perspective"], department)
    values = (
        OutcomeValue.objects.none()
        if department is None
        else OutcomeValue.objects.of_department(department)
    )
    query = f"?department={department.pk}" if department else ""
    return {
        "beside": side_by_side(values, trend),
        "entry_url": reverse("outcomes:department_entry", args=[department.pk])
        if department and user.is_staff
        else None,
        "import_url": reverse("outcomes:import") if user.is_staff else None,
        "export_csv": reverse("outcomes:organisation_export_csv") + query,
        "export_xlsx": reverse("outcomes:organisation_export_xlsx") + query,
        "whole_organisation": department is None,
    }
