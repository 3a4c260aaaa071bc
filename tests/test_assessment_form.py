"""Filling in an assessment: drafts that are never lost, submit once, read-only afterwards."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Assessment, Indicator, LevelResult, Rating, ReflectionAnswer
from tests.conftest import all_answers
from tests.form_page import form_fields

pytestmark = pytest.mark.django_db

# The first 16 hex digits of sha256("Bel"): what the page says about the text it started from.
FINGERPRINT_BEL = "23a6a75bfbaa0f9c"


@pytest.fixture
def own(dev_round, org):
    return Assessment.objects.get(round=dev_round, subject=org["anna"], assessor=org["anna"])


def url(assessment):
    return reverse("assessments:assessment", args=[assessment.pk])


def autosave_url(assessment):
    return reverse("assessments:autosave", args=[assessment.pk])


def post(client, assessment, data, action="save"):
    return client.post(url(assessment), {"action": action, **data})


def indicators(framework):
    return list(
        Indicator.objects.filter(level__framework=framework).order_by("level__number", "position")
    )


def stored(assessment) -> dict[int, str]:
    """indicator id -> "1".."5" or "na", for the answered ratings."""
    return {
        r.indicator_id: "na" if r.cannot_rate else str(r.value)
        for r in Rating.objects.filter(assessment=assessment)
        if r.cannot_rate or r.value is not None
    }


def reflections(assessment) -> dict[int, str]:
    return dict(
        ReflectionAnswer.objects.filter(assessment=assessment).values_list("question_id", "text")
    )


def test_the_form_groups_indicators_by_level_with_scale_and_cannot_rate(own, org, login):
    page = login(org["anna"]).get(url(own))
    assert page.status_code == 200
    assert "Niveau 1: Opvolgen" in page.text
    assert "Opvolgen" in page.text and "Volgt op na vragen of klachten van klanten<" in page.text
    assert "1 Nooit" in page.text and "5 Altijd" in page.text
    assert "Kan ik niet beoordelen" in page.text
    assert "interne barrières" in page.text  # reflection questions end a self-assessment
    assert "0</span> / 21" in page.text
    assert page.text.count(">Antwoord wissen<") == 21


def test_each_field_carries_the_value_the_page_was_rendered_with(own, org, login, framework):
    one, two = indicators(framework)[:2]
    question = framework.questions.order_by("position").first()
    Rating.objects.create(assessment=own, indicator=one, value=3, example="Bel")
    Rating.objects.create(assessment=own, indicator=two, cannot_rate=True)
    ReflectionAnswer.objects.create(assessment=own, question=question, text="Bel")
    fields = form_fields(login(org["anna"]).get(url(own)).text)
    assert (fields[f"r{one.pk}"], fields[f"b-r{one.pk}"]) == ("3", "3")
    assert (fields[f"r{two.pk}"], fields[f"b-r{two.pk}"]) == ("na", "na")
    assert (fields[f"e{one.pk}"], fields[f"b-e{one.pk}"]) == ("Bel", FINGERPRINT_BEL)
    assert (fields[f"q{question.pk}"], fields[f"b-q{question.pk}"]) == ("Bel", FINGERPRINT_BEL)
    three = indicators(framework)[2]
    assert f"r{three.pk}" not in fields  # no radio checked
    assert (fields[f"b-r{three.pk}"], fields[f"e{three.pk}"], fields[f"b-e{three.pk}"]) == (
        "",
        "",
        "",
    )


def test_autosave_stores_just_the_fields_sent(own, org, login, framework):
    client = login(org["anna"])
    one, two = indicators(framework)[:2]
    response = client.post(autosave_url(own), {f"r{one.pk}": "5", f"e{two.pk}": "Bel"})
    assert response.status_code == 200
    assert response.json()["bases"] == {f"r{one.pk}": "5", f"e{two.pk}": FINGERPRINT_BEL}
    assert response.json()["merged"] == {}
    assert stored(own) == {one.pk: "5"}
    assert Rating.objects.get(assessment=own, indicator=two).example == "Bel"
    # A second tab saving another field keeps the first one's answers.
    client.post(autosave_url(own), {f"r{two.pk}": "na"})
    assert stored(own) == {one.pk: "5", two.pk: "na"}
    assert Rating.objects.get(assessment=own, indicator=two).example == "Bel"


def test_a_reload_finds_the_draft(own, org, login, framework):
    client = login(org["anna"])
    one = indicators(framework)[0]
    post(client, own, {f"r{one.pk}": "3", f"e{one.pk}": "Klant teruggebeld"})
    page = client.get(url(own))
    assert f'value="3" id="id_r{one.pk}_2" checked' in page.text
    assert "Klant teruggebeld" in page.text


def test_an_out_of_range_score_is_refused_and_everything_typed_is_kept(own, org, login, framework):
    client = login(org["anna"])
    one, two = indicators(framework)[:2]
    response = post(client, own, {f"r{one.pk}": "9", f"e{two.pk}": "Mijn voorbeeld"})
    assert response.status_code == 400
    assert "Mijn voorbeeld" in response.text
    assert 'data-unsaved="true"' in response.text  # the script keeps its local copy
    assert not Rating.objects.filter(assessment=own).exists()


def test_an_unknown_indicator_is_refused_and_nothing_stored(own, org, login, framework):
    client = login(org["anna"])
    one = indicators(framework)[0]
    response = post(client, own, {f"r{one.pk}": "4", "r999999": "4"})
    assert response.status_code == 400
    assert not Rating.objects.filter(assessment=own).exists()
    for data in ({"r999999": "4"}, {"b-e999999": "x"}, {"clear": "999999"}, {"clear": "x"}):
        assert client.post(autosave_url(own), data).status_code == 400, data
    assert not Rating.objects.filter(assessment=own).exists()


def test_fields_naming_who_or_which_round_are_ignored(own, org, login, framework, dev_round):
    client = login(org["anna"])
    one = indicators(framework)[0]
    post(client, own, {f"r{one.pk}": "4", "subject": org["bram"].pk, "assessor": org["maud"].pk})
    own.refresh_from_db()
    assert (own.subject, own.assessor) == (org["anna"], org["anna"])
    assert Rating.objects.get(indicator=one).assessment == own


# --- Two tabs, one draft (issue 9, item 1) ---------------------------------------------------


def test_a_stale_tab_saving_one_example_keeps_every_answer_of_another_tab(
    own, org, login, framework
):
    """Tab B is opened and left; tab A answers all 21 and a reflection; in tab B one example
    is typed (autosaved), then "Concept opslaan": nothing of tab A's is lost."""
    client = login(org["anna"])
    tab_b = form_fields(client.get(url(own)).text)
    question = framework.questions.order_by("position").first()
    answers = all_answers(framework, value=4)
    assert client.post(autosave_url(own), answers).status_code == 200
    client.post(autosave_url(own), {f"q{question.pk}": "Via de klantpanels."})

    first = indicators(framework)[0]
    typed = client.post(
        autosave_url(own),
        {f"e{first.pk}": "Klant teruggebeld", f"b-e{first.pk}": tab_b[f"b-e{first.pk}"]},
    )
    tab_b[f"e{first.pk}"] = "Klant teruggebeld"
    tab_b[f"b-e{first.pk}"] = typed.json()["bases"][f"e{first.pk}"]  # as the script does
    response = post(client, own, tab_b)

    assert response.status_code == 302
    assert stored(own) == {int(name[1:]): "4" for name in answers}
    assert reflections(own) == {question.pk: "Via de klantpanels."}
    assert Rating.objects.get(assessment=own, indicator=first).example == "Klant teruggebeld"
    assert "Je concept is opgeslagen." in client.get(url(own)).text


