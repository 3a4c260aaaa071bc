"""The CSV import of outcome values: strict, line-numbered, all or nothing, for HR only."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from assessments.models import Department, Team
from outcomes.importing import outcome_import, parse_value
from outcomes.models import OutcomeValue
from outcomes.months import add_months
from tests.outcomes.conftest import month_back

pytestmark = pytest.mark.django_db

URL = "/outcomes/import/"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def values() -> dict:
    return {
        (v.measure.name_nl, v.team.name if v.team else v.department.name, v.month): v.value
        for v in OutcomeValue.objects.select_related("measure", "team", "department")
    }


def test_a_good_file_imports_every_row(org, measures):
    m1, m2 = month_back(2), month_back(1)
    data = csv_bytes(
        "maand;team;maatregel;waarde",
        f"{m1:%Y-%m};Noord;NPS;21",
        f"{m2:%m-%Y};Noord;NPS;-4",
        f"{m2:%Y-%m};Zuid;Customer retention;88,5",  # the English name, a Dutch comma
        f"{m2:%Y-%m};Noord;Upsell-omzet;1.250,50",
        f"{m2:%Y-%m};noord;kosten per klant;47.25",
    )
    result = outcome_import(data=data, by=org["hanna"])
    assert result.ok, result.errors
    assert (result.created, result.updated) == (5, 0)
    assert values() == {
        ("NPS", "Noord", m1): Decimal("21"),
        ("NPS", "Noord", m2): Decimal("-4"),
        ("Klantbehoud", "Zuid", m2): Decimal("88.5"),
        ("Upsell-omzet", "Noord", m2): Decimal("1250.5"),
        ("Kosten per klant", "Noord", m2): Decimal("47.25"),
    }
    assert set(OutcomeValue.objects.values_list("entered_by", flat=True)) == {org["hanna"].pk}


def test_commas_and_english_headers_work_too_and_a_department_has_its_own_values(org, measures):
    month = month_back(1)
    data = csv_bytes(
        "month,department,team,measure,value",
        f'{month:%Y-%m},Klantcontact,Noord,NPS,"12,5"',
        f"{month:%Y-%m},Klantcontact,,NPS,30",
    )
    result = outcome_import(data=data)
    assert result.ok, result.errors
    assert values() == {
        ("NPS", "Noord", month): Decimal("12.5"),
        ("NPS", "Klantcontact", month): Decimal("30"),
    }


def test_a_reimport_of_the_month_updates_the_value(org, measures):
    month = month_back(1)
    outcome_import(data=csv_bytes("maand;team;maatregel;waarde", f"{month:%Y-%m};Noord;NPS;10"))
    result = outcome_import(
        data=csv_bytes(
            "maand;team;maatregel;waarde",
            f"{month:%Y-%m};Noord;NPS;15",
            f"{month:%Y-%m};Zuid;NPS;3",
        )
    )
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert values() == {("NPS", "Noord", month): 15, ("NPS", "Zuid", month): 3}
    again = outcome_import(
        data=csv_bytes("maand;team;maatregel;waarde", f"{month:%Y-%m};Noord;NPS;15")
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(org, measures):
    other = Department.objects.create(name="Elders")
    Team.objects.create(name="Noord", department=other)  # a second team named Noord
    month = f"{month_back(1):%Y-%m}"
    future = f"{add_months(month_back(0), 1):%Y-%m}"
    data = csv_bytes(
        "maand;team;afdeling;maatregel;waarde",
        f"{month};Zuid;;NPS;10",  # 2: good, and still not written
        "2026-13;Zuid;;NPS;10",  # 3: no such month
        f"{future};Zuid;;NPS;10",  # 4: not begun yet
        f"{month};Oost;;NPS;10",  # 5: unknown team
        f"{month};Zuid;;Omzet;10",  # 6: unknown measure
        f"{month};Zuid;;NPS;tien",  # 7: not a number
        f"{month};Zuid;;NPS;1.250",  # 8: a thousand, or one and a quarter?
        f"{month};Zuid;;NPS;1,255",  # 9: likewise
        f"{month};Zuid;;NPS;1,2345",  # 10: more than two decimals
        f"{month};Noord;;NPS;10",  # 11: two teams Noord
        f"{month};Zuid;;NPS;",  # 12: empty value
        f"{month};Zuid;;NPS;11",  # 13: the same as line 2
        f"{month};;Nergens;NPS;11",  # 14: unknown department
        f"{month};;;NPS;11",  # 15: no team, no department
    )
    result = outcome_import(data=data)
    assert not result.ok
    lines = [e.line for e in result.errors]
    assert lines == list(range(3, 16))
    text = [str(e) for e in result.errors]
    assert "2026-13" in text[0]
    assert "Oost" in text[2] and "Omzet" in text[3] and "tien" in text[4]
    assert "1250" in text[5] and "afdeling" in text[8]
    assert "line 2" in text[10] or "regel 2" in text[10]
    assert not OutcomeValue.objects.exists()


def test_a_department_column_tells_two_teams_of_one_name_apart(org, measures):
    other = Department.objects.create(name="Elders")
    elsewhere = Team.objects.create(name="Noord", department=other)
    month = month_back(1)
    result = outcome_import(
        data=csv_bytes("maand;afdeling;team;maatregel;waarde", f"{month:%Y-%m};Elders;Noord;NPS;9")
    )
    assert result.ok, result.errors
    assert OutcomeValue.objects.get().team == elsewhere


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"maand;team;waarde\n2026-01;Noord;3\n", "maatregel"),
        (b"\xff\xfe\x00m\x00a", "binary"),
        (
            "maand;team;maatregel;waarde\n2026-01;Zürich;NPS;1\n".encode()[:-8] + b"\xc3(",
            "UTF-8",
        ),
        (b"maand;team;maatregel;waarde\n", "no values"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(org, measures, data, reason):
    with translation.override("en"):
        result = outcome_import(data=data)
    assert not result.ok
    assert reason.lower() in " ".join(str(e) for e in result.errors).lower()


def test_a_windows_1252_file_reads(org, measures):
    team = Team.objects.create(name="Financiën", department=org["department"])
    data = csv_bytes(
        "maand;team;maatregel;waarde", f"{month_back(1):%Y-%m};Financiën;NPS;5", encoding="cp1252"
    )
    result = outcome_import(data=data)
    assert result.ok, result.errors
    assert OutcomeValue.objects.get().team == team


@pytest.mark.parametrize(
    "text, value",
    [
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("-3", Decimal("-3")),
        ("1.250,50", Decimal("1250.50")),
        ("1,250.50", Decimal("1250.50")),
        ("1250", Decimal("1250")),
    ],
)
def test_numbers_read_the_dutch_and_the_english_way(text, value):
    assert parse_value(text) == value


@pytest.mark.parametrize("text", ["1.250", "1,250", "12,5%", "€ 12", "1e3", "", "12,345"])
def test_numbers_that_could_be_misread_are_refused(text):
    assert isinstance(parse_value(text), str)


# --- The page and the command ---------------------------------------------------------------


def upload(client, data: bytes, name: str = "waarden.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, "text/csv")})


@pytest.mark.parametrize("persona", ["anna", "maud", "otto", "xander"])
def test_only_hr_imports(org, measures, login, persona):
    client = login(org[persona])
    assert client.get(URL).status_code == 404
    data = csv_bytes("maand;team;maatregel;waarde", f"{month_back(1):%Y-%m};Noord;NPS;1")
    assert upload(client, data).status_code == 404
    assert not OutcomeValue.objects.exists()


def test_hr_imports_a_file_on_the_page(org, measures, login):
    data = csv_bytes("maand;team;maatregel;waarde", f"{month_back(1):%Y-%m};Noord;NPS;12,5")
    response = upload(login(org["hanna"]), data)
    assert response.status_code == 200
    assert 'id="import-done"' in response.content.decode()
    assert OutcomeValue.objects.get().value == Decimal("12.5")


@pytest.mark.parametrize(
    "data",
    [
        b"",  # Django's form refuses an empty file
        b"maand;team\n2026-01;Noord\n",
        b"\x81\x8d\x8f\x90\x9d not text",
        b"maand;team;maatregel;waarde\n2026-01;Noord;NPS;\xff\xfe\n",
        b"\x00\x01\x02",
    ],
)
def test_a_bad_file_is_a_400_with_the_reason_never_a_500(org, measures, login, data):
    response = upload(login(org["hanna"]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="import-errors"' in page or 'id="file-error"' in page
    assert not OutcomeValue.objects.exists()


def test_a_missing_file_is_a_form_error(org, login):
    response = login(org["hanna"]).post(URL, {})
    assert response.status_code == 400 and 'id="file-error"' in response.content.decode()


def test_a_file_over_the_limit_is_refused_before_it_is_read(org, measures, login, monkeypatch):
    monkeypatch.setattr("outcomes.views.MAX_BYTES", 10)
    data = csv_bytes("maand;team;maatregel;waarde", f"{month_back(1):%Y-%m};Noord;NPS;1")
    response = upload(login(org["hanna"]), data)
    assert response.status_code == 400
    assert "20 MB" in response.content.decode()
    assert not OutcomeValue.objects.exists()


def test_the_command_imports_and_refuses_like_the_page(org, measures, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes("maand;team;maatregel;waarde", f"{month_back(1):%Y-%m};Noord;NPS;8"))
    call_command("import_outcomes", str(good), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert OutcomeValue.objects.get().value == 8
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes("maand;team;maatregel;waarde", f"{month_back(1):%Y-%m};Noord;NPS;x"))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_outcomes", str(bad), stderr=open("/dev/null", "w"))  # noqa: SIM115
    assert OutcomeValue.objects.get().value == 8


def test_a_value_entered_meanwhile_is_an_error_not_a_500(org, measures, monkeypatch):
    """Two writers at once: the import's read of the existing values missed the other's."""
    from outcomes import importing

    month = month_back(1)
    real = importing._write

    def entered_meanwhile(rows, by, result):
        OutcomeValue.objects.create(
            measure=measures["NPS"], team=org["noord"], month=month, value=1
        )
        monkeypatch.setattr(
            OutcomeValue.objects, "select_for_update", lambda: OutcomeValue.objects.none()
        )
        real(rows, by, result)

    monkeypatch.setattr(importing, "_write", entered_meanwhile)
    with translation.override("en"):
        result = outcome_import(
            data=csv_bytes("maand;team;maatregel;waarde", f"{month:%Y-%m};Noord;NPS;2")
        )
    assert not result.ok and "import the file again" in str(result.errors[0])
    assert not OutcomeValue.objects.exists()  # the whole transaction rolled back
