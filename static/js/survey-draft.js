/* Groeiwijzer TSO, Opbrengsten: the questionnaire's draft lives in this browser only (localStorage), never on the
   server, so answers are never tied to a person. Keyed by survey and user; cleared on submit and on logout. */
(function () {
  "use strict";
  function state(form) {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[type=radio]:checked"), function (el) { out[el.name] = el.value; });
    return out;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-survey-draft]");
    if (!form) return;
    var key = form.dataset.surveyDraft;
    var status = document.getElementById("survey-draft-status");
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved && !Object.keys(state(form)).length) {  // a re-rendered failed submit keeps what was sent instead
      var restored = 0;
      Object.keys(saved).forEach(function (name) {
        var el = form.querySelector('input[type=radio][name="' + CSS.escape(name) + '"][value="' + CSS.escape(saved[name]) + '"]');
        if (el) { el.checked = true; restored += 1; }
      });
      if (restored && status) status.textContent = form.dataset.restoredText || "";
    }
    form.addEventListener("change", function () {
      try { localStorage.setItem(key, JSON.stringify(state(form))); } catch (e) { /* private mode */ }
    });
    form.addEventListener("submit", function () { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } });
    // Logging out (from any page) removes every questionnaire's draft: static/js/app.js.
  });
})();
