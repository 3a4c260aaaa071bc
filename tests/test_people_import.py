"""HR imports people and teams from an HR system's CSV export."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Department, Membership, Team
from assessments.people_import import people_import

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
