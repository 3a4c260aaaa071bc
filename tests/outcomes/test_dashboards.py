"""The outcome series beside the levels on the team and organisation dashboards, and their
exports: the same numbers in chart, table and file, the level figures only as the page
shows them, and a fixed number of queries whatever the months."""

import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from figures.services import round_close_early
from outcomes.models import OutcomeValue
from outcomes.services import month_save
from tests.outcomes.conftest import month_back
from tests.test_assessment_access import submit_all

pytestmark = pytest.mark.django_db

SENTENCE_NL = "De uitkomsten staan naast de niveaus; er wordt geen oorzakelijk verband mee beweerd."
SENTENCE_EN = "The outcomes are shown beside the levels; no causal link is claimed."


@pytest.fixture
def closed_round(dev_round, framework):
    submit_all(dev_round, framework)  # Noord: Anna, Bram and Maud's ratings of them
    round_close_early(round_=dev_round)
    return dev_round


def team_page(client, org, **headers):
    return client.get(reverse("figures:team_dashboard", args=[org["noord"].pk]), **headers)


def chart_data(page: str) -> dict:
    found = re.search(r'<script id="outcome-data" type="application/json">(.*?)</script>', page)
    return json.loads(found[1])


def table(page: str) -> str:
    """The outcomes table, with its no-break spaces (between a number and its unit) as spaces."""
    return page.replace("\u00a0", " ")[
        page.index('id="outcomes-table"') : page.index(
            "</table>", page.index('id="outcomes-table"')
        )
    ]


def test_the_team_page_shows_each_series_its_table_and_the_sentence(
    org, closed_round, noord_values, measures, login
):
    page = team_page(login(org["maud"]), org).content.decode()
    assert SENTENCE_NL in page
    data = chart_data(page)
    # One axis: from the first month with a value to this month, when the round closed.
    assert len(data["labels"]) == 4
    series = {s["label"]: s for s in data["series"]}
    assert series["NPS"]["data"] == [21, 24, 27, None]
    assert series["Kosten per klant"]["data"] == [48.5, 47.1, 45.0, None]
    assert series["Kosten per klant"]["higher_is_better"] is False
    assert "Klantbehoud" not in series  # no values: no empty chart
    # The round closed this month: its share at target stands at the last month.
    assert data["level"]["data"][:3] == [None, None, None]
    assert data["level"]["data"][3] is not None
    for measure in ("NPS", "Kosten per klant"):
        assert f'id="outcome-chart-{measures[measure].pk}"' in page
    assert 'id="outcome-level-chart"' in page
    # The table holds the same numbers as text.
    rows = table(page)
    for text in ("21 punten", "24 punten", "27 punten", "€ 48,50", "€ 47,10", "€ 45"):
        assert text in rows
    assert closed_round.name in rows
    assert f"{data['level']['data'][3]}&nbsp;%" in rows


