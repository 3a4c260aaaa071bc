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


# The team dashboard (`figures`) shows these to those who read each member's answers (the
# team's managers and HR); it includes them only then.


@register.simple_tag
def team_actions(team, round_) -> queries.ActionCounts:
    """The actions the team's members agreed after this round, counted."""
    return queries.team_action_counts(team, round_)


@register.simple_tag
def open_actions_of(members) -> dict:
    """Per member of a page of the team dashboard: their actions not yet followed up."""
    return queries.open_actions(member.person.pk for member in members)


@register.simple_tag
def actions_stamp(team, round_, members) -> str:
    """What the two tags above show for this page of members depends on (one query): the
    dashboard keeps its "who needs what" rendered under this key."""
    return queries.actions_stamp(team, round_, (member.person.pk for member in members))


@register.filter
def actions_for(actions: dict, person_id: int) -> list:
    return actions.get(person_id, [])


@register.simple_tag(takes_context=True)
def own_actions(context) -> list:
    """For the person's own page (history): their actions over the rounds."""
    return queries.own_actions(context["request"].user)
