"""Real-browser fixtures: Debian's headless Chromium, driven by Playwright (sync API), against
pytest-django's live_server, with axe-core for the accessibility checks.

The browser tests need /usr/bin/chromium (`apt-get install chromium`) and node_modules/axe-core
(`npm ci`). Without them they are skipped, unless KLANTGERICHT_REQUIRE_BROWSER=1 (as in CI):
then they fail. No tool here ever downloads a browser.

Each test builds its own data with the ORM (the demo organisation of `make run`), in a
transactional database that the live server thread can see. A transactional test empties every
table when it ends; `serialized_rollback` puts back what the migrations loaded (the default
competency model) before the next one, as for the suite's other transactional tests.

While Playwright's sync API runs, an asyncio event loop runs in the test's thread, and Django
would then hand that thread new database connections (it keeps them per async context), ones
without the test database's serialized contents. The `browser` fixture hands it the thread's
own connections instead, and lives for one test module at a time.
"""

from __future__ import annotations

import datetime
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

# Playwright's sync API runs an event loop in this thread; the ORM calls that the tests make
# between browser steps are plain synchronous calls all the same.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"  # emptied at the start of a run
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "demo"  # load_demo's password for every demo login
# What an axe check must never find (axe's other impacts are "moderate" and "minor").
BLOCKING_IMPACTS = {"serious", "critical"}


def _missing_requirement() -> str | None:
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM}: install chromium: apt-get install chromium"
    if not AXE.exists():
        return f"no {AXE.relative_to(ROOT)}: run npm ci"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: pip install -c constraints.txt '.[dev]'"
    return None


@pytest.fixture(scope="module")
def browser() -> Browser:
    missing = _missing_requirement()
    if missing:
        if os.environ.get("KLANTGERICHT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (KLANTGERICHT_REQUIRE_BROWSER=1), but {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    own = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in own.items():
            connections[alias] = connection  # the same connections inside the event loop
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@dataclass
class Violation:
    page: str
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self) -> str:
        return f"{self.page}: {self.rule} ({self.impact}) {self.help}: {', '.join(self.targets)}"


