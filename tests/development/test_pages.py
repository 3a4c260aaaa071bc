"""Where actions show: the result page, the next round's form and result page, the home page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from development.models import Action
from tests.development.conftest import propose

pytestmark = pytest.mark.django_db


def result(round_, person):
    return reverse("assessments:result", args=[round_.pk, person.pk])


def section(page, id_="development-actions") -> str:
    match = re.search(rf'<section[^>]*id="{id_}".*?</section>', page.text, re.S)
    found = match.group(0) if match else ""
    assert "{#" not in found and "{%" not in found, "template syntax in the page"
    return found


def test_the_person_proposes_from_the_result_page(org, first_round, login):
    page = section(login(org["anna"]).get(result(first_round, org["anna"])))
    assert "Ontwikkelacties" in page
    assert "Jij stelt voor, je leidinggevende bevestigt." in page
    assert "Nog geen acties voor deze ronde." in page
    assert reverse("development:action_new", args=[first_round.pk, org["anna"].pk]) in page
    assert "Stel een actie voor" in page and "0 van hoogstens 3" in page


def test_the_manager_sees_the_proposal_to_confirm(org, action, login):
    page = section(login(org["maud"]).get(result(action.round, org["anna"])))
    assert action.description in page and "te bevestigen" in page
    assert reverse("development:action_confirm", args=[action.pk]) in page
    assert reverse("development:action_edit", args=[action.pk]) in page
    assert "Voeg een actie toe" in page and "1 van hoogstens 3" in page


def test_the_person_sees_their_proposal_not_confirmed_yet(org, action, login):
    page = section(login(org["anna"]).get(result(action.round, org["anna"])))
    assert "voorgesteld, nog niet bevestigd" in page
    assert reverse("development:action_confirm", args=[action.pk]) not in page
    assert "Intrekken" in page


def test_hr_reads_without_a_button(org, action, login):
    page = section(login(org["hanna"]).get(result(action.round, org["anna"])))
    assert action.description in page
    assert "<form" not in page and "Stel een actie voor" not in page
    assert "Voeg een actie toe" not in page


def test_before_the_self_assessment_there_is_nothing_to_agree(org, framework, login):
    from tests.development.conftest import make_dev_round

    round_ = make_dev_round(org, framework, name="Q3", opens=-5, closes=5)
    page = section(login(org["anna"]).get(result(round_, org["anna"])))
    assert "zodra de zelfbeoordeling van deze ronde is ingediend" in page
    assert "Stel een actie voor" not in page


def test_at_three_the_page_says_why_there_is_no_button(org, first_round, login):
    for _ in range(3):
        propose(first_round, org["anna"])
    page = section(login(org["anna"]).get(result(first_round, org["anna"])))
    assert "Deze ronde heeft haar 3 acties" in page
    assert "Stel een actie voor" not in page


def test_a_pulse_result_has_no_actions(org, pulse_round, login):
    page = login(org["anna"]).get(result(pulse_round, org["anna"]))
    assert page.status_code == 200 and "Ontwikkelacties" not in page.text


def test_the_next_rounds_result_page_shows_what_became_of_them(org, action, next_round, login):
    for persona in ("anna", "maud"):
        page = section(login(org[persona]).get(result(next_round, org["anna"])))
        assert "Wat er terechtkwam van de acties van Q1 2027" in page
        assert action.description in page
        assert f'name="a{action.pk}-outcome"' in page  # the form to say it
    page = section(login(org["hanna"]).get(result(next_round, org["anna"])))
    assert action.description in page and f'name="a{action.pk}-outcome"' not in page


def test_the_next_rounds_form_shows_last_rounds_actions(org, action, next_round, login):
    own = Assessment.objects.get(round=next_round, assessor=org["anna"])
    page = login(org["anna"]).get(reverse("assessments:assessment", args=[own.pk]))
    part = section(page, "previous-actions-section")
    assert "Je acties van Q1 2027" in part and action.description in part
    assert f'name="a{action.pk}-outcome"' in part
    assert f'name="next" value="/assessments/{own.pk}/"' in part
    # Outside the assessment's own form, whose fields it must not add to.
    assert part not in re.search(
        r'<form method="post" id="assessment-form".*</form>', page.text, re.S
    ).group(0)


def test_the_managers_rating_form_shows_them_too(org, action, next_round, login):
    rating = Assessment.objects.get(round=next_round, subject=org["anna"], assessor=org["maud"])
    page = login(org["maud"]).get(reverse("assessments:assessment", args=[rating.pk]))
    assert "Acties van Anna in Q1 2027" in section(page, "previous-actions-section")


def test_what_became_of_it_shows_once_recorded(org, action, next_round, login):
    Action.objects.filter(pk=action.pk).update(
        outcome="partly", outcome_note="Lukt op drukke dagen niet", outcome_at=timezone.now()
    )
    page = section(login(org["maud"]).get(result(next_round, org["anna"])))
    assert "Wat ervan terechtkwam:" in page and "deels" in page
    assert "Lukt op drukke dagen niet" in page
    assert "Wijzig wat ervan terechtkwam" in page


def test_the_form_of_a_first_round_shows_nothing(org, first_round, login):
    own = Assessment.objects.get(round=first_round, assessor=org["anna"])
    page = login(org["anna"]).get(reverse("assessments:assessment", args=[own.pk]))
    assert "previous-actions-section" not in page.text


def home(client):
    return client.get(reverse("assessments:home"))


def test_the_home_page_invites_to_propose_after_a_result(org, first_round, login):
    page = section(home(login(org["anna"])), "my-actions")
    assert "Je resultaat van Q1 2027 is binnen." in page
    assert result(first_round, org["anna"]) + "#development-actions" in page


def test_the_home_page_lists_the_persons_open_actions(org, action, login):
    page = section(home(login(org["anna"])), "my-actions")
    assert action.description in page and "voorgesteld, nog niet bevestigd" in page
    assert "Je resultaat van" not in page  # she has proposed already


def test_the_managers_home_lists_the_teams_actions_that_are_due(org, first_round, login):
    proposal = propose(first_round, org["anna"], days=100, text="Voorstel")
    soon = propose(first_round, org["anna"], by=org["maud"], days=5, text="Binnenkort")
    later = propose(first_round, org["anna"], by=org["maud"], days=100, text="Later")
    Action.objects.filter(pk=soon.pk).update(due_on=timezone.localdate() - datetime.timedelta(1))
    page = section(home(login(org["maud"])), "team-actions")
    assert "Acties van je team die eraan komen" in page
    assert proposal.description in page and "te bevestigen" in page
    assert soon.description in page and "over de datum" in page
    assert later.description not in page
    # Otto manages another team; Bram is Anna's teammate.
    assert "team-actions" not in home(login(org["otto"])).text
    assert "team-actions" not in home(login(org["bram"])).text


def test_followed_up_actions_leave_the_home_pages(org, action, login):
    Action.objects.filter(pk=action.pk).update(outcome="done", outcome_at=timezone.now())
    assert action.description not in home(login(org["anna"])).text
    assert action.description not in home(login(org["maud"])).text


def test_the_sections_read_in_english(org, action, next_round, login):
    client = login(org["anna"])
    client.cookies["django_language"] = "en"
    page = section(client.get(result(next_round, org["anna"])))
    assert "What became of the actions of Q1 2027" in page
    assert "proposed, not confirmed yet" in page


def test_the_invitation_is_for_the_latest_result_the_person_submitted(
    org, first_round, next_round, login, framework
):
    from tests.development.conftest import SELF, submit

    client = login(org["anna"])
    assert "Je resultaat van Q1 2027 is binnen." in section(home(client), "my-actions")
    submit(next_round, org["anna"], org["anna"], framework, SELF)
    assert "Je resultaat van Q2 2027 is binnen." in section(home(client), "my-actions")


def test_the_persons_own_page_lists_their_actions_over_the_rounds(first_round, org, login):
    propose(first_round, org["anna"], text="Klanten zelf terugbellen")
    page = login(org["anna"]).get(reverse("history:mine")).text
    assert "Je ontwikkelacties" in page and "Klanten zelf terugbellen" in page
    assert "Klanten zelf terugbellen" not in login(org["bram"]).get(reverse("history:mine")).text
