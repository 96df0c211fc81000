// voc workspace: every form.ws-edit sends one edit (JSON, with the page's CSRF token) and the page
// is rendered again by the server. Messages are set as text, never as markup.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="voc-csrf"]').getAttribute("content");
  var status = document.getElementById("ws-status");
  var show = function (message, bad) {
    status.textContent = message;
    status.className = bad ? "ws-status bad" : "ws-status";
    status.hidden = false;
  };

  var editOf = function (form) {
    var action = form.getAttribute("data-action");
    var targets = JSON.parse(form.getAttribute("data-targets"));
    var payload = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.type !== "checkbox" && el.type !== "submit") payload[el.name] = el.value;
    });
    if (action === "theme.merge") {  // this theme goes into the chosen one, which keeps its id
      targets = [payload.into].concat(targets);
      delete payload.into;
    }
    if (action === "theme.split") {
      Array.prototype.forEach.call(form.closest("article").querySelectorAll('input[name="split"]:checked'),
        function (box) { targets.push(box.value); });
    }
    return {action: action, targets: targets, payload: payload};
  };

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("ws-edit")) return;
    event.preventDefault();
    var buttons = form.querySelectorAll("button");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    fetch("api/edits", {
      method: "POST", credentials: "same-origin", body: JSON.stringify(editOf(form)),
      headers: {"Content-Type": "application/json", "X-CSRF-Token": token}
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || "the edit was refused");
        sessionStorage.setItem("voc-scroll", String(window.scrollY));
        sessionStorage.setItem("voc-message", data.message);
        window.location.reload();
      });
    }).catch(function (err) {
      show(err.message, true);
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
    });
  });

  var message = sessionStorage.getItem("voc-message");
  var scroll = sessionStorage.getItem("voc-scroll");
  sessionStorage.removeItem("voc-message");
  sessionStorage.removeItem("voc-scroll");
  if (message) show(message, false);
  if (scroll) window.scrollTo(0, parseFloat(scroll));
})();