def test_a_stale_tab_without_script_keeps_every_answer_of_another_tab(own, org, login, framework):
    client = login(org["anna"])
    tab_b = form_fields(client.get(url(own)).text)
    question = framework.questions.order_by("position").first()
    client.post(autosave_url(own), all_answers(framework, value=2))
    client.post(autosave_url(own), {f"q{question.pk}": "Via de klantpanels."})

    first, second = indicators(framework)[:2]
    tab_b[f"e{first.pk}"] = "Klant teruggebeld"
    tab_b[f"r{second.pk}"] = "5"
    assert post(client, own, tab_b).status_code == 302

    expected = dict.fromkeys((i.pk for i in indicators(framework)), "2")
    expected[second.pk] = "5"  # the one rating tab B changed: the latest click wins
    assert stored(own) == expected
    assert reflections(own) == {question.pk: "Via de klantpanels."}
    assert Rating.objects.get(assessment=own, indicator=first).example == "Klant teruggebeld"


def test_a_rating_the_page_did_not_change_is_not_written(own, org, login, framework):
    client = login(org["anna"])
    one = indicators(framework)[0]
    tab_b = form_fields(client.get(url(own)).text)
    tab_b[f"r{one.pk}"] = "3"
    post(client, own, tab_b)
    tab_b = form_fields(client.get(url(own)).text)  # shows 3
    client.post(autosave_url(own), {f"r{one.pk}": "5", f"b-r{one.pk}": "3"})  # another tab
    assert post(client, own, tab_b).status_code == 302  # still shows 3, unchanged there
    assert stored(own) == {one.pk: "5"}


