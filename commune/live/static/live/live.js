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

  // The page's words, in its language (live/_words.html); English if a page left them out.
  var WORDS = {
    result: "Result",
    carried: "Carried",
    notCarried: "Not carried",
    how: "How it was decided",
    council: "{yes} yes, {no} no, {abstain} abstain (by weight), with {present} of {electorate} present.",
    assembly: "{yes} yes, {no} no, {abstain} abstain, of {electorate} entitled to vote.",
  };

  function words() {
    var node = document.getElementById("live-words");
    var found = {};
    Object.keys(WORDS).forEach(function (key) {
      found[key] = (node && node.dataset[key]) || WORDS[key];
    });
    return found;
  }

  function filled(sentence, data) {
    var language = document.documentElement.lang || undefined;
    return sentence.replace(/\{(\w+)\}/g, function (_, name) {
      var value = data[name];
      return typeof value === "number" ? value.toLocaleString(language) : String(value);
    });
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
    var said = words();
    var heading = text("h2", said.result);
    heading.id = "result";
    section.appendChild(heading);
    var line = document.createElement("p");
    line.className = "result " + (data.carried ? "ok" : "broken");
    line.appendChild(text("strong", data.carried ? said.carried : said.notCarried));
    line.appendChild(document.createTextNode(": " + filled(data.council ? said.council : said.assembly, data)));
    section.appendChild(line);
    if (data.explanation) {
      section.appendChild(text("h3", said.how));
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
