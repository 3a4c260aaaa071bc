"""Internal customers in a real browser: an employee rates the service desk that serves her
team, the round closes, and the service desk's manager reads what its internal customers said.
axe-core on the form and the result; the form keeps what is typed across a lost session."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Membership, Team
from figures.services import round_close_early
from internal_customers.models import Feedback

pytestmark = pytest.mark.browser


def test_an_internal_customer_rates_the_service_desk_and_its_manager_reads_the_result(
    session, demo
):
    desk = Team.objects.get(name="Servicedesk ICT")
    page = session.new_page()
    session.login(page, "employee")
    section = page.locator("#internal-customers").locator("..")
    link = page.get_by_role("link", name="Beoordeel team Servicedesk ICT")
    expect(link).to_be_visible()
    expect(section).to_contain_text("gevraagd")
    with page.expect_navigation():
        link.click()
    expect(page.locator("h1")).to_contain_text("Hoe bedient team Servicedesk ICT jou?")
    behaviours = session.indicator_ids(page)
    assert len(behaviours) == 13  # the observable ones: levels 1 to 3
    for number, indicator in enumerate(behaviours):
        session.answer(page, indicator, "na" if number == 0 else str(2 + number % 4))
    page.fill("textarea[name=remark]", "Snel geholpen; graag een bericht als het klaar is.")
    session.shot(page, "rating")
    assert not session.axe(page, "internal-customer-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Indienen").click()
    expect(page.locator(".alert-success")).to_contain_text("je beoordeling is ingediend")
    feedback = Feedback.objects.get(team=desk, assessor=demo.employee, round=demo.open_round)
    assert feedback.is_submitted and feedback.answers.count() == 13

    round_close_early(round_=demo.open_round)
    manager = Membership.objects.get(team=desk, role=Membership.Role.MANAGER).person
    manager.set_password("demo")
    manager.save()
    reader = session.new_page()
    session.login(reader, manager.username)
    reader.goto(f"/teams/{desk.pk}/?round={demo.open_round.pk}")
    expect(reader.locator("#level-means thead")).to_contain_text("Interne klanten")
    expect(reader.locator("#internal-participation")).to_contain_text(
        re.compile(r"\d+ collega's van teams die Servicedesk ICT bedient")
    )
    expect(reader.locator("#internal-remarks")).to_contain_text(
        "Snel geholpen; graag een bericht als het klaar is."
    )
    # Her name is nowhere near what she wrote.
    assert demo.employee.last_name not in reader.locator("#internal-remarks").inner_text()
    session.shot(reader, "internal-customers-result")
    assert not session.axe(reader, "team-with-internal-customers")


def test_what_an_internal_customer_typed_survives_a_lost_session(session, demo):
    desk = Team.objects.get(name="Servicedesk ICT")
    page = session.new_page()
    session.login(page, "employee")
    page.goto(f"/rounds/{demo.open_round.pk}/teams/{desk.pk}/rate/")
    first = session.indicator_ids(page)[0]
    session.answer(page, first, "4")
    page.fill("textarea[name=remark]", "Bijna vergeten")
    page.context.clear_cookies()  # the session is gone
    page.goto(f"/rounds/{demo.open_round.pk}/teams/{desk.pk}/rate/")
    expect(page).to_have_url(re.compile("/accounts/login/"))
    session.login(page, "employee")
    page.goto(f"/rounds/{demo.open_round.pk}/teams/{desk.pk}/rate/")
    expect(page.locator("textarea[name=remark]")).to_have_value("Bijna vergeten")
    assert session.checked(page, first) == "4"
    expect(page.locator(".alert-warning")).to_contain_text("teruggezet uit deze browser")