def test_an_empty_rating_value_never_clears(own, org, login, framework):
    client = login(org["anna"])
    one = indicators(framework)[0]
    client.post(autosave_url(own), {f"r{one.pk}": "4"})
    assert client.post(autosave_url(own), {f"r{one.pk}": ""}).status_code == 200
    assert post(client, own, {f"r{one.pk}": "", f"b-r{one.pk}": "4"}).status_code == 302
    assert stored(own) == {one.pk: "4"}


def test_clear_answer_without_script_clears_that_rating_and_saves_the_rest(
    own, org, login, framework
):
    client = login(org["anna"])
    one, two = indicators(framework)[:2]
    client.post(autosave_url(own), {f"r{one.pk}": "4", f"r{two.pk}": "2", f"e{one.pk}": "Bel"})
    page = form_fields(client.get(url(own)).text)
    page[f"r{two.pk}"] = "3"  # changed in the page, not saved yet
    response = client.post(url(own), {**page, "clear": str(one.pk)})
    assert response.status_code == 302
    assert response["Location"] == f"{url(own)}#indicator-{one.pk}"
    assert stored(own) == {two.pk: "3"}
    assert Rating.objects.get(assessment=own, indicator=one).example == "Bel"  # stays
    assert "Het antwoord is gewist; je andere wijzigingen zijn opgeslagen." in (
        client.get(url(own)).text
    )


def test_autosave_clears_a_rating_only_when_told_to(own, org, login, framework):
    client = login(org["anna"])
    one, two = indicators(framework)[:2]
    client.post(autosave_url(own), {f"r{one.pk}": "na", f"r{two.pk}": "2"})
    response = client.post(autosave_url(own), {"clear": str(one.pk)})
    assert response.status_code == 200
    assert response.json()["bases"] == {f"r{one.pk}": ""}
    assert stored(own) == {two.pk: "2"}
    rating = Rating.objects.get(assessment=own, indicator=one)
    assert (rating.value, rating.cannot_rate) == (None, False)


def test_a_text_changed_in_another_tab_keeps_both_versions(own, org, login, framework):
    client = login(org["anna"])
    one = indicators(framework)[0]
    # Tab A saves an example; tab B, opened before, saves another one from the empty base.
    client.post(autosave_url(own), {f"e{one.pk}": "Bel", f"b-e{one.pk}": ""})
    response = client.post(autosave_url(own), {f"e{one.pk}": "Mail", f"b-e{one.pk}": ""})
    assert response.status_code == 200
    assert Rating.objects.get(assessment=own, indicator=one).example == "Bel\n\nMail"
    assert response.json()["merged"] == {f"e{one.pk}": "Bel\n\nMail"}
    assert response.json()["notice"].startswith("Een antwoord is intussen elders gewijzigd")
    # Sent again (the reply was lost), it is not added twice.
    again = client.post(autosave_url(own), {f"e{one.pk}": "Mail", f"b-e{one.pk}": ""})
    assert again.json()["merged"] == {f"e{one.pk}": "Bel\n\nMail"}
    assert Rating.objects.get(assessment=own, indicator=one).example == "Bel\n\nMail"


def test_a_reflection_changed_in_another_tab_is_merged_by_the_full_form_too(
    own, org, login, framework
):
    client = login(org["anna"])
    question = framework.questions.order_by("position").first()
    tab_b = form_fields(client.get(url(own)).text)
    client.post(autosave_url(own), {f"q{question.pk}": "Via de klantpanels."})
    tab_b[f"q{question.pk}"] = "Door mee te luisteren."
    assert post(client, own, tab_b).status_code == 302
    assert reflections(own) == {question.pk: "Via de klantpanels.\n\nDoor mee te luisteren."}
    page = client.get(url(own)).text
    assert "Beide versies zijn bewaard" in page


