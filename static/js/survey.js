/* The citizen's survey form (templates/surveys/partials/sheet.html): keeps the count of criteria
   answered in the bar that sticks to the top of the screen ("7 of 19 answered"). The form works
   the same without it; the bar is a visual aid (screen readers have the fieldsets and legends).
   The wording comes from the bar's data-template, translated on the server (CSP forbids inline
   scripts). */
(function () {
  "use strict";

  var bar = document.querySelector(".survey-progress");
  var form = bar && bar.closest("form");
  var count = bar && bar.querySelector(".survey-progress__count");
  if (!form || !count) {
    return;
  }
  var total = parseInt(bar.getAttribute("data-total") || "0", 10);
  var template = bar.getAttribute("data-template") || "{done}/{total}";

  function update() {
    var done = form.querySelectorAll(".scale input[type=radio]:checked").length;
    count.textContent = template.replace("{done}", String(done)).replace("{total}", String(total));
  }

  count.hidden = false;
  update();
  form.addEventListener("change", update);
})();
