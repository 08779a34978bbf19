/* Fast keyboard entry of paper survey forms (templates/surveys/staff/paper_entry.html).
   Progressive enhancement: without this script each row is a plain text box and Tab moves on.
   With it, typing an answer moves to the next row by itself:
     five-level forms: 1-5, or 0 / "-" for "not applicable" (anything else is refused);
     0-10 forms: a score, moving on after 0, 2-9 or 10 (a "1" waits for a possible "10").
   Enter moves on instead of saving, Ctrl+Enter (or Cmd+Enter) saves the sheet. */
(function () {
  "use strict";

  var form = document.getElementById("paper-form");
  if (!form) {
    return;
  }
  var fiveLevel = form.getAttribute("data-scale") === "five_level";
  var order = Array.prototype.slice.call(
    form.querySelectorAll("#id_serial, #id_dossier_code, input.paper-cell, select.paper-select, #id_comment")
  );
  var submit = form.querySelector("button[type=submit]");

  function next(element) {
    var target = order[order.indexOf(element) + 1] || submit;
    target.focus();
    if (typeof target.select === "function") {
      target.select();
    }
  }

  function complete(value) {
    return fiveLevel ? /^[0-5-]$/.test(value) : /^(10|[02-9])$/.test(value);
  }

  function acceptable(value) {
    return fiveLevel ? /^[0-5-]?$/.test(value) : /^(10|[0-9])?$/.test(value);
  }

  Array.prototype.forEach.call(form.querySelectorAll("input.paper-cell"), function (cell) {
    cell.addEventListener("focus", function () {
      cell.select();
    });
    cell.addEventListener("input", function () {
      var value = cell.value.trim();
      if (!acceptable(value)) {
        cell.value = "";
        cell.classList.add("paper-cell--refused");
        return;
      }
      cell.classList.remove("paper-cell--refused");
      if (complete(value)) {
        next(cell);
      }
    });
  });

  order.forEach(function (element) {
    if (element.tagName === "TEXTAREA") {
      return;
    }
    element.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        next(element);
      }
    });
  });

  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }
  });

  var first = order[0];
  if (first && document.activeElement === first && typeof first.select === "function") {
    first.select();
  }
})();
