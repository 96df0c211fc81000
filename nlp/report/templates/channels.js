// voc report: the dated trend's week/month switch. Shows one chart, hides the other; inserts no markup.
(function () {
  "use strict";
  var buttons = document.querySelectorAll(".period-switch button[data-period]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () {
      var period = button.getAttribute("data-period");
      Array.prototype.forEach.call(document.querySelectorAll(".period-chart"), function (chart) {
        chart.hidden = chart.getAttribute("data-period") !== period;
      });
      Array.prototype.forEach.call(buttons, function (other) {
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
    });
  });
})();
