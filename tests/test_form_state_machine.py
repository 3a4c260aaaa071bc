"""The assessment form never loses an answer (issue 9, "Done when"): a state machine opens
tabs, changes, clears and autosaves answers in them, saves and submits the whole form from
fresh and stale tabs, reloads, loses the session and sends again what was pending, submits
twice and re-imports the organisation's people, all over HTTP as a browser would.

It keeps its own model of what the database must hold and compares after every step. A tab
is the page as rendered (every field with its base) plus what the page's script keeps
pending, with the rules of static/js/assessment-form.js for what it restores after a load.
Independently of how texts are merged, every text a person typed and the server confirmed
must stay in the database until someone changes that answer in a page that showed it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from assessments.models import Assessment, LevelResult, Rating, ReflectionAnswer
from assessments.people_import import people_import
from assessments.services import Answers, assessment_save
from tests.conftest import make_round
from tests.form_page import form_fields

pytestmark = pytest.mark.django_db

SCALE = ["1", "2", "3", "4", "5", "na"]
# Words that are not part of one another, a CRLF and padding the server strips.
TEXTS = ["", "Bel", "Mail", "Beurs\r\nterug", "  Enquête  "]
PLAYED = 3  # the machine plays with the first three behaviours
MAX_TABS = 3


def stored_form(text: str) -> str:
    """A text as the server keeps it: LF line breaks, no padding."""
    return text.replace("\r\n", "\n").strip()


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16] if text else ""


@dataclass
class Tab:
    fields: dict[str, str | list[str]]  # what the form would submit now
    seen: dict[str, str]  # per text field: the stored text its base stands for
    pending: dict[str, dict] = field(default_factory=dict)  # the script's, by field name
    at_login: bool = False  # a full save met an expired session: the browser is at login


class FormMachine(RuleBasedStateMachine):
    org: dict
    framework: object
    counter = 0

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint_create()
        FormMachine.counter += 1
        round_ = make_round(self.org, self.framework, name=f"Ronde {FormMachine.counter}")
        self.assessment = Assessment.objects.get(
            round=round_, subject=self.org["anna"], assessor=self.org["anna"]
        )
        indicators = [
            i.pk
            for level in self.framework.levels.order_by("number")
            for i in level.indicators.order_by("position")
        ]
        self.played = indicators[:PLAYED]
        self.questions = list(
            self.framework.questions.order_by("position").values_list("pk", flat=True)
        )
        # Everything but the first behaviour was answered before.
        assessment_save(
            assessment=self.assessment,
            answers=Answers(choices=dict.fromkeys(indicators[1:], "4")),
        )
        self.ratings = dict.fromkeys(indicators, "4") | {self.played[0]: ""}
        self.texts = {f"e{pk}": "" for pk in indicators} | {f"q{pk}": "" for pk in self.questions}
        self.must_contain: dict[str, set[str]] = {name: set() for name in self.texts}
        self.submitted = False
        self.logged_in = True
        self.tabs: list[Tab] = []
        self.orphans: dict[str, dict] = {}  # pending in this browser's storage, no tab open
        self.sessions_lost = self.imports = 0
        self.client = Client()
        self.client.force_login(self.org["anna"])
        self.form_url = reverse("assessments:assessment", args=[self.assessment.pk])
        self.autosave_url = reverse("assessments:autosave", args=[self.assessment.pk])

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    # --- The model ---------------------------------------------------------------------------

    def apply_rating(self, name: str, entry: dict) -> None:
        pk = int(name[1:])
        if entry.get("clear"):
            self.ratings[pk] = ""
        elif entry["v"] and entry["v"] != entry["b"]:
            self.ratings[pk] = entry["v"]  # the latest click wins

    def apply_text(self, name: str, typed: str, seen: str) -> str | None:
        """Returns the text both versions were kept in, if they were."""
        text, current = stored_form(typed), self.texts[name]
        if text in (seen, current):
            return None  # not changed in that page, or changed to what is stored
        if current == seen or not current:
            self.texts[name] = text
            self.must_contain[name] = {text} if text else set()  # it saw what it replaced
            return None
        if text and not current.endswith("\n\n" + text):
            self.texts[name] = current + "\n\n" + text
        if text:
            self.must_contain[name].add(text)
        return self.texts[name]

    # --- Tabs --------------------------------------------------------------------------------

    def page(self, html: str, old_pending: dict | None = None) -> Tab:
        fields = form_fields(html)
        seen = {name: stored_form(fields[name]) for name in self.texts if name in fields}
        tab = Tab(fields=fields, seen=seen)
        for name, entry in (old_pending or {}).items():
            self.restore(tab, name, entry)
        return tab

    def restore(self, tab: Tab, name: str, entry: dict) -> None:
        """What the script puts back after a load: what the page does not show yet."""
        shown = tab.fields.get(name, "")
        if f"b-{name}" not in tab.fields:
            return  # a read-only page: the script keeps nothing
        if entry.get("clear"):
            keep = shown != ""
        elif name.startswith("r"):
            keep = entry["v"] not in ("", entry["b"], shown)
        else:
            text = stored_form(entry["v"])
            keep = shown != text and not shown.endswith("\n\n" + text)
        if not keep:
            return
        tab.pending[name] = entry
        tab.fields[f"b-{name}"] = entry["b"]
        if entry.get("clear"):
            tab.fields.pop(name, None)
        else:
            tab.fields[name] = entry["v"]
        if not name.startswith("r"):
            tab.seen[name] = entry["seen"]

    def load(self, old_pending: dict | None = None) -> Tab:
        """A page of the form; its script restores what this browser kept pending."""
        response = self.client.get(self.form_url)
        assert response.status_code == 200
        kept, self.orphans = self.orphans | (old_pending or {}), {}
        return self.page(response.text, kept)

    def editable(self, tab: Tab) -> bool:
        return f"b-r{self.played[0]}" in tab.fields

    @initialize(answered=st.booleans())
    def two_tabs(self, answered):
        if answered:  # all answered: a submit goes through, unless a tab clears one first
            assessment_save(
                assessment=self.assessment, answers=Answers(choices={self.played[0]: "4"})
            )
            self.ratings[self.played[0]] = "4"
        self.tabs = [self.load(), self.load()]

    @precondition(lambda self: len(self.tabs) < MAX_TABS and self.logged_in)
    @rule()
    def open_tab(self):
        self.tabs.append(self.load())
        self.send_pending(self.tabs[-1])

    @precondition(lambda self: self.tabs)
    @rule(
        i=st.integers(0, MAX_TABS - 1),
        which=st.integers(0, PLAYED - 1),
        value=st.sampled_from(SCALE),
        send=st.booleans(),
    )
    def choose(self, i, which, value, send):
        tab = self.tabs[i % len(self.tabs)]
        if not self.editable(tab):
            return
        name = f"r{self.played[which]}"
        tab.fields[name] = value
        tab.pending[name] = {"v": value, "b": tab.fields[f"b-{name}"]}
        if send:  # the script's autosave, 300 ms later; or the person goes on first
            self.send_pending(tab)

    @precondition(lambda self: self.tabs)
    @rule(i=st.integers(0, MAX_TABS - 1), which=st.integers(0, PLAYED - 1), send=st.booleans())
    def clear(self, i, which, send):
        tab = self.tabs[i % len(self.tabs)]
        if not self.editable(tab):
            return
        name = f"r{self.played[which]}"
        tab.fields.pop(name, None)
        tab.pending[name] = {"clear": True, "b": tab.fields[f"b-{name}"]}
        if send:
            self.send_pending(tab)

    @precondition(lambda self: self.tabs)
    @rule(
        i=st.integers(0, MAX_TABS - 1),
        which=st.integers(0, 2),
        text=st.sampled_from(TEXTS),
        send=st.booleans(),
    )
    def type_text(self, i, which, text, send):
        tab = self.tabs[i % len(self.tabs)]
        if not self.editable(tab):
            return
        # Two examples and a reflection: few enough fields for tabs to meet on.
        name = [f"e{self.played[0]}", f"e{self.played[1]}", f"q{self.questions[0]}"][which]
        tab.fields[name] = text
        tab.pending[name] = {"v": text, "b": tab.fields[f"b-{name}"], "seen": tab.seen[name]}
        if send:
            self.send_pending(tab)

    # --- Saving ------------------------------------------------------------------------------

    def send_pending(self, tab: Tab, *, reply_lost: bool = False) -> None:
        if not tab.pending:
            return
        data: dict[str, list[str]] = {"clear": []}
        for name, entry in tab.pending.items():
            if entry.get("clear"):
                data["clear"].append(name[1:])
            else:
                data[name] = [entry["v"]]
                data[f"b-{name}"] = [entry["b"]]
        response = self.client.post(self.autosave_url, data)
        if not self.logged_in:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
            return  # kept for later
        if self.submitted:
            assert response.status_code == 409
            return
        assert response.status_code == 200, response.content
        reply = response.json()
        merged = {}
        for name, entry in tab.pending.items():
            if name.startswith("r"):
                self.apply_rating(name, entry)
                expected_base = "" if entry.get("clear") else (entry["v"] or entry["b"])
            else:
                if (kept := self.apply_text(name, entry["v"], entry["seen"])) is not None:
                    merged[name] = kept
                changed = stored_form(entry["v"]) != entry["seen"]
                expected_base = fingerprint(self.texts[name]) if changed else entry["b"]
            assert reply["bases"][name] == expected_base, name
            if not reply_lost:
                tab.fields[f"b-{name}"] = expected_base
        assert reply["merged"] == merged
        assert bool(reply["notice"]) == bool(merged)
        if reply_lost:
            return  # saved, but the page never heard: its script sends the same again later
        for name, text in merged.items():
            tab.fields[name] = text  # the script shows both versions
        for name in tab.pending:
            if not name.startswith("r"):
                tab.seen[name] = (
                    self.texts[name]
                    if stored_form(tab.pending[name]["v"]) != tab.pending[name]["seen"]
                    else tab.seen[name]
                )
        tab.pending = {}

    @precondition(lambda self: self.tabs)
    @rule(i=st.integers(0, MAX_TABS - 1))
    def autosave(self, i):
        self.send_pending(self.tabs[i % len(self.tabs)])

    @precondition(lambda self: self.tabs)
    @rule(i=st.integers(0, MAX_TABS - 1))
    def autosave_whose_reply_is_lost(self, i):
        self.send_pending(self.tabs[i % len(self.tabs)], reply_lost=True)

    @precondition(lambda self: self.tabs)
    @rule(i=st.integers(0, MAX_TABS - 1))
    def save_whole_form(self, i):
        self.post_whole_form(i, "save")

    @precondition(lambda self: self.tabs)
    @rule(i=st.integers(0, MAX_TABS - 1))
    def submit(self, i):
        self.post_whole_form(i, "submit")

    def post_whole_form(self, i: int, action: str) -> None:
        index = i % len(self.tabs)
        tab = self.tabs[index]
        if tab.at_login or not self.editable(tab):
            return
        clears = [name[1:] for name, entry in tab.pending.items() if entry.get("clear")]
        response = self.client.post(
            self.form_url, {**tab.fields, "clear": clears, "action": action}
        )
        if not self.logged_in:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
            tab.at_login = True
            return
        if self.submitted:
            expected = 302 if action == "submit" else 409
            assert response.status_code == expected
            if expected == 302:
                assert "/rounds/" in response["Location"]
            self.tabs.pop(index)  # the tab shows the result, or the read-only form
            return
        self.apply_whole_form(tab, clears)
        complete = all(self.ratings.values())
        if action == "submit" and complete:
            assert response.status_code == 302 and "/rounds/" in response["Location"]
            self.submitted = True
            self.tabs.pop(index)
        elif action == "submit":
            assert response.status_code == 400
            self.tabs[index] = self.page(response.text, tab.pending)
            self.send_pending(self.tabs[index])
        else:
            assert response.status_code == 302
            self.tabs[index] = self.load(tab.pending)
            self.send_pending(self.tabs[index])

    def apply_whole_form(self, tab: Tab, clears: list[str]) -> None:
        for pk in self.played:
            name = f"r{pk}"
            if str(pk) in clears:
                self.ratings[pk] = ""
            elif tab.fields.get(name, "") not in ("", tab.fields[f"b-{name}"]):
                self.ratings[pk] = tab.fields[name]
        for name in tab.seen:
            self.apply_text(name, tab.fields[name], tab.seen[name])

    @precondition(lambda self: self.tabs and self.logged_in)
    @rule(i=st.integers(0, MAX_TABS - 1))
    def reload(self, i):
        index = i % len(self.tabs)
        tab = self.tabs[index]
        self.tabs[index] = self.load(tab.pending)
        self.send_pending(self.tabs[index])  # the script sends what it restored at once

    @precondition(lambda self: len(self.tabs) > 1)
    @rule(i=st.integers(0, MAX_TABS - 1))
    def close_tab(self, i):
        # Closed with changes pending: the next page of this browser restores them.
        self.orphans |= self.tabs.pop(i % len(self.tabs)).pending

    @precondition(lambda self: self.logged_in and self.sessions_lost < 2)
    @rule()
    def lose_session(self):
        self.sessions_lost += 1
        self.client.logout()  # expired, or logged out in another tab: the session is gone
        self.logged_in = False

    @precondition(lambda self: not self.logged_in)
    @rule()
    def log_in_again(self):
        self.client.force_login(self.org["anna"])
        self.logged_in = True
        for index, tab in enumerate(self.tabs):
            if tab.at_login:  # back on the form after the login page
                self.tabs[index] = self.load(tab.pending)
            self.send_pending(self.tabs[index])  # the script's next try

    @precondition(lambda self: self.imports < 2)
    @rule(move=st.booleans())
    def reimport_people(self, move):
        self.imports += 1
        rows = [
            ("anna", "Zuid" if move else "Noord", "employee"),
            ("bram", "Noord", "employee"),
            ("maud", "Noord", "manager"),
            ("otto", "Zuid", "manager"),
            ("zoe", "Zuid", "employee"),
        ]
        csv = "username;first_name;last_name;email;department;team;role\n" + "".join(
            f"{name};{name.capitalize()};Jansen;{name}@example.org;Klantcontact;{team};{role}\n"
            for name, team, role in rows
        )
        result = people_import(data=csv.encode())
        assert result.ok, result.errors

    # --- What must hold after every step -----------------------------------------------------

    @invariant()
    def the_database_holds_what_was_saved(self):
        ratings = {
            r.indicator_id: "na" if r.cannot_rate else ("" if r.value is None else str(r.value))
            for r in Rating.objects.filter(assessment=self.assessment)
        }
        assert {pk: ratings.get(pk, "") for pk in self.ratings} == self.ratings
        examples = dict(
            Rating.objects.filter(assessment=self.assessment).values_list("indicator_id", "example")
        )
        reflections = dict(
            ReflectionAnswer.objects.filter(assessment=self.assessment).values_list(
                "question_id", "text"
            )
        )
        stored = {f"e{pk}": text for pk, text in examples.items()} | {
            f"q{pk}": text for pk, text in reflections.items()
        }
        assert {name: stored.get(name, "") for name in self.texts} == self.texts

    @invariant()
    def nothing_typed_and_saved_is_lost(self):
        for name, texts in self.must_contain.items():
            for text in texts:
                assert text in self.texts[name], (name, text)

    @invariant()
    def one_assessment_submitted_at_most_once(self):
        assessments = Assessment.objects.filter(
            round=self.assessment.round, assessor=self.org["anna"]
        )
        assert [a.status for a in assessments] == ["submitted" if self.submitted else "draft"]
        assert LevelResult.objects.filter(assessment=self.assessment).count() == (
            5 if self.submitted else 0
        )


def test_the_form_never_loses_an_answer(org, framework):
    FormMachine.org = org
    FormMachine.framework = framework
    run_state_machine_as_test(
        FormMachine, settings=settings(max_examples=50, stateful_step_count=40, deadline=None)
    )
