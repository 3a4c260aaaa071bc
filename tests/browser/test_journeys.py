"""What employees, managers and HR do in the application, in a real browser.

Each journey saves full-page screenshots in test-artifacts/screenshots/.
"""

from __future__ import annotations

import contextlib
import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Assessment, Framework, Indicator, Level, Rating, Round

pytestmark = pytest.mark.browser

SCALE = ["1", "2", "3", "4", "5", "na"]


def self_assessment(demo):
    return Assessment.objects.get(
        round=demo.open_round, assessor=demo.employee, perspective=Assessment.Perspective.SELF
    )


def stored_answers(assessment) -> dict[int, str]:
    return {
        rating.indicator_id: "na" if rating.cannot_rate else str(rating.value)
        for rating in Rating.objects.filter(assessment=assessment)
        if rating.cannot_rate or rating.value is not None
    }


def test_employee_saves_a_draft_comes_back_and_submits(session, demo):
    page = session.new_page()
    session.login(page, "employee")
    expect(page.locator("h1")).to_contain_text("Eline")
    session.shot(page, "home")

    todo = page.locator("section[aria-labelledby=todo-self]")
    expect(todo).to_contain_text(demo.open_round.name)
    todo.get_by_role("link", name=re.compile("^Beginnen")).click()
    assessment = self_assessment(demo)
    expect(page).to_have_url(re.compile(rf"/assessments/{assessment.pk}/$"))
    expect(page.locator("h1")).to_contain_text("Zelfbeoordeling")

    indicators = session.indicator_ids(page)
    assert len(indicators) == 21
    first = {pk: SCALE[i % len(SCALE)] for i, pk in enumerate(indicators[:5])}
    for pk, value in first.items():
        session.answer(page, pk, value)
    session.wait_until_saved(page)
    expect(page.locator("#answered-count")).to_have_text("5")
    assert stored_answers(assessment) == first
    session.shot(page, "draft-saved")

    # Back later: the draft comes from the server (this browser keeps nothing pending).
    page.reload()
    assert session.pending(page) == {}
    for pk, value in first.items():
        assert session.checked(page, pk) == value
    expect(page.locator("#answered-count")).to_have_text("5")

    rest = {pk: SCALE[(i + 2) % 5] for i, pk in enumerate(indicators[5:])}
    for pk, value in rest.items():
        session.answer(page, pk, value)
    expect(page.locator("#answered-count")).to_have_text("21")
    session.wait_until_saved(page)
    session.shot(page, "all-answered")
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")

    expect(page).to_have_url(
        re.compile(rf"/rounds/{demo.open_round.pk}/people/{demo.employee.pk}/$")
    )
    expect(page.locator("h1")).to_contain_text("Je resultaat")
    expect(page.locator(".attained").first).to_contain_text(re.compile(r"Niveau \d"))
    expect(page.locator("#main .alert-success")).to_contain_text("ingediend")
    session.shot(page, "result")
    assessment.refresh_from_db()
    assert assessment.is_submitted
    assert stored_answers(assessment) == {**first, **rest}

    # The home page now lists it under the results, and the form is read-only.
    page.goto("/")
    expect(page.locator("section[aria-labelledby=done]")).to_contain_text(demo.open_round.name)
    page.goto(f"/assessments/{assessment.pk}/")
    expect(page.locator("button[name=action]")).to_have_count(0)
    expect(page.locator("#assessment-form input[type=radio]").first).to_be_disabled()


