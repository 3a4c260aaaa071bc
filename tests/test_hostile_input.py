"""Hostile input: no server error for any form or query parameter, nothing written for what
is rejected, and markup from the model or the organisation escaped everywhere."""

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Assessment, Indicator, Rating, ReflectionAnswer, Team
from assessments.people_import import people_import
from assessments.services import Answers, assessment_submit

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
text = st.text(max_size=30)


def form_data(framework):
    ids = list(Indicator.objects.filter(level__framework=framework).values_list("pk", flat=True))
    questions = list(framework.questions.values_list("pk", flat=True))
    names = st.one_of(
        st.sampled_from([f"r{i}" for i in ids] + [f"e{i}" for i in ids]),
        st.sampled_from([f"q{q}" for q in questions] + ["revision", "action", "subject"]),
        st.from_regex(r"[req][0-9]{1,7}", fullmatch=True),
        text,
    )
    values = st.one_of(
        st.sampled_from(["1", "3", "5", "na", "0", "6", "-1", "", "save", "submit"]),
        text,
        st.integers().map(str),
    )
    return st.dictionaries(names, values, max_size=12)


def rows():
    return (
        Rating.objects.count(),
        ReflectionAnswer.objects.count(),
        Assessment.objects.filter(status="submitted").count(),
    )


@pytest.fixture
def own(dev_round, org):
    return Assessment.objects.get(round=dev_round, subject=org["anna"], perspective="self")


def test_the_form_never_errors_and_writes_nothing_it_rejects(own, org, framework, client):
    client.force_login(org["anna"])

    @FUZZ
    @given(form_data(framework))
    def check(data):
        before = rows()
        response = client.post(reverse("assessments:assessment", args=[own.pk]), data)
        assert response.status_code in (200, 302, 400, 403, 409)
        if response.status_code == 400 and "action" in data and data["action"] == "submit":
            pass  # an incomplete submit keeps the draft: that is a save, not a rejection
        elif response.status_code >= 400:
            assert rows() == before

    check()


def test_autosave_never_errors_and_writes_nothing_it_rejects(own, org, framework, client):
    client.force_login(org["anna"])

    @FUZZ
    @given(form_data(framework))
    def check(data):
        before = rows()
        response = client.post(reverse("assessments:autosave", args=[own.pk]), data)
        assert response.status_code in (200, 400, 409)
        if response.status_code >= 400:
            assert rows() == before

    check()


def test_dashboard_parameters_never_error(dev_round, org, client):
    client.force_login(org["hanna"])
    urls = [
        reverse("figures:team_dashboard", args=[org["noord"].pk]),
        reverse("figures:organisation"),
        reverse("figures:organisation_export_csv"),
        reverse("figures:team_export_xlsx", args=[org["noord"].pk]),
    ]
    params = st.dictionaries(
        st.sampled_from(["round", "perspective", "department", "x"]),
        st.one_of(text, st.integers().map(str), st.just(str(dev_round.pk))),
        max_size=3,
    )

    @FUZZ
    @given(st.sampled_from(urls), params)
    def check(url, query):
        assert client.get(url, query).status_code in (200, 404)

    check()


@FUZZ
@given(st.binary(max_size=400))
def test_the_csv_import_never_raises_on_garbage(data):
    result = people_import(data=data)
    assert result.ok or all(error.reason for error in result.errors)


MARKUP = '<script>alert("x")</script><b>vet</b>'


def test_markup_in_model_and_team_texts_is_escaped_everywhere(org, framework, login):
    from tests.conftest import make_round

    Indicator.objects.filter(level__framework=framework, position=1).update(
        text_nl=MARKUP, text_en=MARKUP
    )
    Team.objects.filter(pk=org["noord"].pk).update(name=MARKUP)
    round_ = make_round(org, framework)
    choices = dict.fromkeys(
        Indicator.objects.filter(level__framework=framework).values_list("pk", flat=True), 4
    )
    for assessment in Assessment.objects.filter(round=round_, team=org["noord"]):
        assessment_submit(assessment=assessment, answers=Answers(choices=choices))
    own = Assessment.objects.get(round=round_, subject=org["anna"], perspective="self")
    client = login(org["maud"])
    pages = [
        reverse("assessments:model"),
        reverse("assessments:home"),
        reverse("assessments:result", args=[round_.pk, org["anna"].pk]),
        reverse("figures:team_dashboard", args=[org["noord"].pk]),
        reverse("figures:organisation"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert MARKUP not in body, url
        assert "<script>alert" not in body, url
    body = login(org["anna"]).get(reverse("assessments:assessment", args=[own.pk])).text
    assert "<script>alert" not in body and "&lt;script&gt;" in body
    export = client.get(reverse("figures:team_export_csv", args=[org["noord"].pk]))
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body), delimiter=";") for cell in row]
    # CSV carries the text as it is (after the behaviour's number): it is data, not markup.
    assert "1.1 " + MARKUP in cells


def test_the_login_and_language_forms_never_error(org, client):
    fields = st.dictionaries(
        st.sampled_from(["username", "password", "next", "language", "csrfmiddlewaretoken"]),
        st.one_of(text, st.sampled_from(["anna", "nl", "en", "xx", "//evil.example", "/"])),
        max_size=4,
    )

    @FUZZ
    @given(st.sampled_from([reverse("login"), reverse("set_language")]), fields)
    def check(url, data):
        response = client.post(url, data)
        assert response.status_code in (200, 204, 302, 400, 429)
        if response.status_code == 302:
            assert not response["Location"].startswith("//evil")

    check()
