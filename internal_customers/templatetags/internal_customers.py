"""The home page's list of teams the user may rate as their internal customer, so that
`assessments` needs no import of this app."""

from __future__ import annotations

from django import template

from ..access import to_rate

register = template.Library()


@register.inclusion_tag("internal_customers/_home.html", takes_context=True)
def teams_to_rate(context) -> dict:
    return {"items": to_rate(context["request"].user)}
