// Live pages: an element with data-live-src follows that stream of server-sent events and updates itself
// in place. Without script (or without EventSource) nothing here runs and the page is right on reload.
(function () {
  "use strict";

  function text(tag, content, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    node.textContent = content;
    return node;
  }

  function turnout(root, data) {
    root.querySelectorAll("[data-live-turnout]").forEach(function (node) {
      node.textContent = String(data.turnout);
    });
  }

  function closed(root, data, source) {
    source.close();
    var section = document.createElement("section");
    section.setAttribute("aria-labelledby", "result");
    section.setAttribute("aria-live", "polite");
    var heading = text("h2", "Result");
    heading.id = "result";
    section.appendChild(heading);
    var line = document.createElement("p");
    line.className = "result " + (data.carried ? "ok" : "broken");
    line.appendChild(text("strong", data.carried ? "Carried" : "Not carried"));
    var totals = ": " + data.yes + " yes, " + data.no + " no, " + data.abstain + " abstain";
    totals += data.council
      ? " (by weight), with " + data.present + " of " + data.electorate + " present."
      : ", of " + data.electorate + " entitled to vote.";
    line.appendChild(document.createTextNode(totals));
    section.appendChild(line);
    if (data.explanation) {
      section.appendChild(text("h3", "How it was decided"));
      section.appendChild(text("pre", data.explanation, "explanation"));
    }
    root.replaceWith(section);
  }

  function follow(root) {
    var source = new EventSource(root.getAttribute("data-live-src"));
    source.addEventListener("turnout", function (event) {
      turnout(root, JSON.parse(event.data));
    });
    source.addEventListener("closed", function (event) {
      closed(root, JSON.parse(event.data), source);
    });
  }

  function start() {
    if (!("EventSource" in window)) return;
    document.querySelectorAll("[data-live-src]").forEach(follow);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