@dataclass
class Session:
    """One test's browser: pages in their own contexts, screenshots, checks."""

    browser: Browser
    base_url: str
    name: str
    contexts: list[BrowserContext] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # The application has no favicon; the browser asks for one and logs the 404.
    allowed_problems: list[re.Pattern] = field(
        default_factory=lambda: [re.compile(r"/favicon\.ico\]$")]
    )
    shots: int = 0

    def new_page(self, locale: str = "nl-NL", width: int = 1280) -> Page:
        """A fresh browser profile (no cookies, no localStorage) in the given language, on a
        screen of the given width (390: a phone)."""
        context = self.browser.new_context(
            base_url=self.base_url,
            locale=locale,
            viewport={"width": width, "height": 900 if width > 600 else 844},
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        self.watch(page)
        return page

    def watch(self, page: Page) -> None:
        """Script errors, console errors (a CSP violation is one) and server errors fail the
        test, unless it said it expects them."""

        def console(message) -> None:
            if message.type == "error":
                source = message.location.get("url") or ""
                self.problems.append(f"console error on {page.url}: {message.text} [{source}]")

        def response(response) -> None:
            if response.status >= 500:
                self.problems.append(f"HTTP {response.status} from {response.url}")

        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("console", console)
        page.on("response", response)

    def allow_problem(self, pattern: str) -> None:
        self.allowed_problems.append(re.compile(pattern))

    def unexpected_problems(self) -> list[str]:
        return [
            problem
            for problem in self.problems
            if not any(pattern.search(problem) for pattern in self.allowed_problems)
        ]

    def login(self, page: Page, username: str, password: str = PASSWORD) -> None:
        """Logs in through the login form, as a person would."""
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        # The header has submit buttons too (the language switch): take the form's own.
        with page.expect_navigation():
            page.click("#main button[type=submit]")
        assert "/accounts/login/" not in page.url, f"login as {username} failed"

    def shot(self, page: Page, step: str) -> Path:
        """A full-page screenshot: test-artifacts/screenshots/<test>-<nn>-<step>.png."""
        self.shots += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.name}-{self.shots:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def axe(self, page: Page, label: str) -> list[Violation]:
        """Runs axe-core on the page; returns its serious and critical violations."""
        if not page.evaluate("() => typeof window.axe === 'object'"):
            # Evaluated by the browser's debugging protocol, which the page's strict
            # Content-Security-Policy does not block: the page is checked as it is served.
            page.evaluate(_axe_source())
        found = page.evaluate(
            """async () => {
                const result = await window.axe.run(document, {resultTypes: ["violations"]});
                return result.violations.map(v => ({
                    rule: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.map(n => {
                        const d = (n.any[0] || {}).data;
                        const detail = d && d.contrastRatio
                            ? ` (${d.fgColor} on ${d.bgColor}: ${d.contrastRatio}:1,`
                              + ` needs ${d.expectedContrastRatio})`
                            : "";
                        return n.target.join(" ") + detail;
                    }),
                }));
            }"""
        )
        return [
            Violation(page=label, **violation)
            for violation in found
            if violation["impact"] in BLOCKING_IMPACTS
        ]

    # The assessment form ---------------------------------------------------------------

    @staticmethod
    def indicator_ids(page: Page) -> list[int]:
        """The indicators of the form on the page, in the order shown."""
        return page.eval_on_selector_all(
            "fieldset.indicator", "sets => sets.map(s => Number(s.id.split('-')[1]))"
        )

    @staticmethod
    def answer(page: Page, indicator: int, value: str) -> None:
        page.locator(f"#indicator-{indicator} input[type=radio][value='{value}']").check()

    @staticmethod
    def checked(page: Page, indicator: int) -> str | None:
        return page.eval_on_selector(
            f"#indicator-{indicator}",
            "set => (set.querySelector('input[type=radio]:checked') || {}).value || null",
        )

    @staticmethod
    def pending(page: Page) -> dict:
        """The answers this browser keeps because the server has not confirmed them yet."""
        return page.evaluate(
            """() => JSON.parse(localStorage.getItem(
                document.getElementById("assessment-form").dataset.storageKey) || "{}")"""
        )

    @staticmethod
    def wait_until_saved(page: Page) -> None:
        """Waits until the server has confirmed every answer given (the page then keeps
        nothing pending in localStorage and says when it saved)."""
        page.wait_for_function(
            """() => localStorage.getItem(
                document.getElementById("assessment-form").dataset.storageKey) === null"""
        )
        from playwright.sync_api import expect

        expect(page.locator("#save-status")).to_contain_text(re.compile("Opgeslagen|Saved"))

    def close(self) -> None:
        for context in self.contexts:
            context.close()


_AXE_SOURCE: list[str] = []


def _axe_source() -> str:
    if not _AXE_SOURCE:
        _AXE_SOURCE.append(AXE.read_text(encoding="utf-8"))
    return _AXE_SOURCE[0]


@pytest.fixture
def session(browser, live_server, request) -> Session:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")
    session = Session(browser=browser, base_url=live_server.url, name=name)
    yield session
    session.close()
    if problems := session.unexpected_problems():
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


@dataclass
class Demo:
    """The demo organisation of `make run` (load_demo), with the handles the tests need."""

    open_round: object
    previous_round: object
    hr: object
    manager: object
    employee: object
    team: object


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback, settings) -> Demo:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from assessments.models import Framework, Membership, Round

    assert Framework.objects.exists(), "the migrated default framework was not restored"
    settings.DEBUG = True  # load_demo refuses to run otherwise
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False  # the live server answers as in production
    today = timezone.localdate()
    users = get_user_model().objects
    manager = users.get(username="manager")
    rounds = list(Round.objects.order_by("-opens_on"))
    open_round = next(r for r in rounds if r.opens_on <= today <= r.closes_on)
    # The latest closed development round (the demo has a pulse round too).
    previous = next(r for r in rounds if r.closes_on < today and r.is_attributed)
    assert open_round.closes_on >= today + datetime.timedelta(days=1)
    return Demo(
        open_round=open_round,
        previous_round=previous,
        hr=users.get(username="hr"),
        manager=manager,
        employee=users.get(username="employee"),
        team=Membership.objects.get(person=manager, role=Membership.Role.MANAGER).team,
    )
