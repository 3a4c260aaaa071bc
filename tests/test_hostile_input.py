"""Hostile input: no server error for any form or query parameter, nothing written for what
is rejected, and markup from the model or the organisation escaped everywhere."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import (
    Assessment,
    Department,
    Indicator,
    Membership,
    Rating,
    ReflectionAnswer,
    Team,
)
from assessments.people_import import people_import
from assessments.services import Answers, assessment_submit

User = get_user_model()
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


def imported() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        Department.objects.count(),
        Team.objects.count(),
        Membership.objects.count(),
    )


def forget_the_organisation() -> None:
    """Hypothesis runs its examples in one test, and so in one database transaction."""
    Membership.objects.all().delete()
    User.objects.all().delete()
    Team.objects.all().delete()
    Department.objects.filter(parent__isnull=False).delete()
    Department.objects.all().delete()


@FUZZ
@given(st.binary(max_size=400))
def test_the_csv_import_never_raises_on_garbage(data):
    forget_the_organisation()
    result = people_import(data=data)
    if not result.ok:
        assert imported() == (0, 0, 0, 0)
        lines = data.count(b"\n") + 1
        assert all(error.reason and 0 <= error.line <= lines for error in result.errors)


TEAMS = [  # (department as the file writes it, its path, team)
    ("Klantcontact", ("Klantcontact",), "Noord"),
    ("Klantcontact", ("Klantcontact",), "Zuid"),
    ("Bedrijfsvoering / Financiën", ("Bedrijfsvoering", "Financiën"), "Facturatie"),
    ("Bedrijfsvoering", ("Bedrijfsvoering",), "Servicedesk ICT"),
]
ROLES = {"": "employee", "employee": "employee", "medewerker": "employee"} | {
    "manager": "manager",
    "leidinggevende": "manager",
}
name = (
    st.text(alphabet="abcdeijklmnorstuyzABDEJKLMNSVWéëïöüçñÅØ' -", min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
person = st.fixed_dictionaries(
    {
        "username": st.from_regex(r"[A-Za-z][A-Za-z0-9._@+-]{0,11}", fullmatch=True),
        "first_name": name,
        "last_name": name,
        "email": st.one_of(st.just(""), st.from_regex(r"[a-z]{1,8}@example\.org", fullmatch=True)),
        "teams": st.dictionaries(
            st.integers(0, len(TEAMS) - 1), st.sampled_from(sorted(ROLES)), min_size=1, max_size=2
        ),
    }
)
people = st.lists(person, min_size=1, max_size=8, unique_by=lambda p: p["username"].lower())


def csv_rows(persons, order):
    rows = [
        [p["username"], p["first_name"], p["last_name"], p["email"], TEAMS[t][0], TEAMS[t][2], role]
        for p in persons
        for t, role in p["teams"].items()
    ]
    return [rows[i] for i in order]


def csv_file(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["username", "first_name", "last_name", "email", "department", "team", "role"])
    writer.writerows(rows)
    return out.getvalue().encode()


def path_of(department) -> tuple[str, ...]:
    return (*path_of(department.parent), department.name) if department else ()


@FUZZ
@given(people, st.data())
def test_a_valid_file_imports_exactly_its_rows(persons, data):
    forget_the_organisation()
    count = sum(len(p["teams"]) for p in persons)
    rows = csv_rows(persons, data.draw(st.permutations(range(count))))
    result = people_import(data=csv_file(rows))
    assert result.ok, result.errors

    users = {u.username: (u.first_name, u.last_name, u.email) for u in User.objects.all()}
    assert users == {p["username"]: (p["first_name"], p["last_name"], p["email"]) for p in persons}
    memberships = {
        (m.person.username, path_of(m.team.department), m.team.name, m.role)
        for m in Membership.objects.current().select_related("person", "team__department")
    }
    assert memberships == {
        (p["username"], TEAMS[t][1], TEAMS[t][2], ROLES[role])
        for p in persons
        for t, role in p["teams"].items()
    }
    assert Membership.objects.count() == count
    assert Team.objects.count() == len({t for p in persons for t in p["teams"]})


BREAK = [  # (column, a value that the import must refuse)
    (0, "<b>x y</b>"),
    (1, ""),
    (3, "not-an-email"),
    (4, "/"),
    (5, "x" * 201),
    (6, "boss"),
]


@FUZZ
@given(people, st.data())
def test_a_file_with_bad_rows_imports_nothing_and_names_exactly_those_rows(persons, data):
    forget_the_organisation()
    count = sum(len(p["teams"]) for p in persons)
    rows = csv_rows(persons, range(count))
    bad = data.draw(st.lists(st.integers(0, count - 1), min_size=1, unique=True))
    for index in bad:
        column, value = data.draw(st.sampled_from(BREAK))
        rows[index][column] = value
    result = people_import(data=csv_file(rows))
    assert sorted(error.line for error in result.errors) == sorted(i + 2 for i in bad)
    assert imported() == (0, 0, 0, 0)


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
