"""The outcome series on the team and organisation dashboards, so that `figures` needs no
import of this app. What they show is decided in `series` (values) and in
`figures.confidentiality` (the level figures, as the page already shows them)."""

from __future__ import annotations

import hashlib

from django import template
from django.core.cache import caches
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from figures.confidentiality import scope_trend

from ..models import OutcomeValue
from ..series import for_team, side_by_side

register = template.Library()


@register.simple_tag
def outcomes_stamp(view) -> str | None:
    """What the team's section shows besides the (published) trend depends on, in one query:
    its values' number and latest entry, and the measures' latest change. None while the
    trend holds a round that is not published yet."""
    if view.trend_cache_key is None:
        return None
    stamp = OutcomeValue.objects.of_team(view.team).aggregate(
        count=Count("id"),
        last=Max("id"),
        entered=Max("entered_at"),
        measures=Max("measure__updated_at"),
    )
    # The months shown end with this one.
    return ":".join(str(part) for part in (timezone.localdate().strftime("%Y-%m"), *stamp.values()))


@register.simple_tag(takes_context=True)
def outcomes_beside_team(context, view, stamp: str | None = None) -> str:
    """The section; with the `stamp` of `outcomes_stamp`, kept rendered until it changes."""
    request = context["request"]
    team = view.team
    may_enter = request.user.is_staff or team.is_manager

    def render() -> str:
        return render_to_string(
            "outcomes/_beside.html",
            {
                "beside": for_team(view),
                "entry_url": reverse("outcomes:team_entry", args=[team.pk]) if may_enter else None,
                "export_csv": reverse("outcomes:team_export_csv", args=[team.pk]),
                "export_xlsx": reverse("outcomes:team_export_xlsx", args=[team.pk]),
                "whole_organisation": False,
            },
            request=request,
        )

    if not stamp:
        return render()
    parts = f"{view.trend_cache_key}:{translation.get_language()}:{int(may_enter)}:{stamp}"
    key = "outcomes-team:" + hashlib.sha256(parts.encode()).hexdigest()
    cache = caches["figures"]
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html)
    return html


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
