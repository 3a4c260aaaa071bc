"""HR imports people and teams from an HR system's CSV export."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Department, Membership, Team
from assessments.people_import import people_import
from tests.conftest import make_round

User = get_user_model()
pytestmark = pytest.mark.django_db

GOOD = """username;first_name;last_name;email;department;team;role
p001;Sanne;de Jong;sanne@example.org;Klantcontact;Klantenservice;manager
p002;Daan;Jansen;daan@example.org;Klantcontact;Klantenservice;employee
p003;Emma;de Vries;emma@example.org;Bedrijfsvoering / Financiën;Facturatie;
p002;Daan;Jansen;daan@example.org;Bedrijfsvoering / Financiën;Facturatie;medewerker
"""


def test_a_good_file_creates_people_nested_departments_teams_and_memberships():
    result = people_import(data=GOOD.encode())
    assert result.ok, result.errors
    assert (result.people_created, result.teams_created, result.memberships_created) == (3, 2, 4)
    finance = Department.objects.get(name="Financiën")
    assert finance.parent.name == "Bedrijfsvoering"
    assert Team.objects.get(name="Facturatie").department == finance
    assert Membership.objects.get(person__username="p001").role == Membership.Role.MANAGER
    assert User.objects.get(username="p002").teams.count() == 2
    assert not User.objects.get(username="p003").has_usable_password()


def test_a_reimport_updates_and_never_duplicates():
    people_import(data=GOOD.encode())
    changed = GOOD.replace("p003;Emma;de Vries", "p003;Emma;Visser").replace(
        "Klantenservice;employee", "Klantenservice;manager"
    )
    result = people_import(data=changed.encode())
    assert result.ok
    assert (result.people_created, result.people_updated) == (0, 1)
    assert (result.teams_created, result.memberships_created, result.memberships_updated) == (
        0,
        0,
        1,
    )
    assert User.objects.filter(username__startswith="p0").count() == 3
    assert Department.objects.count() == 3
    assert Team.objects.count() == 2
    assert Membership.objects.count() == 4
    assert User.objects.get(username="p003").last_name == "Visser"
    assert Membership.objects.get(person__username="p002", team__name="Klantenservice").role == (
        Membership.Role.MANAGER
    )


def test_comma_separated_with_dutch_headers_and_a_bom():
    data = (
        "\ufeffpersoneelsnummer,voornaam,achternaam,e-mail,afdeling,team,rol\n"
        "1001,Jozef,Peeters,jozef@example.be,Sales,Binnendienst,leidinggevende\n"
    )
    result = people_import(data=data.encode())
    assert result.ok, result.errors
    assert Membership.objects.get(person__username="1001").role == Membership.Role.MANAGER


def test_bad_rows_are_reported_by_line_and_nothing_is_imported():
    data = (
        "username;first_name;last_name;email;department;team;role\n"
        "p001;Sanne;de Jong;sanne@example.org;Klantcontact;Klantenservice;manager\n"
        "p002;;Jansen;daan@example.org;Klantcontact;Klantenservice;employee\n"
        "p003;Emma;de Vries;not-an-email;Klantcontact;Klantenservice;employee\n"
        "p004;Bram;Bos;bram@example.org;Klantcontact;Klantenservice;boss\n"
        "p001;Sanne;Anders;sanne@example.org;Klantcontact;Klachten;employee\n"
    )
    result = people_import(data=data.encode())
    assert [error.line for error in result.errors] == [3, 4, 5, 6]
    reasons = [error.reason for error in result.errors]
    assert "first_name" in reasons[0]
    assert "not-an-email" in reasons[1]
    assert "boss" in reasons[2]
    assert "regel 2" in reasons[3]
    assert not User.objects.filter(username__startswith="p0").exists()
    assert not Team.objects.exists()


def test_a_file_without_the_required_columns_is_rejected():
    result = people_import(data=b"name,team\nSanne,Noord\n")
    assert not result.ok
    assert result.errors[0].line == 1
    assert "username" in result.errors[0].reason


def test_hr_imports_through_the_admin(org, login):
    client = login(org["hanna"])
    url = reverse("admin:assessments_team_import")
    assert client.get(url).status_code == 200
    upload = _upload(GOOD)
    response = client.post(url, {"file": upload}, follow=True)
    assert response.status_code == 200
    assert User.objects.filter(username__startswith="p0").count() == 3


def test_the_admin_lists_every_rejected_row_with_a_400(org, login):
    client = login(org["hanna"])
    bad = GOOD + "p009;;;;;;\n"
    response = client.post(reverse("admin:assessments_team_import"), {"file": _upload(bad)})
    assert response.status_code == 400
    assert "p009" not in response.text  # the reason names the empty columns, not a trace
    assert "6" in response.text
    assert not User.objects.filter(username__startswith="p0").exists()


@pytest.mark.parametrize("persona", ["anna", "maud"])
def test_the_import_is_not_for_people_without_admin_access(org, login, persona):
    response = login(org[persona]).get(reverse("admin:assessments_team_import"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def _upload(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")


@pytest.mark.parametrize("data", [b"\r\x00", b"\x89PNG\r\n\x1a\n\x00\x00", b'a,"b\r\nc'])
def test_binary_or_broken_files_are_reported_not_raised(data):
    result = people_import(data=data)
    assert not result.ok
    assert result.errors[0].reason
    assert not User.objects.exists()


MOVED = GOOD.replace(
    "p001;Sanne;de Jong;sanne@example.org;Klantcontact;Klantenservice;manager",
    "p001;Sanne;de Jong;sanne@example.org;Bedrijfsvoering / Financiën;Facturatie;manager",
)


def test_a_reimport_moves_a_person_and_ends_the_old_membership():
    people_import(data=GOOD.encode())
    result = people_import(data=MOVED.encode())
    assert result.ok, result.errors
    assert (result.memberships_created, result.memberships_ended) == (1, 1)
    assert [str(move) for move in result.moves] == ["p001: Klantenservice → Facturatie"]
    sanne = Membership.objects.filter(person__username="p001")
    assert set(sanne.current().values_list("team__name", "role")) == {("Facturatie", "manager")}
    old = sanne.get(team__name="Klantenservice")
    assert old.ended_on == timezone.localdate()  # kept as history, ended today


def test_people_who_are_not_in_the_file_stay_where_they_are(org):
    people_import(data=GOOD.encode())
    before = set(Membership.objects.current().values_list("person__username", "team__name"))
    result = people_import(data=MOVED.encode())
    assert result.ok
    after = set(Membership.objects.current().values_list("person__username", "team__name"))
    assert {m for m in before if not m[0].startswith("p0")} == {
        m for m in after if not m[0].startswith("p0")
    }
    assert {(u, t) for u, t in after if u.startswith("anna") or u.startswith("maud")} == {
        ("anna", "Noord"),
        ("maud", "Noord"),
    }


def test_a_person_who_moves_back_rejoins_their_old_team():
    people_import(data=GOOD.encode())
    people_import(data=MOVED.encode())
    result = people_import(data=GOOD.encode())
    assert [str(move) for move in result.moves] == ["p001: Facturatie → Klantenservice"]
    periods = Membership.objects.filter(person__username="p001", team__name="Klantenservice")
    assert periods.count() == 2
    assert periods.current().count() == 1


def test_past_assessments_keep_the_team_they_were_made_in(org, framework):
    before = make_round(org, framework, name="Q1 2027")
    result = people_import(
        data=b"username;first_name;last_name;department;team\nanna;Anna;Jansen;Klantcontact;Zuid\n"
    )
    assert [str(move) for move in result.moves] == ["anna: Noord → Zuid"]
    after = make_round(org, framework, name="Q2 2027")
    teams = Assessment.objects.filter(subject=org["anna"]).values_list(
        "round", "team__name", "assessor__username"
    )
    assert set(teams) == {
        (before.pk, "Noord", "anna"),
        (before.pk, "Noord", "maud"),
        (after.pk, "Zuid", "anna"),
        (after.pk, "Zuid", "otto"),
    }


def test_the_admin_and_the_command_report_who_moved(org, login, tmp_path):
    people_import(data=GOOD.encode())
    response = login(org["hanna"]).post(
        reverse("admin:assessments_team_import"), {"file": _upload(MOVED)}, follow=True
    )
    assert response.status_code == 200
    assert "1 persoon is overgeplaatst naar een ander team" in response.text
    assert "p001: Klantenservice → Facturatie" in response.text

    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    out = io.StringIO()
    call_command("import_people", str(path), stdout=out)
    assert "1 people moved" in out.getvalue()
    assert "moved p001: Facturatie → Klantenservice" in out.getvalue()


LONG_EMAIL = "a" * 64 + "@" + ("b" * 63 + ".") * 3 + "example.org"  # valid, but 268 > 254


@pytest.mark.parametrize(
    "department, email, reason",
    [
        ("/", "sanne@example.org", "de afdeling heeft geen naam"),
        (" / / ", "sanne@example.org", "de afdeling heeft geen naam"),
        ("Klantcontact / " + "x" * 201, "sanne@example.org", "langer dan 200 tekens"),
        ("Klantcontact", LONG_EMAIL, "langer dan 254 tekens"),
    ],
    ids=["slash", "only-slashes", "long-part", "long-email"],
)
def test_values_the_database_cannot_hold_are_rejected_rows_not_errors(
    department, email, reason, org, login
):
    data = (
        "username;first_name;last_name;email;department;team\n"
        "p001;Sanne;de Jong;sanne@example.org;Klantcontact;Klantenservice\n"
        f"p002;Daan;Jansen;{email};{department};Facturatie\n"
    )
    before = (User.objects.count(), Department.objects.count(), Team.objects.count())
    result = people_import(data=data.encode())
    assert [error.line for error in result.errors] == [3]
    assert reason in result.errors[0].reason
    response = login(org["hanna"]).post(
        reverse("admin:assessments_team_import"), {"file": _upload(data)}
    )
    assert response.status_code == 400
    assert reason in response.text
    assert (User.objects.count(), Department.objects.count(), Team.objects.count()) == before


HEADER = "username;first_name;last_name;email;department;team\n"


def written() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        Department.objects.count(),
        Team.objects.count(),
        Membership.objects.count(),
    )


@pytest.mark.parametrize("username", ["<b>x y</b>", "jan de vries", "p/001", "p001;"])
def test_a_username_django_would_refuse_is_a_rejected_row(username):
    data = (
        HEADER
        + f'p001;Sanne;de Jong;;Klantcontact;Noord\n"{username}";Daan;Jansen;;Klantcontact;Noord\n'
    )
    result = people_import(data=data.encode())
    assert [error.line for error in result.errors] == [3]
    assert "geen geldige gebruikersnaam" in result.errors[0].reason
    assert written() == (0, 0, 0, 0)


def test_usernames_match_existing_people_whatever_the_case(org):
    employee = User.objects.create_user("employee", first_name="Eline")
    result = people_import(data=(HEADER + "Employee;Eline;Smits;;Klantcontact;Noord\n").encode())
    assert result.ok, result.errors
    assert (result.people_created, result.people_updated) == (0, 1)
    assert User.objects.filter(username__iexact="employee").count() == 1
    employee.refresh_from_db()
    assert (employee.username, employee.last_name) == ("employee", "Smits")
    assert list(Membership.objects.filter(person=employee).values_list("team__name")) == [
        ("Noord",)
    ]


def test_a_file_with_two_usernames_that_differ_only_in_case_is_rejected():
    data = (
        HEADER + "p001;Sanne;de Jong;;Klantcontact;Noord\nP001;Sanne;de Jong;;Klantcontact;Zuid\n"
    )
    result = people_import(data=data.encode())
    assert [error.line for error in result.errors] == [3]
    assert "alleen in hoofdletters" in result.errors[0].reason
    assert written() == (0, 0, 0, 0)


def test_two_existing_people_matching_one_username_are_reported_not_guessed(org):
    User.objects.create_user("employee")
    User.objects.create_user("Employee")
    result = people_import(data=(HEADER + "EMPLOYEE;Eline;Smits;;Klantcontact;Noord\n").encode())
    assert [error.line for error in result.errors] == [2]
    assert "employee" in result.errors[0].reason and "Employee" in result.errors[0].reason
    assert not Membership.objects.filter(person__username__iexact="employee").exists()


def test_a_windows_1252_file_imports_with_its_accents_and_quotes():
    rows = "p001;Zoë;O’Brien;;Bedrijfsvoering / Financiën;Crédit – Œuvre\n"
    result = people_import(data=(HEADER + rows).encode("cp1252"))
    assert result.ok, result.errors
    person = User.objects.get(username="p001")
    assert (person.first_name, person.last_name) == ("Zoë", "O’Brien")
    assert Team.objects.get().name == "Crédit – Œuvre"
    assert Department.objects.get(parent__isnull=False).name == "Financiën"


SHIFT_JIS_ROWS = [
    "p001;Sanne;de Jong;;Klantcontact;Noord\n",
    "p002;Daan;Jansen;;Klantcontact;Noord\n",
    # Every byte of this row is defined in Windows-1252, which reads it as "‘¾˜Y;ŽR“c".
    "p003;太郎;山田;;営業部;東京\n",
    # The long vowel mark ー is 0x81 0x5B, and 0x81 is not defined in Windows-1252.
    "p004;ユーキ;スズキ;;営業部;東京\n",
]


@pytest.mark.parametrize(
    "data, line, reason",
    [
        ((HEADER + "".join(SHIFT_JIS_ROWS[:3])).encode("shift_jis"), 4, "niet als Windows-1252"),
        ((HEADER + "".join(SHIFT_JIS_ROWS)).encode("shift_jis"), 5, "UTF-8 noch Windows-1252"),
        (
            (HEADER + "p001;Zoë;de Jong;;Klantcontact;Noord\n").encode()
            + b"p002;Da\xffan;Jansen;;Klantcontact;Noord\n",
            3,
            "geen geldige UTF-8",
        ),
        (
            (HEADER + "p001;Zoe;de Jong;;Klantcontact;Noord\n").encode()
            + b"p002;Da\x81an;Jansen;;Klantcontact;Noord\n",
            3,
            "UTF-8 noch Windows-1252",
        ),
        (
            (HEADER + "p001;Zo\ufffde;de Jong;;Klantcontact;Noord\n").encode(),
            2,
            "vervangingsteken",
        ),
    ],
    ids=["shift-jis-as-mojibake", "shift-jis", "utf-8-stray-byte", "cp1252-undefined", "fffd"],
)
def test_text_that_does_not_decode_cleanly_is_refused_with_its_line(data, line, reason):
    result = people_import(data=data)
    assert [error.line for error in result.errors] == [line]
    assert reason in result.errors[0].reason
    assert written() == (0, 0, 0, 0)


def test_apostrophes_are_part_of_names_not_quotes():
    # Found by the fuzz test: the CSV sniffer took ' for the quote character here and ran
    # the fields of two rows together.
    data = HEADER + "p001;Jo';'t Hart;;Klantcontact;Noord\np002;Anne;d'Ancona';;Klantcontact;Zuid\n"
    result = people_import(data=data.encode())
    assert result.ok, result.errors
    assert list(User.objects.order_by("username").values_list("first_name", "last_name")) == [
        ("Jo'", "'t Hart"),
        ("Anne", "d'Ancona'"),
    ]
