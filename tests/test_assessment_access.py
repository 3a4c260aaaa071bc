"""Who may open which assessment and result: every URL for every kind of person."""

import pytest
from django.urls import reverse

from assessments.models import Assessment
from tests.conftest import all_answers

pytestmark = pytest.mark.django_db

PERSONAS = ["anna", "bram", "maud", "otto", "hanna", "xander"]


def submit_all(dev_round, framework):
    from assessments.services import Answers, assessment_submit

    answers = Answers(choices={int(k[1:]): v for k, v in all_answers(framework).items()})
    for assessment in Assessment.objects.filter(round=dev_round, team__name="Noord"):
        assessment_submit(assessment=assessment, answers=answers)


@pytest.mark.parametrize("persona, status", [(p, 200 if p == "anna" else 404) for p in PERSONAS])
def test_only_the_person_fills_in_their_self_assessment(dev_round, org, login, persona, status):
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self")
    client = login(org[persona])
    assert client.get(reverse("assessments:assessment", args=[own.pk])).status_code == status
    autosave = client.post(reverse("assessments:autosave", args=[own.pk]), {})
    assert autosave.status_code == status


@pytest.mark.parametrize("persona, status", [(p, 200 if p == "maud" else 404) for p in PERSONAS])
def test_only_the_manager_fills_in_their_rating_of_a_member(dev_round, org, login, persona, status):
    rating = Assessment.objects.get(round=dev_round, subject=org["anna"], assessor=org["maud"])
    client = login(org[persona])
    assert client.get(reverse("assessments:assessment", args=[rating.pk])).status_code == status


RESULT_ACCESS = {
    "anna": 200,  # her own
    "bram": 404,  # a teammate
    "maud": 200,  # her manager
    "otto": 404,  # manager of another team
    "hanna": 200,  # HR
    "xander": 404,  # an outsider
}


@pytest.mark.parametrize("persona, status", RESULT_ACCESS.items())
def test_who_reads_a_result_in_a_development_round(
    dev_round, org, login, framework, persona, status
):
    submit_all(dev_round, framework)
    url = reverse("assessments:result", args=[dev_round.pk, org["anna"].pk])
    assert login(org[persona]).get(url).status_code == status


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_pulse_result_is_shown_to_nobody_but_the_person(pulse_round, org, login, persona):
    url = reverse("assessments:result", args=[pulse_round.pk, org["anna"].pk])
    expected = 200 if persona == "anna" else 404
    assert login(org[persona]).get(url).status_code == expected


def test_a_pulse_round_has_no_manager_ratings(pulse_round):
    assert not Assessment.objects.filter(round=pulse_round, perspective="manager").exists()
    assert Assessment.objects.filter(round=pulse_round, perspective="self").count() == 3


def test_anonymous_is_sent_to_login_everywhere(dev_round, org, client):
    own = Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self")
    for url in [
        reverse("assessments:home"),
        reverse("assessments:assessment", args=[own.pk]),
        reverse("assessments:result", args=[dev_round.pk, org["anna"].pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_round_or_person_is_a_404(dev_round, org, login):
    client = login(org["hanna"])
    assert client.get(reverse("assessments:result", args=[999, org["anna"].pk])).status_code == 404
    assert client.get(reverse("assessments:result", args=[dev_round.pk, 999])).status_code == 404
