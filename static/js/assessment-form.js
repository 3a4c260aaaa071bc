// Autosave for the assessment form. Nothing typed is lost: every change is kept in this
// browser's localStorage until the server has confirmed it, and is sent as the person goes.
// A reload, a second tab or an expired session finds the answers back.
//
// Each answer field has a hidden base, b-<name>: the value the page was rendered with, or
// that the server last confirmed (for texts a fingerprint). A save sends only the fields
// changed here, each with its base, so it never clears what another tab answered. Ratings
// are written as clicked; a text is written only if the server still holds the version this
// page started from, and otherwise both versions are kept and the page is told so.
(function () {
  "use strict";
  const form = document.getElementById("assessment-form");
  if (!form) return;
  const key = form.dataset.storageKey;
  const statusEl = document.getElementById("save-status");
  const countEl = document.getElementById("answered-count");
  const progress = document.getElementById("progress");
  const FIELD = /^[req]\d+$/;
  const SEPARATOR = "\n\n";  // between two versions of a text that were both kept

  // localStorage holds {name: {v: value, b: base}}, or {name: {clear: true, b: base}}. Tabs
  // share it: each one adds and removes its own entries, never the whole set.
  function load() {
    let stored = {};
    try { stored = JSON.parse(localStorage.getItem(key)) || {}; } catch (e) { stored = {}; }
    const entries = {};
    Object.keys(stored).forEach(function (name) {
      const entry = stored[name];
      if (!FIELD.test(name)) return;
      if (typeof entry === "string") {
        // Kept by the previous version of this script: a bare value, no base. An empty
        // rating meant "cleared" then; now a clear is explicit, so it is dropped.
        if (entry !== "" || name[0] !== "r") entries[name] = { v: entry, b: null };
      } else if (entry && typeof entry === "object") {
        entries[name] = entry;
      }
    });
    return entries;
  }
  function write(entries) {
    try {
      if (Object.keys(entries).length) localStorage.setItem(key, JSON.stringify(entries));
      else localStorage.removeItem(key);
    } catch (e) { /* private mode or full: the server copy is all there is */ }
  }
  function same(a, b) {
    return !!a && !!b && !!a.clear === !!b.clear && a.v === b.v && a.b === b.b;
  }
  function remember(name, entry) { const all = load(); all[name] = entry; write(all); }
  function forget(name, entry) {
    const all = load();
    if (same(all[name], entry)) { delete all[name]; write(all); }
  }

  if (form.dataset.editable !== "true") {
    write({});  // submitted or closed: nothing pending can be saved any more
    return;
  }

  // A refused submit marks what still needs an answer: take the person to the first of
  // them, its first option focused (the fieldset is described by the error at the top).
  const firstToFix = form.querySelector("fieldset.indicator.missing, fieldset.indicator.has-error");
  if (firstToFix) {
    const option = firstToFix.querySelector("input[type=radio]") || firstToFix.querySelector("textarea");
    firstToFix.scrollIntoView({ block: "start", behavior: "instant" });
    if (option) option.focus({ preventScroll: true });
  }

  const pending = {};
  let timer = null;
  let inFlight = false;
  let current = null;

  function fieldValue(name) {
    const el = form.elements[name];
    return el ? el.value : "";  // a radio group's value is "" when none is checked
  }
  function setField(name, value) {
    const el = form.elements[name];
    if (!el) return;
    if (el instanceof RadioNodeList) {
      el.forEach(function (radio) { radio.checked = radio.value === value; });
    } else {
      el.value = value;
    }
  }
  function base(name) {
    const el = form.elements["b-" + name];
    return el ? el.value : "";
  }
  function setBase(name, value) {
    const el = form.elements["b-" + name];
    if (el) el.value = value;
  }
  function hasBase(entry) { return entry.b !== null && entry.b !== undefined; }
  function updateProgress() {
    let answered = 0;
    form.querySelectorAll("fieldset.indicator").forEach(function (fs) {
      if (fs.querySelector("input[type=radio]:checked")) answered += 1;
    });
    countEl.textContent = answered;
    progress.value = answered;
  }
  function say(text) { statusEl.textContent = text; }
  function csrfToken() {
    // The cookie, not the form: logging in again (in another tab) renews the token.
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : form.elements.csrfmiddlewaretoken.value;
  }
  function noteMerged(name, notice) {
    const el = form.elements[name];
    let note = document.getElementById("merged-" + name);
    if (!note) {
      note = document.createElement("div");
      note.id = "merged-" + name;
      note.className = "form-text text-warning-emphasis merged-note";
      note.setAttribute("role", "status");
      el.insertAdjacentElement("afterend", note);
    }
    note.textContent = notice;
    el.rows = Math.min(10, Math.max(el.rows, el.value.split("\n").length));  // both in view
    const details = el.closest("details");
    if (details) details.open = true;
  }

  function keep(name, entry) {
    pending[name] = entry;
    remember(name, entry);
    updateProgress();
  }
  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
  }

  function send() {
    const names = Object.keys(pending);
    if (!names.length || inFlight) return;
    inFlight = true;
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    const sent = {};
    names.forEach(function (name) {
      const entry = pending[name];
      sent[name] = entry;
      if (entry.clear) {
        body.append("clear", name.slice(1));
      } else {
        body.append(name, entry.v);
        if (hasBase(entry)) body.append("b-" + name, entry.b);
      }
    });
    let retry = true;
    say(form.dataset.msgSaving);
    current = fetch(form.dataset.autosaveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }, redirect: "manual",
    }).then(function (response) {
      const json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!response.ok || !json) {
        // A JSON error is the server's answer to these answers (refused, submitted, closed):
        // sending them again as they are would not help. Anything else (an expired session,
        // a network error) may pass later.
        if (json) {
          retry = false;
          return response.json().then(function (data) { throw new Error(data.error); });
        }
        throw new Error(form.dataset.msgOffline);
      }
      return response.json();
    }).then(function (data) {
      confirmed(sent, data);
      say(data.notice || form.dataset.msgSaved + " " + data.saved_at);
    }).catch(function (error) {
      // A TypeError is the browser's own "failed to fetch": the network is down.
      say(error instanceof TypeError ? form.dataset.msgOffline : (error.message || form.dataset.msgOffline));
    }).finally(function () {
      inFlight = false;
      if (retry && Object.keys(pending).length && !timer) timer = setTimeout(flush, 5000);
    });
  }

  // The server names, for every field sent, the base to continue from, and gives the texts
  // it kept in two versions: the page shows those (with what was typed since, if anything).
  function confirmed(sent, data) {
    Object.keys(sent).forEach(function (name) {
      const unchangedSince = same(pending[name], sent[name]);
      const newBase = (data.bases || {})[name];
      forget(name, sent[name]);
      if (newBase === undefined) {
        if (unchangedSince) delete pending[name];
        return;
      }
      setBase(name, newBase);
      const merged = (data.merged || {})[name];
      if (merged !== undefined) {
        setField(name, unchangedSince ? merged : merged + SEPARATOR + fieldValue(name));
        noteMerged(name, data.notice);
      }
      if (unchangedSince) {
        delete pending[name];
      } else {
        const entry = Object.assign({}, pending[name], { b: newBase });
        if (!entry.clear) entry.v = fieldValue(name);
        keep(name, entry);
      }
    });
  }
  function flush() { clearTimeout(timer); timer = null; send(); }

  function changed(event) {
    const name = event.target.name;
    if (!FIELD.test(name)) return;
    const note = document.getElementById("merged-" + name);
    if (note && event.type === "input") note.remove();
    keep(name, { v: fieldValue(name), b: base(name) });
    schedule(event.target.type === "radio" ? 300 : 1200);
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  form.addEventListener("click", function (event) {
    // "Clear answer": without this script it posts the form; with it, the clear is autosaved.
    const button = event.target.closest("button[name=clear]");
    if (!button) return;
    event.preventDefault();
    const name = "r" + button.value;
    setField(name, "");
    keep(name, { clear: true, b: base(name) });
    const first = form.elements[name][0];
    if (first) first.focus();  // the button hides once nothing is chosen
    schedule(300);
  });
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    timer = null;
    if (inFlight && current) {
      // An autosave is on its way: submit once it is back, with the bases it confirmed.
      event.preventDefault();
      const submitter = event.submitter;
      current.then(function () { clearTimeout(timer); form.requestSubmit(submitter); });
      return;
    }
    // A clear not yet autosaved travels with the form: an unchecked group says nothing.
    Object.keys(pending).forEach(function (name) {
      if (!pending[name].clear || form.querySelector("input[name=clear][value='" + name.slice(1) + "']")) return;
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "clear";
      input.value = name.slice(1);
      form.appendChild(input);
    });
    // The local copy stays until the next page shows that the server holds it.
  });
  window.addEventListener("pagehide", function () {
    Object.keys(pending).forEach(function (name) { remember(name, pending[name]); });
  });

  // Whether the page, as the server rendered it, lacks a change kept in this browser.
  function missingFromPage(name, entry) {
    const shown = fieldValue(name);
    if (entry.clear) return shown !== "";
    if (name[0] === "r") return entry.v !== "" && entry.v !== shown && entry.v !== entry.b;
    const text = entry.v.replace(/\r\n?/g, "\n").trim();
    return shown !== text && !shown.endsWith(SEPARATOR + text);
  }

  // Changes that never reached the server (closed tab, expired session, no network): put
  // them back and send them, with the bases they were made on. A page that shows answers
  // the server refused (data-unsaved) keeps every one of them.
  const unsaved = form.dataset.unsaved === "true";
  const stored = load();
  const restored = [];
  Object.keys(stored).forEach(function (name) {
    const entry = stored[name];
    if (!form.elements[name]) return;
    if (!unsaved && !missingFromPage(name, entry)) {
      forget(name, entry);
      return;
    }
    pending[name] = entry;
    if (hasBase(entry)) setBase(name, entry.b);
    setField(name, entry.clear ? "" : entry.v);
    restored.push(name);
  });
  if (restored.length) {
    updateProgress();
    say(form.dataset.msgRestored);
    flush();
  }
})();
