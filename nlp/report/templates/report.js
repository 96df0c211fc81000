// voc report: play buttons and the segment/kind filters. Reads only data-* attributes written by the
// template and never inserts markup, so quote text stays text.
(function () {
  "use strict";
  var each = function (selector, root, fn) { Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn); };

  // Play buttons: each one plays its quote's recording from the quote's start second.
  each("button.play", null, function (button) {
    var audio = document.getElementById(button.getAttribute("aria-controls"));
    var start = parseFloat(button.getAttribute("data-start"));
    var stopAt = parseFloat(button.getAttribute("data-end")) + 0.5;  // a breath after the quote
    var label = button.textContent;
    var clip = false;
    var unavailable = function () {
      button.disabled = true;
      button.textContent = "Recording not found";
      button.title = "Keep the recordings folder next to the reports folder to play quotes.";
    };
    button.addEventListener("click", function () {
      if (!audio.paused) { audio.pause(); return; }
      each("audio", null, function (other) { if (other !== audio) other.pause(); });
      audio.hidden = false;
      audio.currentTime = start;
      clip = true;
      var playing = audio.play();
      if (playing && playing.catch) {
        playing.catch(function (err) { if (err && err.name === "NotSupportedError") unavailable(); });
      }
    });
    audio.addEventListener("timeupdate", function () {
      if (clip && audio.currentTime >= stopAt) { clip = false; audio.pause(); }
    });
    audio.addEventListener("seeking", function () { if (audio.currentTime < start || audio.currentTime > stopAt) clip = false; });
    audio.addEventListener("play", function () { button.setAttribute("aria-pressed", "true"); button.textContent = "\u275A\u275A Pause"; });
    audio.addEventListener("pause", function () { button.setAttribute("aria-pressed", "false"); button.textContent = label; });
    audio.addEventListener("error", unavailable);
  });

  // Filters: a theme shows when a customer of the chosen segment raised it and it has quotes of the
  // chosen kind; inside it, the quotes that match both.
  var bar = document.getElementById("filters");
  if (!bar) return;
  var segment = document.getElementById("filter-segment");
  var kind = document.getElementById("filter-kind");
  var count = document.getElementById("filter-count");
  var themes = document.querySelectorAll("article.theme");
  var has = function (el, attribute, value) { return !value || JSON.parse(el.getAttribute(attribute) || "[]").indexOf(value) >= 0; };
  // Further filters (channel, question): <select data-filter="NAME"> matches a theme listing the value in
  // data-NAME-list and a quote whose data-NAME is the value.
  var extra = bar.querySelectorAll("select[data-filter]");
  var others = function (el, isTheme) {
    return Array.prototype.every.call(extra, function (select) {
      var name = select.getAttribute("data-filter");
      if (!select.value) return true;
      return isTheme ? has(el, "data-" + name + "-list", select.value) : el.getAttribute("data-" + name) === select.value;
    });
  };
  var apply = function () {
    var shown = 0;
    Array.prototype.forEach.call(themes, function (theme) {
      var match = has(theme, "data-segments", segment.value) && has(theme, "data-kinds", kind.value) && others(theme, true);
      theme.hidden = !match;
      if (!match) return;
      shown += 1;
      var quotes = 0;
      each(".quote", theme, function (quote) {
        var ok = has(quote, "data-segments", segment.value) && (!kind.value || quote.getAttribute("data-kind") === kind.value) &&
          others(quote, false);
        quote.hidden = !ok;
        quotes += ok ? 1 : 0;
      });
      theme.querySelector(".no-match").hidden = quotes > 0;
    });
    count.textContent = "Showing " + shown + " of " + themes.length + " themes";
  };
  segment.addEventListener("change", apply);
  kind.addEventListener("change", apply);
  Array.prototype.forEach.call(extra, function (select) { select.addEventListener("change", apply); });
  bar.hidden = false;
  apply();
})();
