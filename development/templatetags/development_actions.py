"""The sections that the pages of `assessments` include (result, form, home), so that
`assessments` needs no import of this app. Each tag hands the request's user to a read in
`queries`, which holds the access rule; no logic here."""

from __future__ import annotations

from django import template

from development import queries

register = template.Library()


@register.simple_tag(takes_context=True)
def result_actions(context, result) -> queries.ResultActions | None:
    """`result`: an `assessments.results.Result`; its own perspective is there once the
    person's self-assessment is submitted."""
    return queries.result_actions(
        user=context["request"].user,
        round_=result.round,
        person_id=result.subject.pk,
        submitted=any(p.key == "self" for p in result.perspectives),
    )


@register.simple_tag(takes_context=True)
def form_actions(context, assessment) -> queries.FormActions:
    return queries.form_actions(user=context["request"].user, assessment=assessment)


@register.simple_tag(takes_context=True)
def home_actions(context) -> queries.HomeActions:
    return queries.home_actions(context["request"].user)
