// Agenda-abonnement (templates/accounts/calendar_feed.html): a button that copies the subscription link. Without
// JavaScript, or without clipboard access, the link stays selectable in its read-only field.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentElement.querySelector("[data-copy-status]");
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    field.addEventListener("focus", function () { field.select(); });
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () { if (status) status.textContent = button.getAttribute("data-copied"); },
        function () { field.select(); if (status) status.textContent = button.getAttribute("data-copy-failed"); }
      );
    });
  });
})();
