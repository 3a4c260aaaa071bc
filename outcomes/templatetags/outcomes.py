"""The outcome series on the team and organisation dashboards, so that `figures` needs no
import of this app. What they show is decided in `series` (values) and in
`figures.confidentiality` (the level figures, as the page already shows them)."""

from __future__ import annotations

import hashlib

from django import template
from django.core.cache import caches
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from figures.confidentiality import published_versions, scope_trend
from klantgericht.sql import one_row

from ..models import OutcomeMeasure, OutcomeValue
from ..series import for_team, side_by_side

register = template.Library()


def _values_stamp(place: str, pk: int) -> str:
    """What the series of a team or department (`place`) depend on besides the level figures,
    in one query: its values' number, latest id and latest entry, the measures' latest change,
    and this month (the months shown end with it)."""
    value, measure = OutcomeValue._meta, OutcomeMeasure._meta
    stamp = one_row(
        f"SELECT COUNT(v.id), MAX(v.id), MAX(v.entered_at), MAX(m.updated_at) "
        f"FROM {value.db_table} v JOIN {measure.db_table} m ON m.id = v.measure_id "
        f"WHERE v.{value.get_field(place).column} = %s",
        [pk],
    )
    return ":".join(str(part) for part in (timezone.localdate().strftime("%Y-%m"), *stamp))


def _kept(parts: str, render) -> str:
    """The section rendered once per `parts` (in the figures cache), or rendered now."""
    key = "outcomes:" + hashlib.sha256(parts.encode()).hexdigest()
    cache = caches["figures"]
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html)
    return html


@register.simple_tag
def outcomes_stamp(view) -> str | None:
    """What the team's section depends on besides its (published) trend; None while the trend
    holds a round that is not published yet."""
    if view.trend_cache_key is None:
        return None
    return _values_stamp("team", view.team.pk)


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
    language = translation.get_language()
    return _kept(f"team:{view.trend_cache_key}:{language}:{int(may_enter)}:{stamp}", render)


@register.simple_tag(takes_context=True)
def outcomes_beside_organisation(context) -> str:
    """The department's own values (not its teams'), or, for the whole organisation, the level
    series alone: values are entered per team and department, and are not added up. Kept
    rendered until a round is published or the department's values change."""
    request = context["request"]
    user, department = request.user, context["department"]
    rounds, perspective = context["rounds"], context["perspective"]
    values = (
        OutcomeValue.objects.none()
        if department is None
        else OutcomeValue.objects.of_department(department)
    )

    def render() -> str:
        query = f"?department={department.pk}" if department else ""
        return render_to_string(
            "outcomes/_beside.html",
            {
                "beside": side_by_side(values, scope_trend(user, rounds, perspective, department)),
                "entry_url": reverse("outcomes:department_entry", args=[department.pk])
                if department and user.is_staff
                else None,
                "import_url": reverse("outcomes:import") if user.is_staff else None,
                "export_csv": reverse("outcomes:organisation_export_csv") + query,
                "export_xlsx": reverse("outcomes:organisation_export_xlsx") + query,
                "whole_organisation": department is None,
            },
            request=request,
        )

    if department is None:
        stamp = timezone.localdate().strftime("%Y-%m")
    else:
        stamp = _values_stamp("department", department.pk)
    parts = ":".join(
        str(part)
        for part in (
            "organisation",
            published_versions(rounds),  # scope_trend reads the published rounds only
            perspective,
            department.pk if department else "",
            int(user.is_staff),
            translation.get_language(),
            stamp,
        )
    )
    return _kept(parts, render)
