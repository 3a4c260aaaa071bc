"""Phones: at 390 px wide no page scrolls sideways, in Dutch and in English, for everyone.

Every page each persona of the demo reaches (the admin aside) is opened at 390 px and at
1280 px; at both widths axe-core finds no serious or critical violation, and every page gets
a screenshot at each width (test-artifacts/screenshots/).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment, Round

pytestmark = pytest.mark.browser

PHONE, DESKTOP = 390, 1280
LOCALES = {"nl": "nl-NL", "en": "en-GB"}


def own_form(demo) -> str:
    own = Assessment.objects.get(round=demo.open_round, assessor=demo.employee, perspective="self")
    return f"/assessments/{own.pk}/"


def manager_form(demo) -> str:
    rating = Assessment.objects.get(
        round=demo.open_round, assessor=demo.manager, subject=demo.employee
    )
    return f"/assessments/{rating.pk}/"


def result(demo) -> str:
    return f"/rounds/{demo.previous_round.pk}/people/{demo.employee.pk}/"


def pulse_result(demo) -> str:
    pulse = Round.objects.filter(kind=Round.Kind.PULSE, closes_on__lt=demo.open_round.opens_on)
    return f"/rounds/{pulse.latest('opens_on').pk}/people/{demo.employee.pk}/"


def team(demo) -> str:
    return f"/teams/{demo.team.pk}/"


# persona: [(page, url)], every page the persona reaches from the navigation and home page;
# the dashboards apart, below.
PAGES = {
    "anonymous": [
        ("login", lambda demo: "/accounts/login/"),
        ("password-reset", lambda demo: "/accounts/password_reset/"),
    ],
    "employee": [
        ("home", lambda demo: "/"),
        ("model", lambda demo: "/model/"),
        ("form", own_form),
        ("result", result),
        ("pulse-result", pulse_result),
        ("password-change", lambda demo: "/accounts/password_change/"),
    ],
    "manager": [
        ("home", lambda demo: "/"),
        ("model", lambda demo: "/model/"),
        ("form", manager_form),
        ("result", result),
        ("password-change", lambda demo: "/accounts/password_change/"),
    ],
    "hr": [
        ("home", lambda demo: "/"),
        ("model", lambda demo: "/model/"),
        ("outstanding", lambda demo: f"/rounds/{demo.open_round.pk}/outstanding/"),
        ("result", result),
        ("password-change", lambda demo: "/accounts/password_change/"),
    ],
}
# The dashboards' accessibility is checked in test_accessibility.py, their width here.
DASHBOARDS = [
    pytest.param("employee", "team-dashboard", "nl", id="employee-team-nl"),
    pytest.param("employee", "team-dashboard", "en", id="employee-team-en"),
    pytest.param("manager", "team-dashboard", "nl", id="manager-team-nl"),
    pytest.param("manager", "team-dashboard", "en", id="manager-team-en"),
    pytest.param("manager", "organisation-dashboard", "nl", id="manager-organisation-nl"),
    pytest.param("manager", "organisation-dashboard", "en", id="manager-organisation-en"),
    pytest.param("hr", "team-dashboard", "nl", id="hr-team-nl"),
    pytest.param("hr", "team-dashboard", "en", id="hr-team-en"),
    pytest.param("hr", "organisation-dashboard", "nl", id="hr-organisation-nl"),
    pytest.param("hr", "organisation-dashboard", "en", id="hr-organisation-en"),
]
DASHBOARD_URLS = {"team-dashboard": team, "organisation-dashboard": lambda demo: "/organisation/"}

WIDTH = """() => ({
    page: document.documentElement.scrollWidth,
    wide: [...document.querySelectorAll("body *")]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .slice(0, 5)
        .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." + e.className),
})"""


def open_as(session, persona: str, language: str, width: int):
    page = session.new_page(locale=LOCALES[language], width=width)
    if persona != "anonymous":
        session.login(page, persona)
    return page


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.parametrize("persona", PAGES)
def test_no_page_is_wider_than_a_phone_and_axe_finds_nothing_serious(
    session, demo, persona, language
):
    page = open_as(session, persona, language, PHONE)
    too_wide, violations = [], []
    for name, where in PAGES[persona]:
        url = where(demo)
        for width in (PHONE, DESKTOP):
            page.set_viewport_size({"width": width, "height": 844 if width == PHONE else 900})
            page.goto(url)
            expect(page.locator("h1")).to_be_visible()
            expect(page.locator("html")).to_have_attribute("lang", language)
            session.shot(page, f"{name}-{width}")
            if width == PHONE:
                measured = page.evaluate(WIDTH)
                if measured["page"] > PHONE:
                    too_wide.append(f"{name} ({url}): {measured['page']} px, {measured['wide']}")
            violations += session.axe(page, f"{name} at {width} px ({url})")
    assert not too_wide, "pages wider than a phone:\n" + "\n".join(too_wide)
    assert not violations, "axe found serious or critical violations:\n" + "\n".join(
        str(v) for v in violations
    )


@pytest.mark.parametrize("persona, dashboard, language", DASHBOARDS)
def test_the_dashboards_are_no_wider_than_a_phone(session, demo, persona, dashboard, language):
    page = open_as(session, persona, language, PHONE)
    page.goto(DASHBOARD_URLS[dashboard](demo))
    expect(page.locator("h1")).to_be_visible()
    session.shot(page, f"{dashboard}-{PHONE}")
    measured = page.evaluate(WIDTH)
    assert measured["page"] <= PHONE, measured


def test_the_result_chart_names_the_levels_briefly_on_a_phone(session, demo):
    page = open_as(session, "employee", "nl", PHONE)
    page.goto(result(demo))
    labels = """() => window.Chart.getChart(document.getElementById("level-chart"))
        .scales.y.ticks.map(t => t.label)"""
    page.wait_for_function("() => window.Chart && window.Chart.getChart('level-chart')")
    assert page.evaluate(labels) == [f"Niveau {n}" for n in range(1, 6)]
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    page.wait_for_function(
        """() => window.Chart.getChart("level-chart").scales.y.ticks[0].label === "1. Opvolgen" """
    )
    session.shot(page, "chart-desktop")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_refused_submit_takes_the_person_to_the_first_unanswered_behaviour(session, demo, width):
    session.allow_problem(r"status of 400 \(Bad Request\)")  # the refusal itself
    page = open_as(session, "employee", "nl", width)
    page.goto(own_form(demo))
    indicators = session.indicator_ids(page)
    skipped = indicators[9]  # level 3, far down the page
    for pk in indicators:
        if pk not in (skipped, indicators[-1]) and not session.checked(page, pk):
            session.answer(page, pk, "4")
    session.wait_until_saved(page)
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    expect(page.locator("#form-error")).to_contain_text("nog niet ingediend: bij 2 gedragingen")
    first = page.locator(f"#indicator-{skipped}")
    expect(first).to_have_class(re.compile(r"\bmissing\b"))
    focused = page.evaluate("() => document.activeElement.closest('fieldset.indicator')?.id")
    assert focused == f"indicator-{skipped}"
    # In view, below the sticky progress bar rather than under it.
    box = first.bounding_box()
    bar = page.locator("#progress-bar").bounding_box()
    assert bar["y"] + bar["height"] <= box["y"] + 1 < page.viewport_size["height"]
    session.shot(page, f"refused-submit-{width}")


def test_hr_follows_an_open_round_from_the_home_page_to_who_has_not_submitted(session, demo):
    page = open_as(session, "hr", "nl", PHONE)
    round_card = page.locator(f"#round-{demo.open_round.pk}")
    expect(round_card).to_contain_text("Zelfbeoordelingen:")
    round_card.locator("summary").click()  # each team, on request
    expect(round_card.locator("table[data-kind=team]")).to_contain_text(demo.team.name)
    see_who = round_card.get_by_role("link", name=re.compile("nog niet ingediend: bekijk door wie"))
    with page.expect_navigation():
        see_who.click()
    expect(page.locator("h1")).to_contain_text("Nog niet ingediend")
    expect(page.locator("#outstanding")).to_contain_text("Eline Smits")
    session.shot(page, "outstanding")
