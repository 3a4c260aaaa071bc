// Keeps what is typed in a form in this browser until the server has it, so that an expired
// session, a closed tab or a lost connection loses nothing: the next visit puts it back.
(function () {
  "use strict";
  const form = document.querySelector("form[data-keeper-key]");
  if (!form) return;
  const key = form.dataset.keeperKey;
  function load() { try { return JSON.parse(localStorage.getItem(key)) || {}; } catch (e) { return {}; } }
  function store(values) {
    try {
      if (Object.keys(values).length) localStorage.setItem(key, JSON.stringify(values));
      else localStorage.removeItem(key);
    } catch (e) { /* private mode: nothing to keep */ }
  }
  // The page after a save, or a form that can no longer change: the server has it all.
  if (form.dataset.keeperSaved === "true" || form.dataset.keeperEditable !== "true") {
    store({});
    return;
  }
  const kept = load();
  let restored = false;
  Object.keys(kept).forEach(function (name) {
    const field = form.elements[name];
    if (!field) return;
    if (field instanceof RadioNodeList) {
      field.forEach(function (radio) {
        if (radio.value === kept[name] && !radio.checked) { radio.checked = true; restored = true; }
      });
    } else if (field.value !== kept[name]) {
      field.value = kept[name];
      restored = true;
    }
  });
  if (restored) {
    const note = document.createElement("div");
    note.className = "alert alert-warning";
    note.setAttribute("role", "status");
    note.textContent = form.dataset.msgRestored;
    form.parentNode.insertBefore(note, form);
  }
  function remember(event) {
    const name = event.target.name;
    if (!name || name === "csrfmiddlewaretoken") return;
    const values = load();
    values[name] = event.target.value;
    store(values);
  }
  form.addEventListener("change", remember);
  form.addEventListener("input", remember);
})();