def test_the_sentence_is_in_english_for_english_readers(org, closed_round, noord_values, login):
    page = team_page(login(org["maud"]), org, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert SENTENCE_EN in page and SENTENCE_NL not in page


def test_a_member_sees_the_values_but_no_level_figure_the_page_withholds(
    org, closed_round, noord_values, login
):
    """Two answers, k = 5: Anna may not see the team's share, here no more than in the trend."""
    page = team_page(login(org["anna"]), org).content.decode()
    data = chart_data(page)
    assert data["level"]["data"] == [None, None, None, None]
    rows = table(page)
    assert 'data-withheld="small"' in rows and "27 punten" in rows
    assert 'id="outcome-entry-link"' not in page
    # Her manager reads every answer, and sees the share.
    manager = chart_data(team_page(login(org["maud"]), org).content.decode())
    assert manager["level"]["data"][3] is not None


def test_an_open_round_adds_no_level_figure(org, dev_round, noord_values, login):
    data = chart_data(team_page(login(org["maud"]), org).content.decode())
    assert data["level"]["data"] == [None, None, None, None]
    assert [s["label"] for s in data["series"]] == ["NPS", "Kosten per klant"]


def test_another_teams_values_are_not_on_the_page(org, closed_round, noord_values, login):
    page = team_page(login(org["maud"]), org).content.decode()
    assert "-12 punten" not in table(page)  # Zuid's NPS
    zuid = login(org["otto"]).get(reverse("figures:team_dashboard", args=[org["zuid"].pk]))
    assert "-12 punten" in table(zuid.content.decode())


def test_the_organisation_page_shows_a_departments_own_values(
    org, closed_round, noord_values, measures, login
):
    OutcomeValue.objects.create(
        measure=measures["Klantbehoud"],
        department=org["department"],
        month=month_back(1),
        value=Decimal("91.5"),
    )
    url = reverse("figures:organisation")
    for persona, query in (("hanna", f"?department={org['department'].pk}"), ("maud", "")):
        page = login(org[persona]).get(url + query).content.decode()
        assert SENTENCE_NL in page, persona
        data = chart_data(page)
        assert [s["label"] for s in data["series"]] == ["Klantbehoud"]
        assert "91,5 %" in table(page)
        assert "27 punten" not in table(page)  # the department's own, not its teams'
    # The whole organisation: the levels alone, and why.
    page = login(org["hanna"]).get(url).content.decode()
    assert 'id="outcomes-per-department"' in page
    assert chart_data(page)["series"] == []


def test_the_organisations_level_series_is_its_published_total(org, closed_round, login):
    """HR reads every answer of a development round: the roll-up's share is shown to HR, and
    withheld from a manager of the department (two answers, k = 5), as the page's total."""
    url = reverse("figures:organisation") + f"?department={org['department'].pk}"
    hr = chart_data(login(org["hanna"]).get(url).content.decode())
    assert hr["level"]["data"][-1] is not None
    manager_page = login(org["maud"]).get(url).content.decode()
    assert chart_data(manager_page)["level"]["data"] == [None]
    assert 'data-withheld="small"' in table(manager_page)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_run_as_many_queries_for_two_years_of_values_as_for_one_month(
    org, closed_round, measures, login
):
    client = login(org["maud"])
    team = reverse("figures:team_dashboard", args=[org["noord"].pk])
    rollup = reverse("figures:organisation") + f"?department={org['department'].pk}"
    client.get(team), client.get(rollup)  # warm the caches of published figures
    # Each change of the values renders the outcome section again (a new stamp): both counts
    # below are of a page that reads the values.
    for place in ({"team": org["noord"]}, {"department": org["department"]}):
        OutcomeValue.objects.create(measure=measures["NPS"], month=month_back(1), value=1, **place)
    before = count_queries(client, team), count_queries(client, rollup)
    OutcomeValue.objects.bulk_create(
        OutcomeValue(measure=m, month=month_back(back), value=back, **place)
        for m in measures.values()
        for back in range(2, 25)
        for place in ({"team": org["noord"]}, {"department": org["department"]})
    )
    after = count_queries(client, team), count_queries(client, rollup)
    assert after == before
    assert len(chart_data(client.get(team).content.decode())["labels"]) == 24


# --- Exports ---------------------------------------------------------------------------------


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_team_export_holds_every_value_of_the_team(org, noord_values, login):
    client = login(org["anna"])
    csv = body(client.get(reverse("outcomes:team_export_csv", args=[org["noord"].pk])))
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[0] == "maand"
    assert len(lines) == 1 + 6
    assert f"{month_back(1):%Y-%m};Noord;Klantcontact;NPS;punten;" in csv.decode("utf-8-sig")
    assert "-12" not in csv.decode("utf-8-sig")  # Zuid's


def test_the_xlsx_export_writes_values_as_numbers(org, noord_values, login):
    data = body(
        login(org["maud"]).get(reverse("outcomes:team_export_xlsx", args=[org["noord"].pk]))
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    # Column G holds the value: a number cell (no t="s"), not text.
    cells = re.findall(r'<c r="G(\d+)"([^>]*)><v>([^<]*)</v>', sheet)
    assert len(cells) == 6
    assert all('t="' not in attributes for _row, attributes, _v in cells)
    assert {float(v) for _row, _a, v in cells} == {21, 24, 27, 48.5, 47.1, 45}


def test_the_organisation_export_holds_the_department_or_for_hr_everything(
    org, noord_values, measures, login
):
    OutcomeValue.objects.create(
        measure=measures["NPS"], department=org["department"], month=month_back(1), value=33
    )
    url = reverse("outcomes:organisation_export_csv")
    own = body(login(org["maud"]).get(url)).decode("utf-8-sig").splitlines()
    assert len(own) == 2 and ";;Klantcontact;NPS;" in own[1]
    everything = body(login(org["hanna"]).get(url)).decode("utf-8-sig").splitlines()
    assert len(everything) == 1 + 6 + 1 + 1
    assert login(org["anna"]).get(url).status_code == 404
    for wanted in ("abc", "²", "9" * 30):  # "²" is a digit to str.isdigit(), not to int()
        assert login(org["hanna"]).get(url, {"department": wanted}).status_code == 404


def test_a_published_team_page_shows_every_change_of_the_values_and_measures_at_once(
    org, closed_round, noord_values, measures, login
):
    """The published page is kept rendered; a value entered, changed or removed, and a
    measure renamed, show on the very next read all the same."""
    client = login(org["maud"])
    nps = measures["NPS"]
    assert "27 punten" in table(team_page(client, org).content.decode())
    team_page(client, org)  # now served from the page cache

    month_save(place=org["noord"], month=month_back(1), values={nps: Decimal(33)}, by=org["maud"])
    assert "33 punten" in table(team_page(client, org).content.decode())

    month_save(place=org["noord"], month=month_back(1), values={nps: None}, by=org["maud"])
    page = table(team_page(client, org).content.decode())
    assert "33 punten" not in page and "24 punten" in page

    month_save(place=org["noord"], month=month_back(4), values={nps: Decimal(19)}, by=org["maud"])
    assert "19 punten" in table(team_page(client, org).content.decode())

    nps.name_nl = "Net Promoter Score"
    nps.save()
    assert "Net Promoter Score" in table(team_page(client, org).content.decode())


def test_the_organisation_page_shows_a_changed_department_value_at_once(
    org, closed_round, measures, login
):
    """The department's section is kept rendered; a value entered or removed shows on the
    very next read."""
    client = login(org["hanna"])
    url = reverse("figures:organisation") + f"?department={org['department'].pk}"
    retention = measures["Klantbehoud"]
    month_save(
        place=org["department"],
        month=month_back(1),
        values={retention: Decimal("91.5")},
        by=org["hanna"],
    )
    assert "91,5 %" in table(client.get(url).content.decode())
    client.get(url)  # now served from the cache
    month_save(
        place=org["department"],
        month=month_back(1),
        values={retention: Decimal("88")},
        by=org["hanna"],
    )
    page = table(client.get(url).content.decode())
    assert "88 %" in page and "91,5 %" not in page
    month_save(
        place=org["department"], month=month_back(1), values={retention: None}, by=org["hanna"]
    )
    assert "88 %" not in table(client.get(url).content.decode())
