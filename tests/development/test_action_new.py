"""Proposing or adding an action: who may, which behaviours, which dates, how many."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from development.models import Action
from tests.development.conftest import indicator, make_dev_round, propose

pytestmark = pytest.mark.django_db

ACCESS = {"anna": 200, "maud": 200, "hanna": 403, "bram": 404, "otto": 404, "xander": 404}


def url(round_, person):
    return reverse("development:action_new", args=[round_.pk, person.pk])


def data(framework, *, level=2, position=1, days=14, text="Klachten zelf terugbellen", **extra):
    due = timezone.localdate() + datetime.timedelta(days=days)
    return {
        "indicators": [indicator(framework, level, position).pk],
        "description": text,
        "due_on": due.isoformat(),
        **extra,
    }


@pytest.mark.parametrize("persona, status", ACCESS.items())
def test_who_opens_the_form(org, first_round, login, persona, status):
    assert login(org[persona]).get(url(first_round, org["anna"])).status_code == status


@pytest.mark.parametrize("persona, status", ACCESS.items())
def test_who_may_post_it(org, first_round, login, framework, persona, status):
    response = login(org[persona]).post(url(first_round, org["anna"]), data(framework))
    assert response.status_code == (302 if status == 200 else status)
    assert Action.objects.count() == (1 if status == 200 else 0)


def test_anonymous_is_sent_to_login(org, first_round, client, framework):
    response = client.post(url(first_round, org["anna"]), data(framework))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Action.objects.exists()


def test_the_form_offers_the_bottleneck_behaviours_with_the_suggestions(
    org, first_round, login, framework
):
    page = login(org["anna"]).get(url(first_round, org["anna"]))
    # Maud's rating is shown to Anna: level 2 holds her back there.
    assert "Volgens de beoordeling door de leidinggevende:" in page.text
    assert "niveau 2, ‘Onderhouden van duidelijke communicatie’, is de volgende stap" in page.text
    offered = page.context["form"].fields["indicators"].queryset
    assert {i.level.number for i in offered} == {2} and len(offered) == 5
    assert page.text.count("ontwikkelpunt</span>") == 3  # the three development points


def test_the_person_proposes(org, first_round, login, framework):
    response = login(org["anna"]).post(url(first_round, org["anna"]), data(framework), follow=True)
    action = Action.objects.get()
    assert (action.person, action.round, action.team) == (org["anna"], first_round, org["noord"])
    assert action.status == "proposed" and action.proposed_by == org["anna"]
    assert [i.pk for i in action.indicators.all()] == [indicator(framework, 2, 1).pk]
    assert "Je actie is voorgesteld; je leidinggevende bevestigt haar." in response.text
    assert response.redirect_chain[-1][0].endswith("#development-actions")


def test_the_manager_adds_an_agreed_action(org, first_round, login, framework):
    response = login(org["maud"]).post(url(first_round, org["anna"]), data(framework), follow=True)
    assert Action.objects.get().status == "agreed"
    assert "De actie is toegevoegd en afgesproken." in response.text


def test_an_action_may_work_on_several_behaviours(org, first_round, login, framework):
    posted = data(framework)
    posted["indicators"] += [indicator(framework, 2, 3).pk]
    assert login(org["anna"]).post(url(first_round, org["anna"]), posted).status_code == 302
    assert Action.objects.get().indicators.count() == 2


INVALID = {
    "no behaviour": ({"indicators": []}, "Kies minstens één gedraging."),
    "a behaviour of another level": ({"level": 4}, "Selecteer een geldige keuze."),
    "not a behaviour": ({"indicators": ["x"]}, "Selecteer een geldige keuze."),
    "an unknown behaviour": ({"indicators": [999999]}, "Selecteer een geldige keuze."),
    "no description": ({"text": "   "}, "Dit veld is verplicht."),
    "a long description": ({"text": "x" * 501}, "niet meer dan 500 tekens"),
    "a date in the past": ({"days": -1}, "De datum kan niet in het verleden liggen."),
    "a date too far ahead": ({"days": 400}, "Kies een datum binnen een jaar."),
    "not a date": ({"due_on": "31-02-2027"}, "Voer een geldige datum in."),
}


@pytest.mark.parametrize("case", INVALID)
def test_bad_input_is_a_400_with_a_reason(org, first_round, login, framework, case):
    changes, message = INVALID[case]
    posted = data(framework, **{k: v for k, v in changes.items() if k in ("level", "days", "text")})
    posted.update({k: v for k, v in changes.items() if k in ("indicators", "due_on")})
    response = login(org["anna"]).post(url(first_round, org["anna"]), posted)
    assert response.status_code == 400
    assert message in response.text
    assert "Niet alles is goed ingevuld" in response.text
    assert not Action.objects.exists()


def test_a_fourth_action_is_refused_with_a_reason(org, first_round, login, framework):
    for _ in range(3):
        propose(first_round, org["anna"])
    client = login(org["maud"])
    page = client.get(url(first_round, org["anna"]))
    assert page.status_code == 409
    assert "Er zijn al 3 acties voor deze ronde: er worden er hoogstens 3 afgesproken" in page.text
    assert client.post(url(first_round, org["anna"]), data(framework)).status_code == 409
    assert Action.objects.count() == 3


def test_the_limit_reads_in_english_too(org, first_round, login, framework):
    for _ in range(3):
        propose(first_round, org["anna"])
    client = login(org["anna"])
    page = client.get(url(first_round, org["anna"]), headers={"accept-language": "en"})
    assert "There are already 3 actions for this round: at most 3 are agreed" in page.text


def test_no_action_before_the_self_assessment_is_submitted(org, first_round, login, framework):
    later = make_dev_round(org, framework, name="Q2", opens=0, closes=30)
    client = login(org["anna"])
    page = client.get(url(later, org["anna"]))
    assert page.status_code == 409
    assert "zodra de zelfbeoordeling van deze ronde is ingediend" in page.text
    assert client.post(url(later, org["anna"]), data(framework)).status_code == 409


def test_a_pulse_round_has_no_actions(org, framework, login, pulse_round):
    assert login(org["anna"]).get(url(pulse_round, org["anna"])).status_code == 404


def test_an_unknown_round_or_person_is_a_404(org, first_round, login):
    client = login(org["hanna"])
    assert (
        client.get(reverse("development:action_new", args=[999, org["anna"].pk])).status_code == 404
    )
    assert (
        client.get(reverse("development:action_new", args=[first_round.pk, 999])).status_code == 404
    )


def test_a_post_without_the_csrf_token_is_refused(org, first_round, framework):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["anna"])
    assert client.post(url(first_round, org["anna"]), data(framework)).status_code == 403
    assert not Action.objects.exists()


def test_a_former_manager_of_the_team_gets_404(org, first_round, login, framework):
    from assessments.models import Membership

    Membership.objects.filter(person=org["maud"]).end(timezone.localdate())
    assert login(org["maud"]).get(url(first_round, org["anna"])).status_code == 404


def test_no_marks_when_every_behaviour_offered_is_a_development_point(framework):
    from assessments.models import Level
    from development.forms import ActionForm
    from development.services import Basis

    level = Level.objects.get(framework=framework, number=4)  # three behaviours
    behaviours = list(level.indicators.all())
    every = Basis("self", level, behaviours, [i.pk for i in behaviours])
    form = ActionForm(basis=every, today=timezone.localdate())
    assert not form.marks_suggestions
    assert [marked for _, _, marked in form.indicator_rows()] == [False] * 3
    some = Basis("self", level, behaviours, [behaviours[1].pk])
    form = ActionForm(basis=some, today=timezone.localdate())
    assert [marked for _, _, marked in form.indicator_rows()] == [False, True, False]


def test_the_manager_is_asked_what_the_person_will_do(org, first_round, login):
    page = login(org["maud"]).get(url(first_round, org["anna"]))
    assert "Wat gaat Anna doen?" in page.text
    assert "Voeg een ontwikkelactie toe voor Anna" in page.text