def test_answers_given_while_the_server_is_unreachable_are_kept(session, demo):
    # The browser reports the failed autosave requests; they are what this test is about.
    session.allow_problem(r"ERR_INTERNET_DISCONNECTED|Failed to fetch")
    page = session.new_page()
    session.login(page, "employee")
    assessment = self_assessment(demo)
    page.goto(f"/assessments/{assessment.pk}/")
    indicators = session.indicator_ids(page)
    session.answer(page, indicators[0], "4")
    session.wait_until_saved(page)

    page.context.set_offline(True)
    session.answer(page, indicators[1], "2")
    session.answer(page, indicators[2], "na")
    # The page keeps the answers in this browser for now, and says so.
    page.wait_for_function(
        "() => !/^(Opslaan…|Opgeslagen om .*)$/.test("
        "document.getElementById('save-status').textContent)"
    )
    status = page.locator("#save-status").inner_text()
    # Each kept with the value it changed from: nothing, in this page.
    assert session.pending(page) == {
        f"r{indicators[1]}": {"v": "2", "b": ""},
        f"r{indicators[2]}": {"v": "na", "b": ""},
    }
    session.shot(page, "offline")
    assert stored_answers(assessment) == {indicators[0]: "4"}

    # The tab is closed while offline; later, online again, the person opens the form anew.
    context = page.context
    page.close()
    context.set_offline(False)
    page = context.new_page()
    session.watch(page)
    page.goto(f"/assessments/{assessment.pk}/")
    assert session.checked(page, indicators[0]) == "4"
    assert session.checked(page, indicators[1]) == "2"
    assert session.checked(page, indicators[2]) == "na"
    session.wait_until_saved(page)
    expect(page.locator("#answered-count")).to_have_text("3")
    session.shot(page, "restored")
    assert stored_answers(assessment) == {
        indicators[0]: "4",
        indicators[1]: "2",
        indicators[2]: "na",
    }
    # Said in the page's language, not the browser's technical error ("Failed to fetch").
    assert status.startswith("Nog niet op de server opgeslagen"), status


def test_submit_right_after_the_last_answer_on_a_slow_network(session, demo):
    """The last answer's autosave has reached the server, but its reply is still on its way
    when the person clicks Submit: that is no conflict with another tab, and submits."""
    from playwright.sync_api import Error as PlaywrightError

    page = session.new_page()
    session.login(page, "employee")
    assessment = self_assessment(demo)
    page.goto(f"/assessments/{assessment.pk}/")
    indicators = session.indicator_ids(page)
    for pk in indicators[:-1]:
        session.answer(page, pk, "3")
    session.wait_until_saved(page)

    held = []  # the server has handled these autosaves; the page has not heard back yet

    def slow_network(route):
        held.append((route, route.fetch()))

    page.route(re.compile(r"/autosave/$"), slow_network)
    session.answer(page, indicators[-1], "4")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the last answer was not autosaved"
    assert stored_answers(assessment)[indicators[-1]] == "4"

    page.click("button[name=action][value=submit]", no_wait_after=True)
    page.wait_for_timeout(300)
    for route, response in held:  # the replies arrive after all
        with contextlib.suppress(PlaywrightError):  # unless the page has moved on already
            route.fulfill(response=response)
    expect(page.locator("#form-error")).to_have_count(0)
    expect(page).to_have_url(
        re.compile(rf"/rounds/{demo.open_round.pk}/people/{demo.employee.pk}/$")
    )
    session.shot(page, "result")
    assessment.refresh_from_db()
    assert assessment.is_submitted