def test_emptying_a_text_empties_it_unless_it_changed_elsewhere(own, org, login, framework):
    client = login(org["anna"])
    one = indicators(framework)[0]
    question = framework.questions.order_by("position").first()
    client.post(autosave_url(own), {f"e{one.pk}": "Bel", f"q{question.pk}": "Bel"})
    # Emptied in a page that showed "Bel": emptied.
    response = client.post(
        autosave_url(own),
        {f"e{one.pk}": "", f"b-e{one.pk}": FINGERPRINT_BEL, f"q{question.pk}": ""},
    )
    assert response.json()["bases"] == {f"e{one.pk}": "", f"q{question.pk}": ""}
    assert Rating.objects.get(assessment=own, indicator=one).example == ""
    # Without a base the page showed nothing: emptying what it never showed changes nothing.
    assert reflections(own) == {question.pk: "Bel"}
    # Emptied in a page that showed an older text: the newer one stays.
    client.post(autosave_url(own), {f"e{one.pk}": "Mail"})
    client.post(autosave_url(own), {f"e{one.pk}": "", f"b-e{one.pk}": FINGERPRINT_BEL})
    assert Rating.objects.get(assessment=own, indicator=one).example == "Mail"


def test_line_breaks_from_a_browser_are_stored_as_one_character(own, org, login, framework):
    client = login(org["anna"])
    one = indicators(framework)[0]
    client.post(autosave_url(own), {f"e{one.pk}": "Bel\r\nMail"})
    assert Rating.objects.get(assessment=own, indicator=one).example == "Bel\nMail"


# --- Submit --------------------------------------------------------------------------------


def test_submit_is_refused_while_answers_are_missing_but_the_draft_is_kept(
    own, org, login, framework
):
    client = login(org["anna"])
    answers = all_answers(framework)
    missing = indicators(framework)[0]
    del answers[f"r{missing.pk}"]
    response = post(client, own, answers, action="submit")
    assert response.status_code == 400
    assert "bij 1 gedraging ontbreekt nog een antwoord" in response.text
    assert "Kan ik niet beoordelen" in response.text
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


def test_a_stale_tab_submits_what_the_other_tab_answered(own, org, login, framework):
    client = login(org["anna"])
    tab_b = form_fields(client.get(url(own)).text)
    client.post(autosave_url(own), all_answers(framework, value=5))
    assert post(client, own, tab_b, action="submit").status_code == 302
    own.refresh_from_db()
    assert own.is_submitted and own.attained_level == 5
    assert set(stored(own).values()) == {"5"} and len(stored(own)) == 21


def test_reflection_answers_are_stored_with_the_self_assessment(own, org, login, framework):
    client = login(org["anna"])
    question = framework.questions.first()
    post(client, own, {f"q{question.pk}": "Ik spreek klanten op de beurs."})
    assert reflections(own) == {question.pk: "Ik spreek klanten op de beurs."}


def test_after_submit_the_form_is_read_only(own, org, login, framework):
    client = login(org["anna"])
    post(client, own, all_answers(framework), action="submit")
    page = client.get(url(own))
    assert "<fieldset disabled>" in page.text
    assert ">Antwoord wissen<" not in page.text
    assert post(client, own, all_answers(framework, 2)).status_code == 409
    auto = client.post(autosave_url(own), all_answers(framework, 2))
    assert auto.status_code == 409
    assert (
        auto.json()["error"] == "Deze beoordeling is ingediend en kan niet meer worden gewijzigd."
    )
    assert (
        client.post(autosave_url(own), {"clear": str(indicators(framework)[0].pk)}).status_code
        == 409
    )
    assert set(stored(own).values()) == {"4"} and len(stored(own)) == 21


def test_after_the_close_date_nothing_can_change(own, org, login, framework, dev_round):
    dev_round.closes_on = dev_round.opens_on + datetime.timedelta(days=1)
    dev_round.save()
    client = login(org["anna"])
    response = post(client, own, all_answers(framework), action="submit")
    assert response.status_code == 403
    assert "niet open" in response.text
    auto = client.post(autosave_url(own), all_answers(framework))
    assert auto.status_code == 403
    assert auto.json()["error"] == "De ronde is niet open: er kan nu niets worden gewijzigd."
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
    assert client.post(autosave_url(own), {}).status_code == 302
