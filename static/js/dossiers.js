/* Dossier pages: keyboard help for the intake form. Loaded from our own static files (the
   Content Security Policy allows no inline script); every page also works without it. */
(function () {
  "use strict";

  var FOCUS_WAIT_MS = 1500;

  function procedureSelect() {
    return document.getElementById("id_procedure");
  }

  // In the procedure search box, Enter or ↓ moves to the list of matches (the first one is
  // already chosen by the server) instead of submitting the whole form. When a search is still
  // on its way, focus moves once its answer has been swapped in.
  document.addEventListener("keydown", function (event) {
    var search = event.target;
    if (!search || search.id !== "procedure-search") {
      return;
    }
    if (event.key !== "Enter" && event.key !== "ArrowDown") {
      return;
    }
    event.preventDefault();
    var select = procedureSelect();
    if (!select) {
      return;
    }
    var moved = false;
    var move = function () {
      if (moved) {
        return;
      }
      moved = true;
      document.body.removeEventListener("htmx:afterSettle", onSettle);
      if (select.selectedIndex < 0 && select.options.length && !select.options[0].disabled) {
        select.selectedIndex = 0;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      select.focus();
    };
    var onSettle = function (settled) {
      if (settled.detail && settled.detail.target === select) {
        move();
      }
    };
    if (event.key === "Enter" && window.htmx) {
      // Search now for what is typed (the search on typing waits a moment), then move.
      document.body.addEventListener("htmx:afterSettle", onSettle);
      window.setTimeout(move, FOCUS_WAIT_MS);
      window.htmx.trigger(search, "search");
    } else {
      move();
    }
  });
})();
