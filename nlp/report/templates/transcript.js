// voc transcript page: each time button plays the recording from its line; the line being played is
// outlined; a link to a quote (#q-<id>) marks the quote and sets the recording to its second.
// Reads only data-* attributes written by the template and never inserts markup.
(function () {
  "use strict";
  var audio = document.getElementById("player");
  var lines = Array.prototype.slice.call(document.querySelectorAll("p.line"));
  var starts = lines.map(function (line) { return parseFloat(line.getAttribute("data-start")); });

  var seek = function (seconds) {
    if (audio.readyState >= 1) { audio.currentTime = seconds; return; }
    audio.addEventListener("loadedmetadata", function () { audio.currentTime = seconds; }, { once: true });
    audio.load();
  };

  if (audio) {
    Array.prototype.forEach.call(document.querySelectorAll("button.time"), function (button) {
      button.addEventListener("click", function () {
        audio.currentTime = parseFloat(button.getAttribute("data-start"));
        var playing = audio.play();
        if (playing && playing.catch) playing.catch(function () {});
      });
    });
    var current = null;
    audio.addEventListener("timeupdate", function () {
      var i = starts.length - 1;
      while (i > 0 && starts[i] > audio.currentTime + 0.05) i -= 1;
      if (current !== lines[i]) {
        if (current) current.classList.remove("playing");
        current = lines[i];
        current.classList.add("playing");
      }
    });
    audio.addEventListener("error", function () {
      document.getElementById("player-note").textContent =
        "Recording not found: keep the recordings folder next to the reports folder to play it.";
    });
  }

  var arrive = function () {
    var id = decodeURIComponent(location.hash.slice(1));
    Array.prototype.forEach.call(document.querySelectorAll("mark.current"), function (m) { m.classList.remove("current"); });
    if (id.indexOf("q-") !== 0) return;
    var mark = document.getElementById(id);
    if (!mark) return;
    var quote = mark.getAttribute("data-quote");
    Array.prototype.forEach.call(document.querySelectorAll("mark.q"), function (m) {
      if (m.getAttribute("data-quote") === quote) m.classList.add("current");
    });
    mark.scrollIntoView({ block: "center" });
    if (audio) seek(parseFloat(mark.getAttribute("data-start")));
  };
  window.addEventListener("hashchange", arrive);
  arrive();
})();
