/* Kiosk tablets at a desk (templates/surveys/kiosk/): the thank-you screen goes back to a blank
   form after a few seconds, and a form left half-filled goes back to a blank one after a while
   without a touch, so the next walk-in never sees someone else's answers. Settings come from
   data attributes on <body> (CSP forbids inline scripts):
     data-reset-url        the blank form
     data-return-seconds   thank-you screen: go back after this many seconds
     data-idle-seconds     form: go back after this many seconds without a touch or a key */
(function () {
  "use strict";

  var body = document.body;
  var resetUrl = body.getAttribute("data-reset-url");
  if (!resetUrl) {
    return;
  }

  function goBack() {
    window.location.replace(resetUrl);
  }

  var returnSeconds = parseInt(body.getAttribute("data-return-seconds") || "", 10);
  if (returnSeconds > 0) {
    window.setTimeout(goBack, returnSeconds * 1000);
    return;
  }

  var idleSeconds = parseInt(body.getAttribute("data-idle-seconds") || "", 10);
  var form = document.getElementById("kiosk-form");
  if (!(idleSeconds > 0) || !form) {
    return;
  }

  // Not the blank Vietnamese form at the top of the page: someone has been here.
  function used() {
    if (window.location.search || window.scrollY > 0 || document.querySelector(".form-errors")) {
      return true;
    }
    if (form.querySelector("input[type=radio]:checked")) {
      return true;
    }
    var fields = form.querySelectorAll("select, textarea");
    for (var i = 0; i < fields.length; i += 1) {
      if (fields[i].value) {
        return true;
      }
    }
    return false;
  }

  var timer = null;
  function arm() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      if (used()) {
        goBack();
      } else {
        arm();
      }
    }, idleSeconds * 1000);
  }

  ["pointerdown", "keydown", "input", "scroll", "touchstart"].forEach(function (name) {
    document.addEventListener(name, arm, { passive: true });
  });
  arm();

  // One tap sends once: a second tap while the first answer is on its way does nothing.
  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-sending")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sending", "1");
    window.clearTimeout(timer);
  });
})();
