"""Reaching everyone, in a real browser: HR invites an imported person, who sets a password
through the e-mail's link and lands on their open self-assessment; the person's own pages
pass axe."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from assessments.models import Assessment, Membership
from assessments.services import round_populate

pytestmark = pytest.mark.browser
User = get_user_model()
LINK = re.compile(r"https?://[^/\s]+(/welcome/\S+/)")


@pytest.fixture
def imported(demo):
    """Iris, imported into the demo's team by HR: an e-mail address, no password yet."""
    person = User.objects.create_user(
        "iris", email="iris@example.org", first_name="Iris", last_name="Imported"
    )
    Membership.objects.create(person=person, team=demo.team)
    round_populate(round_=demo.open_round)
    return person


def test_hr_invites_and_the_person_sets_a_password_and_reaches_the_assessment(
    session, demo, imported
):
    mail.outbox.clear()
    hr = session.new_page()
    session.login(hr, "hr")
    hr.goto("/admin/auth/user/?invited=no")
    hr.check(f"input[name=_selected_action][value='{imported.pk}']")
    hr.select_option("select[name=action]", "invite")
    with hr.expect_navigation():
        hr.click("button[name=index]")
    expect(hr.locator(".messagelist")).to_contain_text("1 uitnodiging wordt verstuurd")
    session.shot(hr, "invited")
    # The admin now lists her as invited, and not yet logged in.
    hr.goto("/admin/auth/user/?invited=yes&logged_in=no")
    expect(hr.locator("#result_list")).to_contain_text("iris")

    [message] = [m for m in mail.outbox if m.to == ["iris@example.org"]]
    assert message.subject == "Welkom bij Klantgericht: kies je wachtwoord"
    link = LINK.search(message.body).group(1)

    page = session.new_page()
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Welkom bij Klantgericht")
    expect(page.locator("#main")).to_contain_text("iris")
    session.shot(page, "choose-password")
    violations = session.axe(page, "invitation")
    assert not violations, "\n".join(str(v) for v in violations)
    page.fill("#id_new_password1", "Klantgericht-2027!")
    page.fill("#id_new_password2", "Klantgericht-2027!")
    with page.expect_navigation():
        page.click("#main button[type=submit]")

    own = Assessment.objects.get(
        round=demo.open_round, subject=imported, perspective=Assessment.Perspective.SELF
    )
    expect(page).to_have_url(re.compile(rf"/assessments/{own.pk}/$"))
    expect(page.locator("#main .alert-success")).to_contain_text("Welkom!")
    expect(page.locator("h1")).to_contain_text("Zelfbeoordeling")
    first = session.indicator_ids(page)[0]
    session.answer(page, first, "4")
    session.wait_until_saved(page)
    session.shot(page, "first-answer")
    assert own.ratings.get(indicator_id=first).value == 4

    # The link was spent: opened again, it says so.
    again = session.new_page()
    again.goto(link)
    expect(again.locator("h1")).to_have_text("Deze link werkt niet meer")


@pytest.mark.parametrize("url", ["/me/", "/me/preferences/"])
def test_the_persons_own_pages_have_no_serious_axe_violations(session, demo, url):
    page = session.new_page()
    session.login(page, "employee")
    page.goto(url)
    expect(page.locator("h1")).to_be_visible()
    session.shot(page, url.strip("/").replace("/", "-"))
    violations = session.axe(page, url)
    assert not violations, "\n".join(str(v) for v in violations)
