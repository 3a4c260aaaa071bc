// Autosave for the assessment form. Nothing typed is lost: every change is kept in this
// browser's localStorage until the server has confirmed it, and is sent as the person goes.
// A reload, a second tab or an expired session finds the answers back.
(function () {
  "use strict";
  const form = document.getElementById("assessment-form");
  if (!form) return;
  const key = form.dataset.storageKey;
  const statusEl = document.getElementById("save-status");
  const countEl = document.getElementById("answered-count");
  const progress = document.getElementById("progress");
  const revisionInput = document.getElementById("id_revision");
  const FIELD = /^[req]\d+$/;

  function load() {
    try { return JSON.parse(localStorage.getItem(key)) || {}; } catch (e) { return {}; }
  }
  function store(pending) {
    try {
      if (Object.keys(pending).length) localStorage.setItem(key, JSON.stringify(pending));
      else localStorage.removeItem(key);
    } catch (e) { /* private mode: the server copy is all there is */ }
  }

  if (form.dataset.editable !== "true") {
    store({});  // submitted or closed: nothing pending can be saved any more
    return;
  }

  let pending = load();
  let timer = null;
  let inFlight = false;
  let current = null;

  function fieldValue(name) {
    const el = form.elements[name];
    if (!el) return null;
    if (el instanceof RadioNodeList) return el.value;
    return el.value;
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
  function updateProgress() {
    let answered = 0;
    form.querySelectorAll("fieldset.indicator").forEach(function (fs) {
      if (fs.querySelector("input[type=radio]:checked")) answered += 1;
    });
    countEl.textContent = answered;
    progress.value = answered;
  }
  function say(text) { statusEl.textContent = text; }

  function send() {
    const names = Object.keys(pending);
    if (!names.length || inFlight) return;
    inFlight = true;
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    const sent = {};
    names.forEach(function (name) { body.append(name, pending[name]); sent[name] = pending[name]; });
    say(form.dataset.msgSaving);
    current = fetch(form.dataset.autosaveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }, redirect: "manual",
    }).then(function (response) {
      const json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!response.ok || !json) {
        if (json) return response.json().then(function (data) { throw new Error(data.error); });
        throw new Error(form.dataset.msgOffline);
      }
      return response.json();
    }).then(function (data) {
      Object.keys(sent).forEach(function (name) {
        if (pending[name] === sent[name]) delete pending[name];
      });
      store(pending);
      revisionInput.value = data.revision;
      say(form.dataset.msgSaved + " " + data.saved_at);
    }).catch(function (error) {
      // A TypeError is the browser's own "failed to fetch": the network is down.
      say(error instanceof TypeError ? form.dataset.msgOffline : (error.message || form.dataset.msgOffline));
    }).finally(function () {
      inFlight = false;
      if (Object.keys(pending).length && !timer) timer = setTimeout(flush, 5000);
    });
  }
  function flush() { clearTimeout(timer); timer = null; send(); }
  function changed(event) {
    const name = event.target.name;
    if (!FIELD.test(name)) return;
    pending[name] = fieldValue(name);
    store(pending);
    updateProgress();
    clearTimeout(timer);
    timer = setTimeout(flush, event.target.type === "radio" ? 300 : 1200);
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  form.addEventListener("submit", function (event) {
    // The full form carries every answer; keep the local copy until the next page confirms.
    clearTimeout(timer);
    if (inFlight && current) {
      // An autosave is on its way: submit once it is back, with the revision it made.
      event.preventDefault();
      const submitter = event.submitter;
      current.then(function () { clearTimeout(timer); form.requestSubmit(submitter); });
    }
  });
  window.addEventListener("pagehide", function () { store(pending); });

  // Answers that never reached the server (closed tab, expired session): put them back.
  const restored = Object.keys(pending).filter(function (name) { return form.elements[name]; });
  if (restored.length) {
    restored.forEach(function (name) { setField(name, pending[name]); });
    updateProgress();
    say(form.dataset.msgRestored);
    flush();
  }
})();
