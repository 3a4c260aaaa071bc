"""Accessibility in a real browser: axe-core on every main page, the form by keyboard alone,
and a text equivalent for every chart.

axe-core (node_modules/axe-core, from `npm ci`) runs in the page as served, under the
application's own Content-Security-Policy. A serious or critical violation fails the test;
the failure lists rule, impact and the elements concerned.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment

pytestmark = pytest.mark.browser


def submitted_result_url(demo) -> str:
    """The employee's result of the last closed round, rated by self and by the manager."""
    perspectives = set(
        Assessment.objects.filter(
            round=demo.previous_round, subject=demo.employee, submitted_at__isnull=False
        ).values_list("perspective", flat=True)
    )
    assert perspectives == {"self", "manager"}, perspectives
    return f"/rounds/{demo.previous_round.pk}/people/{demo.employee.pk}/"


def open_self_assessment_url(demo) -> str:
    assessment = Assessment.objects.get(
        round=demo.open_round, assessor=demo.employee, perspective=Assessment.Perspective.SELF
    )
    return f"/assessments/{assessment.pk}/"


PAGES = {
    # page: (who, where)
    "login": (None, lambda demo: "/accounts/login/"),
    "home": ("employee", lambda demo: "/"),
    "home-manager": ("manager", lambda demo: "/"),
    "model": ("employee", lambda demo: "/model/"),
    "assessment-form": ("employee", open_self_assessment_url),
    "result": ("employee", submitted_result_url),
    "team-dashboard": ("manager", lambda demo: f"/teams/{demo.team.pk}/"),
    "organisation-dashboard": ("hr", lambda demo: "/organisation/"),
}


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_axe_violations(session, demo, name):
    who, where = PAGES[name]
    page = session.new_page()
    if who:
        session.login(page, who)
    url = where(demo)
    page.goto(url)
    expect(page.locator("h1")).to_be_visible()
    session.shot(page, name)
    violations = session.axe(page, f"{name} ({url})")
    assert not violations, "axe found serious or critical violations:\n" + "\n".join(
        str(v) for v in violations
    )


def test_the_self_assessment_can_be_done_with_the_keyboard_alone(session, demo):
    page = session.new_page()
    session.login(page, "employee")
    page.goto(open_self_assessment_url(demo))
    total = len(session.indicator_ids(page))

    def focused() -> dict:
        return page.evaluate(
            """() => { const e = document.activeElement;
                return {tag: e.tagName, type: e.type || "", name: e.name || "",
                        value: e.value || "", href: e.getAttribute("href") || "",
                        checked: !!e.checked}; }"""
        )

    page.keyboard.press("Tab")
    first = focused()
    assert first["tag"] == "A" and first["href"] == "#main", f"first Tab stop: {first}"

    answered: list[str] = []
    for _ in range(500):
        page.keyboard.press("Tab")
        now = focused()
        if now["type"] == "radio" and not now["checked"]:
            # Into an unanswered behaviour: Space picks the first option, arrows move on.
            page.keyboard.press("Space")
            for _ in range(1 + len(answered) % 4):
                page.keyboard.press("ArrowRight")
            answered.append(now["name"])
        elif now["tag"] == "BUTTON" and now["value"] == "submit":
            break
    else:
        pytest.fail(f"Tab never reached the submit button ({len(answered)} answered)")
    assert len(answered) == total == len(set(answered))
    expect(page.locator("#answered-count")).to_have_text(str(total))
    session.wait_until_saved(page)
    session.shot(page, "answered")

    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(
        re.compile(rf"/rounds/{demo.open_round.pk}/people/{demo.employee.pk}/$")
    )
    assessment = Assessment.objects.get(
        round=demo.open_round, assessor=demo.employee, perspective=Assessment.Perspective.SELF
    )
    assert assessment.is_submitted
    values = {str(r.value) for r in assessment.ratings.all()}
    assert values >= {"2", "3", "4", "5"}  # the arrow keys chose, not just the first option
    session.shot(page, "result")


CANVASES = """() => [...document.querySelectorAll("canvas")].map(canvas => {
    const section = canvas.closest("section");
    return {
        id: canvas.id,
        hidden: !!canvas.closest('[aria-hidden="true"]'),
        table: !!(section && section.querySelector("table")),
        drawn: !!(window.Chart && window.Chart.getChart(canvas)),
    };
})"""


def test_every_chart_has_a_text_equivalent(session, demo):
    page = session.new_page()
    session.login(page, "hr")
    pages = {
        "result": (submitted_result_url(demo), 1),
        "team-dashboard": (f"/teams/{demo.team.pk}/", 2),
        "organisation-dashboard": ("/organisation/", 0),
    }
    for name, (url, at_least) in pages.items():
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        canvases = page.evaluate(CANVASES)
        assert len(canvases) >= at_least, f"{name}: {canvases}"
        for canvas in canvases:
            # Screen readers skip the picture and read the table in the same section.
            assert canvas["hidden"], f"{name}: #{canvas['id']} is not aria-hidden"
            assert canvas["table"], f"{name}: #{canvas['id']} has no table in its section"
            assert canvas["drawn"], f"{name}: #{canvas['id']} was not drawn"
        session.shot(page, name)