def test_a_tab_left_open_never_wipes_what_another_tab_answered(session, demo):
    """Issue 9, item 1: tab B is opened and left; in tab A every behaviour and a reflection
    are answered; in tab B one example is typed, then "Concept opslaan"."""
    tab_b = session.new_page()
    session.login(tab_b, "employee")
    assessment = self_assessment(demo)
    tab_b.goto(f"/assessments/{assessment.pk}/")
    tab_a = tab_b.context.new_page()  # the same browser: cookies and localStorage shared
    session.watch(tab_a)
    tab_a.goto(f"/assessments/{assessment.pk}/")

    indicators = session.indicator_ids(tab_a)
    given = {pk: SCALE[i % len(SCALE)] for i, pk in enumerate(indicators)}
    for pk, value in given.items():
        session.answer(tab_a, pk, value)
    question = tab_a.locator("textarea[name^=q]").first
    question.fill("Via de klantpanels.")
    session.wait_until_saved(tab_a)
    expect(tab_a.locator("#answered-count")).to_have_text("21")
    assert stored_answers(assessment) == given

    tab_b.bring_to_front()
    expect(tab_b.locator("#answered-count")).to_have_text("0")  # it shows what it was given
    tab_b.locator(f"#indicator-{indicators[0]} summary").click()
    tab_b.fill(f"#id_e{indicators[0]}", "Klant teruggebeld na de storing.")
    session.wait_until_saved(tab_b)
    session.shot(tab_b, "stale-tab")
    with tab_b.expect_navigation():
        tab_b.click("button[name=action][value=save]:not(.visually-hidden)")
    expect(tab_b.locator("#main .alert-success")).to_contain_text("Je concept is opgeslagen.")
    expect(tab_b.locator("#answered-count")).to_have_text("21")
    session.shot(tab_b, "after-save")

    assert stored_answers(assessment) == given
    assert list(assessment.reflections.values_list("text", flat=True)) == ["Via de klantpanels."]
    example = Rating.objects.get(assessment=assessment, indicator_id=indicators[0]).example
    assert example == "Klant teruggebeld na de storing."


def test_a_text_changed_in_two_tabs_keeps_both_and_a_clear_is_explicit(session, demo):
    tab_a = session.new_page()
    session.login(tab_a, "employee")
    assessment = self_assessment(demo)
    tab_a.goto(f"/assessments/{assessment.pk}/")
    tab_b = tab_a.context.new_page()
    session.watch(tab_b)
    tab_b.goto(f"/assessments/{assessment.pk}/")
    first, second = session.indicator_ids(tab_a)[:2]

    tab_a.locator(f"#indicator-{first} summary").click()
    tab_a.fill(f"#id_e{first}", "Teruggebeld.")
    session.answer(tab_a, second, "3")
    session.wait_until_saved(tab_a)

    tab_b.locator(f"#indicator-{first} summary").click()
    tab_b.fill(f"#id_e{first}", "Gemaild.")
    note = tab_b.locator(f"#merged-e{first}")
    expect(note).to_contain_text("Beide versies zijn bewaard")
    expect(tab_b.locator(f"#id_e{first}")).to_have_value("Teruggebeld.\n\nGemaild.")
    expect(tab_b.locator("#save-status")).to_contain_text("intussen elders gewijzigd")
    session.shot(tab_b, "merged")
    rating = Rating.objects.get(assessment=assessment, indicator_id=first)
    assert rating.example == "Teruggebeld.\n\nGemaild."

    # Tab A clears its rating on purpose: the button, not an unchecked group.
    clear = tab_a.locator(f"#indicator-{second} button[name=clear]")
    expect(clear).to_be_visible()
    clear.click()
    expect(clear).to_be_hidden()  # nothing to clear any more
    session.wait_until_saved(tab_a)
    assert second not in stored_answers(assessment)
    expect(tab_a.locator("#answered-count")).to_have_text("0")

    # Enter on a radio button saves the form; it never "clicks" a clear button.
    session.answer(tab_a, second, "4")
    session.wait_until_saved(tab_a)
    tab_a.locator(f"#indicator-{second} input[type=radio][value='4']").focus()
    with tab_a.expect_navigation():
        tab_a.keyboard.press("Enter")
    assert stored_answers(assessment) == {second: "4"}
    expect(tab_a.locator("#main .alert-success")).to_contain_text("Je concept is opgeslagen.")


