// A meeting's pages follow its events: on each change the page fetches itself again and swaps in the part
// that changed ([data-live-region]). The speaker's timer counts down from the end of their time as the
// server stated it. A vote cast from the page is posted in the background and the page's answer put in
// place, so the voter's own page says the vote is cast without reloading. Without script nothing here
// runs: the forms post, and the page is right on reload.
(function () {
  "use strict";

  var skew = 0; // server time minus this device's time, from the page's data-server-now

  function tick() {
    document.querySelectorAll("[data-ends-at]").forEach(function (node) {
      var end = Date.parse(node.getAttribute("data-ends-at"));
      if (isNaN(end)) return;
      var left = Math.round((end - (Date.now() + skew)) / 1000);
      var sign = left < 0 ? "-" : "";
      var abs = Math.abs(left);
      var secs = abs % 60;
      var time = sign + Math.floor(abs / 60) + ":" + (secs < 10 ? "0" : "") + secs;
      // The words around the time come from the page, in its language ("%(time)s left").
      var words = node.getAttribute(left < 0 ? "data-over" : "data-left") || "%(time)s";
      node.textContent = words.replace("%(time)s", time);
      node.classList.toggle("over", left < 0);
    });
  }

  function measure() {
    var node = document.querySelector("[data-server-now]");
    if (node) {
      var server = Date.parse(node.getAttribute("data-server-now"));
      if (!isNaN(server)) skew = server - Date.now();
    }
  }

  var voteSource = null;
  var voteSrc = "";

  // An open vote's turnout and result come on the vote's own topic: follow it while the page shows one.
  function followVote() {
    var node = document.querySelector("[data-vote-src]");
    var src = node ? node.getAttribute("data-vote-src") : "";
    if (src === voteSrc) return;
    if (voteSource) voteSource.close();
    voteSource = null;
    voteSrc = src;
    if (!src || !("EventSource" in window)) return;
    voteSource = new EventSource(src);
    voteSource.addEventListener("turnout", function (event) {
      var data = JSON.parse(event.data);
      document.querySelectorAll("[data-vote-turnout]").forEach(function (n) { n.textContent = String(data.turnout); });
    });
    voteSource.addEventListener("closed", refresh);
  }

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-region]");
        var here = document.querySelector("[data-live-region]");
        if (fresh && here) {
          here.replaceWith(fresh);
          measure();
          tick();
          followVote();
        }
      })
      .catch(function () { /* shown right on the next event or reload */ });
  }

  // Put the part of a freshly fetched page that changed, and its messages, in place of this page's.
  function swapIn(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.querySelector("[data-live-region]");
    var here = document.querySelector("[data-live-region]");
    if (!fresh || !here) return false;
    here.replaceWith(fresh);
    var main = document.querySelector("main");
    document.querySelectorAll("main > ul.messages").forEach(function (n) { n.remove(); });
    var said = doc.querySelector("main > ul.messages");
    if (main && said) main.insertBefore(document.importNode(said, true), main.firstChild);
    measure();
    tick();
    followVote();
    return true;
  }

  // A vote cast from the page: posted in the background, the answer (the page the post leads to) put in
  // place. Should the post fail on the way, the form is posted the ordinary way and the page reloads.
  function castInPlace(event) {
    var form = event.target;
    var button = event.submitter;
    if (!form.matches || !form.matches("form.cast") || !button || !button.name) return;
    if (!("fetch" in window) || !("FormData" in window)) return;
    event.preventDefault();
    var data = new FormData(form);
    data.append(button.name, button.value);
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    function ordinary() {
      var chosen = document.createElement("input");
      chosen.type = "hidden";
      chosen.name = button.name;
      chosen.value = button.value;
      form.appendChild(chosen);
      HTMLFormElement.prototype.submit.call(form);
    }
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (!html || !swapIn(html)) ordinary(); })
      .catch(ordinary);
  }

  function start() {
    document.addEventListener("submit", castInPlace);
    measure();
    tick();
    window.setInterval(tick, 1000);
    if (!("EventSource" in window)) return;
    followVote();
    document.querySelectorAll("[data-live-src]").forEach(function (root) {
      var source = new EventSource(root.getAttribute("data-live-src"));
      source.addEventListener("changed", refresh);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
