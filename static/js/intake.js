/* Groeiwijzer TSO, voorgesprekken: keep the browser copy of an autosaved note in step with the server.
   After a save the form carries the note's new version (swapped in by htmx). app.js keeps the browser copy
   when its state differs from the form, and the version always differs after a save; a reload would then
   put the old version back and the next save would look like someone else's change. So: once the server
   has the text, drop the copy; if the user typed on meanwhile, keep the copy but give it the new version. */
(function () {
  "use strict";
  var IGNORED = { version: true, force_version: true, csrfmiddlewaretoken: true };

  function values(form) {
    var state = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.type !== "submit") state[el.name] = el.value;
    });
    return state;
  }

  document.addEventListener("htmx:afterRequest", function (evt) {
    var form = evt.target && evt.target.closest ? evt.target.closest("form[data-note-draft]") : null;
    var code = evt.detail.xhr ? evt.detail.xhr.status : 0;
    if (!form || !evt.detail.successful || code === 400) return;
    var key = "gw-draft:" + form.dataset.draftKey;
    var stored;
    try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return; }
    if (!stored || !stored.state) return;
    var now = values(form);
    var same = Object.keys(stored.state).every(function (n) { return IGNORED[n] || stored.state[n] === now[n]; });
    try {
      if (same) {
        localStorage.removeItem(key);
      } else {
        stored.state.version = now.version;
        localStorage.setItem(key, JSON.stringify(stored));
      }
    } catch (e) { /* private mode */ }
  });
})();
