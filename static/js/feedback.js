/* Feedback pages: keyboard help. Loaded from our own static files (the Content Security Policy
   allows no inline script); every page also works without it.
   - In a unit search box (the citizens' form, the transfer panel), Enter searches now and
     moves to the list of matches instead of sending the form.
   - In the staff entry form, Ctrl+Enter (or Cmd+Enter) saves from anywhere, a text area too. */
(function () {
  "use strict";

  var SEARCHES = { "unit-search": "id_unit", "transfer-search": "id_transfer-to_unit" };
  var FOCUS_WAIT_MS = 1500;

  document.addEventListener("keydown", function (event) {
    var search = event.target;
    var selectId = search && SEARCHES[search.id];
    if (!selectId || (event.key !== "Enter" && event.key !== "ArrowDown")) {
      return;
    }
    event.preventDefault();
    var select = document.getElementById(selectId);
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
      if (select.selectedIndex <= 0 && select.options.length > 1 && !select.options[1].disabled) {
        select.selectedIndex = 1;
      }
      select.focus();
    };
    var onSettle = function (settled) {
      if (settled.detail && settled.detail.target === select) {
        move();
      }
    };
    if (event.key === "Enter" && window.htmx) {
      document.body.addEventListener("htmx:afterSettle", onSettle);
      window.setTimeout(move, FOCUS_WAIT_MS);
      window.htmx.trigger(search, "search");
    } else {
      move();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) {
      return;
    }
    var form = event.target && event.target.form;
    if (!form || form.id !== "entry-form") {
      return;
    }
    event.preventDefault();
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });
})();