def test_answers_given_after_the_session_ended_are_sent_after_logging_in_again(session, demo):
    form = session.new_page()
    session.login(form, "employee")
    assessment = self_assessment(demo)
    form.goto(f"/assessments/{assessment.pk}/")
    other = form.context.new_page()
    session.watch(other)
    other.goto("/")
    with other.expect_navigation():
        other.get_by_role("button", name="Uitloggen").click()

    first = session.indicator_ids(form)[0]
    session.answer(form, first, "5")
    expect(form.locator("#save-status")).to_contain_text("Nog niet op de server opgeslagen")
    assert session.pending(form) == {f"r{first}": {"v": "5", "b": ""}}
    assert stored_answers(assessment) == {}

    # Logging in renews the CSRF token too; the page's next try reads it from the cookie.
    session.login(other, "employee")
    session.wait_until_saved(form)
    assert stored_answers(assessment) == {first: "5"}


def test_clear_answer_works_without_javascript(session, demo):
    assessment = self_assessment(demo)
    first, second = list(
        Indicator.objects.filter(level__framework=demo.open_round.framework)
        .order_by("level__number", "position")
        .values_list("pk", flat=True)
    )[:2]
    Rating.objects.create(assessment=assessment, indicator_id=first, value=2)
    context = session.browser.new_context(
        base_url=session.base_url, locale="nl-NL", java_script_enabled=False
    )
    session.contexts.append(context)
    page = context.new_page()
    session.watch(page)
    session.login(page, "employee")
    page.goto(f"/assessments/{assessment.pk}/")
    session.answer(page, second, "5")  # changed in the page, not saved yet
    with page.expect_navigation():
        page.click(f"#indicator-{first} button[name=clear]")
    expect(page).to_have_url(re.compile(rf"/assessments/{assessment.pk}/#indicator-{first}$"))
    expect(page.locator("#main .alert-success")).to_contain_text("Het antwoord is gewist")
    assert stored_answers(assessment) == {second: "5"}
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.locator(f"#indicator-{second}").scroll_into_view_if_needed()
        session.shot(page, f"clear-button-{width}")


def test_manager_rates_a_member_and_reads_the_team_dashboard(session, demo):
    page = session.new_page()
    session.login(page, "manager")
    members = page.locator("section[aria-labelledby=todo-members]")
    expect(members.locator("h2")).to_have_text("Te beoordelen teamleden")
    session.shot(page, "home")
    start = members.get_by_role("link", name=re.compile("^Beginnen")).first
    with page.expect_navigation():
        start.click()
    pk = int(re.search(r"/assessments/(\d+)/", page.url).group(1))
    assessment = Assessment.objects.select_related("subject").get(pk=pk)
    assert assessment.assessor == demo.manager
    assert assessment.perspective == Assessment.Perspective.MANAGER
    expect(page.locator("h1")).to_contain_text(assessment.subject.first_name)

    indicators = session.indicator_ids(page)
    given = {pk: str(1 + i % 5) for i, pk in enumerate(indicators)}
    for indicator, value in given.items():
        session.answer(page, indicator, value)
    expect(page.locator("#answered-count")).to_have_text(str(len(indicators)))
    session.shot(page, "rating")
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    expect(page).to_have_url(
        re.compile(rf"/rounds/{demo.open_round.pk}/people/{assessment.subject_id}/$")
    )
    expect(page.locator("h1")).to_contain_text("Resultaat van")
    session.shot(page, "result")
    assessment.refresh_from_db()
    assert assessment.is_submitted
    assert stored_answers(assessment) == given

    page.goto("/")
    page.get_by_role("link", name=f"Team {demo.team.name}").click()
    expect(page).to_have_url(re.compile(rf"/teams/{demo.team.pk}/$"))
    expect(page.locator("h1")).to_contain_text(demo.team.name)
    # Open round, self perspective: the heatmap has a row per member who submitted.
    heatmap = page.locator("#heatmap")
    expect(heatmap).to_be_visible()
    expect(heatmap.locator("thead th")).to_have_count(1 + len(indicators))
    page.goto(f"/teams/{demo.team.pk}/?round={demo.open_round.pk}&perspective=manager")
    row = page.locator("#heatmap tbody tr", has_text=assessment.subject.get_full_name())
    expect(row.locator("td")).to_have_text(list(given.values()))
    for canvas in page.locator("canvas").all():
        expect(canvas).to_be_visible()
        assert page.evaluate("c => !!window.Chart.getChart(c)", canvas.element_handle())
    assert page.locator("canvas").count() >= 2
    session.shot(page, "team-dashboard")


