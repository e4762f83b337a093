/* Groeiwijzer TSO: small progressive enhancements. No inline scripts (CSP). */
(function () {
  "use strict";

  // The site menu folds behind a "Menu" button on a phone (static/css/app.css). Without JavaScript the button stays
  // hidden and the menu simply wraps.
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".gw-menu-toggle");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    document.documentElement.classList.add("gw-js-menu");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    });
    menu.addEventListener("keydown", function (evt) {
      if (evt.key === "Escape" && menu.classList.contains("is-open")) {
        toggle.setAttribute("aria-expanded", "false");
        menu.classList.remove("is-open");
        toggle.focus();
      }
    });
  });

  // Draft safety net: keep every keystroke of a [data-draft-key] form in this browser until the
  // server has stored it. If the session expired or the browser closed, put it back on load.
  function formState(form) {
    var state = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit") return;
      if (el.type === "radio") { if (el.checked) state[el.name] = el.value; else if (!(el.name in state)) state[el.name] = ""; }
      else state[el.name] = el.value;
    });
    return state;
  }
  function applyState(form, state) {
    Object.keys(state).forEach(function (name) {
      var els = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      Array.prototype.forEach.call(els, function (el) {
        if (el.type === "radio") el.checked = el.value === state[name];
        else el.value = state[name];
      });
    });
  }
  // The version a form was loaded with changes with every save (htmx swaps in the new one), so it is not
  // part of what the user typed: a copy that differs only in its version is already on the server.
  var VERSION_FIELDS = { version: true, force_version: true, save_page: true, save_seq: true };
  function sameInput(a, b) {
    return Object.keys(a).concat(Object.keys(b)).every(function (n) { return VERSION_FIELDS[n] || a[n] === b[n]; });
  }
  function setupDraftForm(form) {
    // Autosaved forms have hx-post; plain forms opt in with data-draft-local (kept here until submitted).
    if (!form.hasAttribute("data-hx-post") && !form.hasAttribute("data-draft-local")) return;  // read-only: keep any copy
    var key = "gw-draft:" + form.dataset.draftKey;
    var status = document.getElementById(form.dataset.statusId || "save-status");
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
    if (stored && stored.state) {
      var now = formState(form);
      if (!sameInput(stored.state, now)) {
        applyState(form, stored.state);
        if (status) status.textContent = form.dataset.restoredText || "";
        form.dispatchEvent(new Event("change", { bubbles: true }));
      } else {
        localStorage.removeItem(key);
      }
    }
    function remember() {
      try { localStorage.setItem(key, JSON.stringify({ state: formState(form), at: Date.now() })); } catch (e) { /* private mode */ }
    }
    form.addEventListener("input", remember);
    form.addEventListener("change", remember);
    form.addEventListener("htmx:afterRequest", function (evt) {
      var code = evt.detail.xhr ? evt.detail.xhr.status : 0;
      // 2xx: stored. 409: the server will not take it any more (submitted, round closed). 400 keeps the copy.
      if (evt.detail.successful && code !== 400) {
        var saved = formState(form);
        try {
          var cur = JSON.parse(localStorage.getItem(key) || "null");
          if (!cur || sameInput(cur.state, saved)) {
            localStorage.removeItem(key);
          } else if ("version" in saved) {  // typed on while saving: keep the copy, with the version just saved
            cur.state.version = saved.version;
            localStorage.setItem(key, JSON.stringify(cur));
          }
        } catch (e) { /* ignore */ }
      } else if (code === 401 && status) {
        // Already saying so: leave the link alone. Rebuilding it while someone presses it (the blur of the
        // text field sends one more save) would swallow the click.
        if (status.querySelector("a.gw-login-again")) return;
        status.innerHTML = "";
        var p = document.createElement("span");
        p.textContent = form.dataset.loggedOutText || "";
        var a = document.createElement("a");
        a.href = form.dataset.loginUrl;
        a.className = "utrecht-link gw-login-again";
        a.textContent = form.dataset.loginLinkText || "";
        status.appendChild(p); status.appendChild(document.createTextNode(" ")); status.appendChild(a);
      } else if (!evt.detail.successful && status) {
        // No connection, or an error page (e.g. 403 after logging in again in another tab): never show
        // that page here; say it was not saved. The answers stay in localStorage; a reload restores them.
        status.textContent = form.dataset.failedText || "";
      }
    });
    form.addEventListener("submit", function (evt) {
      if (evt.defaultPrevented) return;  // not sent yet (an autosave is under way): keep the copy
      try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
    });
  }

  // A form that saves itself (hx-post) and also has a submit button: pressing the button while an autosave is
  // still under way waits for it (at most ten seconds), so the two cannot arrive the other way round and leave
  // the older values stored.
  function holdSubmitWhileSaving(form) {
    var holding = false;
    form.addEventListener("submit", function (evt) {
      if (evt.defaultPrevented) return;
      if (holding) { evt.preventDefault(); return; }  // pressed again while waiting: it goes once
      if (!form.classList.contains("htmx-request")) return;
      evt.preventDefault();
      holding = true;
      var submitter = evt.submitter || null;
      var waited = 0;
      (function retry() {
        if (form.classList.contains("htmx-request") && waited < 10000) { waited += 100; setTimeout(retry, 100); return; }
        holding = false;
        if (form.requestSubmit) form.requestSubmit(submitter); else form.submit();
      })();
    });
  }

  // Save order: every save of a [data-save-order] form says which open page sent it and its number on that
  // page. The server keeps what a later save stored when an earlier one arrives late (an autosave overtaken by
  // "Opslaan en verder" on a slow connection), instead of putting older text back.
  function setupSaveOrder(form) {
    var page = (Math.random().toString(36).slice(2) + Date.now().toString(36)).replace(/[^a-z0-9]/g, "").slice(0, 32);
    var seq = 0;
    function stamp(set) { seq += 1; set("save_page", page); set("save_seq", String(seq)); }
    form.addEventListener("htmx:configRequest", function (evt) {
      stamp(function (name, value) { evt.detail.parameters[name] = value; });
    });
    form.addEventListener("submit", function (evt) {
      if (evt.defaultPrevented) return;  // held back until the autosave is done: stamped when it goes
      stamp(function (name, value) { var el = form.elements[name]; if (el) el.value = value; });
    });
  }

  // Presentation view (the meeting screen): arrow keys move between accents, Escape goes back to the consensus
  // page, "Volledig scherm" uses the Fullscreen API. A page load ends full screen, so while full screen the next
  // accent is fetched and swapped in (same origin, plain HTML: no script runs from it).
  function setupPresentation(root) {
    var button = root.querySelector("[data-fullscreen]");
    var label = button ? button.textContent.trim() : "";
    var pushed = false;

    function current() { return document.querySelector("[data-presentation]"); }

    function syncButton() {
      var b = current().querySelector("[data-fullscreen]");
      if (!b) return;
      if (document.fullscreenEnabled) b.hidden = false;
      b.textContent = document.fullscreenElement ? b.dataset.labelExit : label;
      b.setAttribute("aria-pressed", document.fullscreenElement ? "true" : "false");
    }

    function go(href) {
      if (!document.fullscreenElement || !window.fetch || !window.DOMParser) { window.location.href = href; return; }
      fetch(href, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("[data-presentation]");
        if (!fresh) throw new Error("no presentation");
        current().replaceWith(document.importNode(fresh, true));
        document.title = doc.title;
        window.history.pushState({ presentation: true }, "", href);
        pushed = true;
        syncButton();
        var heading = current().querySelector("h1");
        if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
      }).catch(function () { window.location.href = href; });
    }

    document.addEventListener("keydown", function (evt) {
      if (evt.target.closest("input, textarea, select")) return;
      if (evt.altKey || evt.ctrlKey || evt.metaKey) return;
      var here = current();
      var link = null;
      if (evt.key === "ArrowRight" || evt.key === "PageDown") link = here.querySelector("[data-next]");
      if (evt.key === "ArrowLeft" || evt.key === "PageUp") link = here.querySelector("[data-prev]");
      if (link) { evt.preventDefault(); go(link.href); return; }
      if (evt.key === "Escape" && !document.fullscreenElement) {  // in full screen Escape first leaves it
        var back = here.querySelector("[data-back]");
        if (back) { evt.preventDefault(); window.location.href = back.href; }
      }
    });
    document.addEventListener("click", function (evt) {
      var link = evt.target.closest("[data-presentation] [data-next], [data-presentation] [data-prev]");
      if (link && document.fullscreenElement) { evt.preventDefault(); go(link.href); return; }
      if (evt.target.closest("[data-presentation] [data-fullscreen]")) {
        if (document.fullscreenElement) document.exitFullscreen();
        else document.documentElement.requestFullscreen().catch(function () {});
      }
    });
    document.addEventListener("fullscreenchange", syncButton);
    window.addEventListener("popstate", function () { if (pushed) window.location.reload(); });
    syncButton();
  }

  // Confirm dangerous buttons.
  function setupConfirm() {
    document.addEventListener("submit", function (evt) {
      var msg = evt.target.dataset && evt.target.dataset.confirm;
      if (msg && !window.confirm(msg)) evt.preventDefault();
    });
  }

  // Logging out from any page removes the drafts of the Opbrengsten questionnaire from this browser
  // (static/js/survey-draft.js keeps them here only, under "gw-survey:..."): a shared computer keeps nothing.
  function clearSurveyDraftsOnLogout() {
    document.addEventListener("submit", function (evt) {
      var action = evt.target.getAttribute && evt.target.getAttribute("action");
      if (!action || !/\/uitloggen\/$/.test(action)) return;
      try {
        for (var i = localStorage.length - 1; i >= 0; i--) {
          var key = localStorage.key(i);
          if (key && key.indexOf("gw-survey:") === 0) localStorage.removeItem(key);
        }
      } catch (e) { /* private mode: nothing stored */ }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Forms whose submit htmx sends itself (hx-trigger "submit") queue it already (hx-sync).
    document.querySelectorAll('form[data-hx-post][data-hx-trigger]:not([data-hx-trigger*="submit"])').forEach(holdSubmitWhileSaving);
    document.querySelectorAll("form[data-save-order]").forEach(setupSaveOrder);
    document.querySelectorAll("form[data-draft-key]").forEach(setupDraftForm);
    var pres = document.querySelector("[data-presentation]");
    if (pres) setupPresentation(pres);
    setupConfirm();
    clearSurveyDraftsOnLogout();
  });
})();
document.addEventListener("click", function (evt) {
  if (evt.target.closest("[data-print]")) window.print();
});
