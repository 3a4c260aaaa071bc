"""Filling in an assessment: drafts that are never lost, submit once, read-only afterwards."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Assessment, Indicator, LevelResult, Rating, ReflectionAnswer
from tests.conftest import all_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(dev_round, org):
    return Assessment.objects.get(round=dev_round, subject=org["anna"], assessor=org["anna"])


def url(assessment):
    return reverse("assessments:assessment", args=[assessment.pk])


def post(client, assessment, data, action="save"):
    assessment.refresh_from_db()
    return client.post(url(assessment), {"revision": assessment.revision, "action": action, **data})


def first_indicator(framework):
    return Indicator.objects.filter(level__framework=framework).order_by(
        "level__number", "position"
    )


def test_the_form_groups_indicators_by_level_with_scale_and_cannot_rate(own, org, login):
    page = login(org["anna"]).get(url(own))
    assert page.status_code == 200
    assert "Niveau 1: Opvolgen" in page.text
    assert "Opvolgen" in page.text and "Volgt op na vragen of klachten van klanten;" in page.text
    assert "1 Nooit" in page.text and "5 Altijd" in page.text
    assert "Kan ik niet beoordelen" in page.text
    assert "interne barrières" in page.text  # reflection questions end a self-assessment
    assert "0</span> / 21" in page.text


def test_autosave_stores_just_the_fields_sent(own, org, login, framework):
    client = login(org["anna"])
    one, two = first_indicator(framework)[:2]
    response = client.post(
        reverse("assessments:autosave", args=[own.pk]), {f"r{one.pk}": "5", f"e{two.pk}": "Bel"}
    )
    assert response.status_code == 200
    assert response.json()["answered"] == 1
    assert Rating.objects.get(assessment=own, indicator=one).value == 5
    assert Rating.objects.get(assessment=own, indicator=two).example == "Bel"
    # A second tab saving another field keeps the first one's answers.
    client.post(reverse("assessments:autosave", args=[own.pk]), {f"r{two.pk}": "na"})
    assert Rating.objects.get(assessment=own, indicator=one).value == 5
    two_rating = Rating.objects.get(assessment=own, indicator=two)
    assert two_rating.cannot_rate and two_rating.example == "Bel"


def test_a_reload_finds_the_draft(own, org, login, framework):
    client = login(org["anna"])
    one = first_indicator(framework)[0]
    post(client, own, {f"r{one.pk}": "3", f"e{one.pk}": "Klant teruggebeld"})
    page = client.get(url(own))
    assert f'value="3" id="id_r{one.pk}_2" checked' in page.text
    assert "Klant teruggebeld" in page.text


def test_an_out_of_range_score_is_refused_and_everything_typed_is_kept(own, org, login, framework):
    client = login(org["anna"])
    one, two = first_indicator(framework)[:2]
    response = post(client, own, {f"r{one.pk}": "9", f"e{two.pk}": "Mijn voorbeeld"})
    assert response.status_code == 400
    assert "Mijn voorbeeld" in response.text
    assert not Rating.objects.filter(assessment=own).exists()


def test_an_unknown_indicator_is_refused_and_nothing_stored(own, org, login, framework):
    client = login(org["anna"])
    one = first_indicator(framework)[0]
    response = post(client, own, {f"r{one.pk}": "4", "r999999": "4"})
    assert response.status_code == 400
    assert not Rating.objects.filter(assessment=own).exists()
    auto = client.post(reverse("assessments:autosave", args=[own.pk]), {"r999999": "4"})
    assert auto.status_code == 400


def test_a_tampered_revision_is_a_400(own, org, login, framework):
    client = login(org["anna"])
    one = first_indicator(framework)[0]
    response = client.post(url(own), {"revision": "abc", "action": "save", f"r{one.pk}": "4"})
    assert response.status_code == 400
    assert not Rating.objects.filter(assessment=own).exists()


def test_fields_naming_who_or_which_round_are_ignored(own, org, login, framework, dev_round):
    client = login(org["anna"])
    one = first_indicator(framework)[0]
    post(client, own, {f"r{one.pk}": "4", "subject": org["bram"].pk, "assessor": org["maud"].pk})
    own.refresh_from_db()
    assert (own.subject, own.assessor) == (org["anna"], org["anna"])
    assert Rating.objects.get(indicator=one).assessment == own


def test_a_stale_draft_from_another_tab_is_not_silently_overwritten(own, org, login, framework):
    client = login(org["anna"])
    one = first_indicator(framework)[0]
    stale = own.revision
    client.post(reverse("assessments:autosave", args=[own.pk]), {f"r{one.pk}": "5"})
    response = client.post(url(own), {"revision": stale, "action": "save", f"r{one.pk}": "2"})
    assert response.status_code == 409
    assert Rating.objects.get(indicator=one).value == 5
    assert f'value="2" id="id_r{one.pk}_1" checked' in response.text  # what was typed is shown


def test_submit_is_refused_while_answers_are_missing_but_the_draft_is_kept(
    own, org, login, framework
):
    client = login(org["anna"])
    answers = all_answers(framework)
    missing = first_indicator(framework)[0]
    del answers[f"r{missing.pk}"]
    response = post(client, own, answers, action="submit")
    assert response.status_code == 400
    assert "1 " in response.text and "Kan ik niet beoordelen" in response.text
    own.refresh_from_db()
    assert own.status == Assessment.Status.DRAFT
    assert Rating.objects.filter(assessment=own, value=4).count() == 20


def test_submit_scores_the_assessment_once(own, org, login, framework):
    client = login(org["anna"])
    response = post(client, own, all_answers(framework), action="submit")
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == Assessment.Status.SUBMITTED
    assert own.attained_level == 5
    assert LevelResult.objects.filter(assessment=own, met=True).count() == 5
    again = post(client, own, all_answers(framework, value=1), action="submit")
    assert again.status_code == 302
    assert Assessment.objects.filter(round=own.round, assessor=org["anna"]).count() == 1
    assert LevelResult.objects.filter(assessment=own).count() == 5
    assert not Rating.objects.filter(assessment=own, value=1).exists()


def test_reflection_answers_are_stored_with_the_self_assessment(own, org, login, framework):
    client = login(org["anna"])
    question = framework.questions.first()
    post(client, own, {f"q{question.pk}": "Ik spreek klanten op de beurs."})
    assert ReflectionAnswer.objects.get(assessment=own).text == "Ik spreek klanten op de beurs."


def test_after_submit_the_form_is_read_only(own, org, login, framework):
    client = login(org["anna"])
    post(client, own, all_answers(framework), action="submit")
    page = client.get(url(own))
    assert "<fieldset disabled>" in page.text
    assert post(client, own, all_answers(framework, 2)).status_code == 409
    auto = client.post(reverse("assessments:autosave", args=[own.pk]), all_answers(framework, 2))
    assert auto.status_code == 409
    assert not Rating.objects.filter(assessment=own, value=2).exists()


def test_after_the_close_date_nothing_can_change(own, org, login, framework, dev_round):
    dev_round.closes_on = dev_round.opens_on + datetime.timedelta(days=1)
    dev_round.save()
    client = login(org["anna"])
    response = post(client, own, all_answers(framework), action="submit")
    assert response.status_code == 403
    assert "niet open" in response.text
    auto = client.post(reverse("assessments:autosave", args=[own.pk]), all_answers(framework))
    assert auto.status_code == 409
    assert not Rating.objects.filter(assessment=own).exists()
    assert "<fieldset disabled>" in client.get(url(own)).text


def test_a_manager_rates_a_member_without_reflection_questions(dev_round, org, login, framework):
    rating = Assessment.objects.get(round=dev_round, subject=org["anna"], assessor=org["maud"])
    client = login(org["maud"])
    page = client.get(url(rating))
    assert page.status_code == 200
    assert "interne barrières" not in page.text
    assert post(client, rating, all_answers(framework, 3), action="submit").status_code == 302
    rating.refresh_from_db()
    assert rating.is_submitted and rating.attained_level == 0


def test_an_expired_session_sends_to_login_and_keeps_the_way_back(own, client):
    response = client.get(url(own))
    assert response.status_code == 302
    assert "next=" in response["Location"]
    assert client.post(reverse("assessments:autosave", args=[own.pk]), {}).status_code == 302
