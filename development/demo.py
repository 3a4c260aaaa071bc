"""Demo development actions: team Klantenservice Noord agreed a few after the last closed
development round, so that the result pages, the home pages and the next round's form show
actions in each state. The demo's own employee has none: hers are for the visitor to try."""

from __future__ import annotations

import datetime

from django.utils import timezone

from assessments.models import Assessment, Round, Team

from .access import Plan
from .models import Action, Role
from .services import action_basis, action_confirm, action_follow_up, action_propose

TEAM = "Klantenservice Noord"
LEFT_FOR_THE_VISITOR = {"employee"}

# Per member: (what they will do, days from today to the due date, agreed?, what became of it)
PLANS = [
    [
        (
            "Elke klacht binnen 24 uur zelf terugbellen en in het dossier noteren wat er is "
            "afgesproken.",
            -30,
            True,
            (Action.Outcome.DONE, "Lukt bijna altijd; klanten reageren verrast en positief."),
        ),
        (
            "Na elk afgerond verzoek de klant vragen of het probleem echt is opgelost.",
            10,
            True,
            None,
        ),
    ],
    [
        (
            "Eén keer per week tien minuten meeluisteren met een collega en één tip overnemen.",
            -20,
            True,
            None,  # overdue: nobody has said what became of it
        ),
    ],
    [
        (
            "Bij terugkerende vragen een voorstel doen om de uitleg op de website te verbeteren.",
            30,
            False,  # proposed; the manager has yet to confirm it
            None,
        ),
    ],
    [
        (
            "Afspraken met klanten altijd schriftelijk bevestigen, met datum en naam.",
            45,
            True,
            None,
        ),
        (
            "In het teamoverleg maandelijks één klantsituatie bespreken: wat ging goed, wat kan "
            "beter.",
            60,
            True,
            None,
        ),
    ],
]


def load_demo_actions(*, manager_username: str = "manager") -> int:
    """Returns how many actions it made."""
    today = timezone.localdate()
    round_ = (
        Round.objects.filter(kind=Round.Kind.DEVELOPMENT, closes_on__lt=today)
        .order_by("-opens_on", "-id")
        .first()
    )
    team = Team.objects.filter(name=TEAM).first()
    if round_ is None or team is None:
        return 0
    members = list(
        Assessment.objects.filter(
            round=round_,
            team=team,
            perspective=Assessment.Perspective.SELF,
            status=Assessment.Status.SUBMITTED,
        )
        .exclude(subject__username__in=LEFT_FOR_THE_VISITOR)
        .select_related("subject")
        .order_by("subject__last_name", "subject__first_name")
    )
    manager = (
        Assessment.objects.filter(round=round_, team=team, perspective="manager")
        .filter(assessor__username=manager_username)
        .select_related("assessor")
        .first()
    )
    if manager is None:
        return 0
    made = 0
    for own, plans in zip(members, PLANS, strict=False):
        plan = Plan(
            round=round_, person=own.subject, team_id=team.pk, submitted=True, role=Role.PERSON
        )
        basis = action_basis(plan=plan)
        chosen = basis.suggested or [i.pk for i in basis.indicators]
        for index, (text, days, agreed, outcome) in enumerate(plans):
            indicators = [i for i in basis.indicators if i.pk == chosen[index % len(chosen)]]
            action = action_propose(
                plan=plan,
                by=own.subject,
                indicators=indicators,
                description=text,
                due_on=today + datetime.timedelta(days=days),
            )
            made += 1
            if agreed:
                action.role = Role.MANAGER
                action_confirm(action=action, by=manager.assessor)
            if outcome:
                action.role = Role.PERSON
                action_follow_up(action=action, by=own.subject, outcome=outcome[0], note=outcome[1])
    return made
