// voc report: the search box. It looks through every quote row of the page (each theme's quotes and those
// in no theme), offline: a row matches a word of the query when one of its words starts with it (after
// trimming plural and -ing/-ed endings; common words like "to" left out), and rows matching more of the
// query's words come first.
// Results are copies of the rows; matches are marked by building text nodes, never markup from text.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var input = document.getElementById("search-box");
  var count = document.getElementById("search-count");
  var results = document.getElementById("search-results");
  var rows = Array.prototype.slice.call(document.querySelectorAll("section#themes li.quote-row, section#unthemed li.quote-row"));
  var LIMIT = 50;

  // Words too common to tell quotes apart; the query's other words decide.
  var COMMON = ("a an and are as at be but by do for from has have i in is it its me my of on or our so that the " +
                "their them they this to was we were what when with you your").split(" ");
  var stem = function (word) {
    return word.length > 4 ? word.replace(/(ing|ed|es|s)$/, "") : word;
  };
  var words = function (text) {
    return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []).map(stem);
  };
  var queryWords = function (text) {
    return words(text).filter(function (w) { return COMMON.indexOf(w) < 0; });
  };
  // A query word of three letters or more matches the start of a word ("export" finds "exports"); a
  // shorter one only the whole word.
  var matches = function (word, q) { return q.length < 3 ? word === q : word.indexOf(q) === 0; };
  var index = rows.map(function (row) { return words(row.getAttribute("data-search")); });

  var mark = function (element, query) {
    var text = element.textContent;
    element.textContent = "";
    text.split(/([\p{L}\p{N}]+)/u).forEach(function (part) {
      var hit = part && query.some(function (q) { return matches(stem(part.toLowerCase()), q); });
      if (hit) {
        var m = document.createElement("mark");
        m.textContent = part;
        element.appendChild(m);
      } else if (part) {
        element.appendChild(document.createTextNode(part));
      }
    });
  };

  var run = function () {
    var query = queryWords(input.value);
    while (results.firstChild) results.removeChild(results.firstChild);
    if (!query.length) { count.textContent = ""; return; }
    var scored = [];
    index.forEach(function (known, i) {
      var found = 0, hits = 0;
      query.forEach(function (q) {
        var n = known.filter(function (w) { return matches(w, q); }).length;
        if (n) { found += 1; hits += n; }
      });
      if (found) scored.push([found, hits, i]);
    });
    scored.sort(function (a, b) { return b[0] - a[0] || b[1] - a[1] || a[2] - b[2]; });
    var all = scored.filter(function (s) { return s[0] === query.length; }).length;
    count.textContent = scored.length === 0 ? "No quote matches." :
      all + " quote" + (all === 1 ? "" : "s") + " match every word" +
      (scored.length > all ? ", " + (scored.length - all) + " some" : "") +
      (scored.length > LIMIT ? "; the first " + LIMIT + " are shown." : ".");
    scored.slice(0, LIMIT).forEach(function (s) {
      var copy = rows[s[2]].cloneNode(true);
      mark(copy.querySelector("q"), query);
      results.appendChild(copy);
    });
  };
  input.addEventListener("input", run);
  input.addEventListener("keydown", function (e) { if (e.key === "Escape") { input.value = ""; run(); } });
  box.hidden = false;
})();