def test_hr_versions_the_model_edits_it_and_opens_a_round(session, demo):
    old = Framework.objects.get(version=1)
    page = session.new_page()
    session.login(page, "hr")
    page.goto("/admin/assessments/framework/")
    session.shot(page, "frameworks")
    # The framework is in use by rounds: read-only.
    page.goto(f"/admin/assessments/framework/{old.pk}/change/")
    expect(page.locator(".messagelist")).to_contain_text("alleen-lezen")
    expect(page.locator("input[name=_save]")).to_have_count(0)

    page.goto("/admin/assessments/framework/")
    page.check(f"input[name=_selected_action][value='{old.pk}']")
    page.select_option("select[name=action]", "make_new_version")
    with page.expect_navigation():
        page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("Versie 2")
    new = Framework.objects.get(name_nl=old.name_nl, version=2)
    assert new.previous_version == old
    session.shot(page, "new-version")

    level = Level.objects.get(framework=new, number=1)
    page.goto(f"/admin/assessments/level/{level.pk}/change/")
    first = page.locator("#id_indicators-0-text_nl")
    original = first.input_value()
    edited = original + " (ook bij terugbelverzoeken)"
    first.fill(edited)
    session.shot(page, "edit-indicator")
    with page.expect_navigation():
        page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_be_visible()
    indicator = Indicator.objects.filter(level=level).order_by("position").first()
    assert indicator.text_nl == edited
    assert indicator.history.count() >= 2  # who changed it, and when, is kept
    untouched = Indicator.objects.get(level__framework=old, level__number=1, position=1)
    assert untouched.text_nl == original

    today = timezone.localdate()
    page.goto("/admin/assessments/round/add/")
    page.fill("#id_name", "Voorjaar proef")
    page.select_option("#id_framework", str(new.pk))
    page.select_option("#id_teams_from", label=demo.team.name)
    page.click("#id_teams_add")
    expect(page.locator("#id_teams_to option")).to_have_text([demo.team.name])
    page.select_option("#id_kind", "development")
    page.fill("#id_opens_on", today.isoformat())
    page.fill("#id_closes_on", (today + datetime.timedelta(days=21)).isoformat())
    session.shot(page, "add-round")
    with page.expect_navigation():
        page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("verwacht in deze ronde")
    round_ = Round.objects.get(name="Voorjaar proef")
    assert list(round_.teams.all()) == [demo.team]
    assert round_.framework == new
    assert round_.assessments.filter(subject=demo.employee, perspective="self").exists()
    session.shot(page, "rounds")

    employee = session.new_page()
    session.login(employee, "employee")
    todo = employee.locator("section[aria-labelledby=todo-self]")
    expect(todo).to_contain_text("Voorjaar proef")
    session.shot(employee, "employee-home")
    # The new round asks about the edited behaviour.
    todo.locator("li", has_text="Voorjaar proef").get_by_role("link").click()
    expect(employee.locator(f"#indicator-{indicator.pk} legend")).to_have_text(edited)


def test_the_language_switch(session, demo):
    page = session.new_page()
    session.login(page, "employee")
    nav = page.locator("nav")
    expect(nav).to_contain_text("Mijn beoordelingen")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    with page.expect_navigation():
        nav.get_by_role("button", name="EN", exact=True).click()
    expect(nav).to_contain_text("My assessments")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Welcome")
    session.shot(page, "english")
    # It sticks: other pages follow.
    page.goto("/model/")
    expect(nav).to_contain_text("My assessments")
    with page.expect_navigation():
        nav.get_by_role("button", name="NL", exact=True).click()
    expect(nav).to_contain_text("Mijn beoordelingen")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page).to_have_url(re.compile(r"/model/$"))
    session.shot(page, "dutch")
