/* The When field's live preview: as the editor types, ask /api/v1/when/parse/
   how the phrase is read (the same parser the save uses) and show the window.
   Progressive enhancement: without this script the field works the same, and
   the page shows the resolved window after saving. */
(function () {
  "use strict";

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // "2026-12-02" as "2 Dec 2026": no reader can take it for 12 February.
  function dayText(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m || +m[2] < 1 || +m[2] > 12) { return ""; }
    return (+m[3]) + " " + MONTHS[+m[2] - 1] + " " + m[1];
  }

  function localText(isoInstant, tz) {
    try {
      return new Intl.DateTimeFormat("en-GB", {
        timeZone: tz, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
      }).format(new Date(isoInstant));
    } catch (e) {
      return isoInstant;
    }
  }

  function setUp(field) {
    var url = field.getAttribute("data-when-preview");
    var phrase = field.querySelector("input[id$='_phrase']");
    var asOf = field.querySelector("input[id$='_as_of']");
    var zone = field.querySelector("input[id$='_tz']");
    var out = field.querySelector(".when-preview");
    var asOfText = field.querySelector(".when-as-of-text");
    if (!url || !phrase || !out) { return; }
    var timer = null;
    var asked = 0;

    function showAsOf() {
      if (asOfText && asOf) {
        var text = dayText(asOf.value.trim());
        asOfText.textContent = text ? "(" + text + ")" : "";
      }
    }

    function show(text, isError) {
      out.textContent = text;
      out.classList.toggle("is-error", !!isError);
    }

    function ask() {
      var text = phrase.value.trim();
      if (!text) { show(""); return; }
      var ownZone = zone && zone.value.trim();
      var tz = ownZone || field.getAttribute("data-default-tz") || "UTC";
      var body = { text: text, tz: tz, kind: field.getAttribute("data-kind") || "milestone" };
      if (asOf && asOf.value.trim()) { body.as_of = asOf.value.trim(); }
      var mine = ++asked;
      fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(body),
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (mine !== asked) { return; }  // a newer keystroke asked since
        if (!result.ok) {
          var error = result.data.error || {};
          var fields = error.fields || {};
          var first = Object.keys(fields).map(function (k) { return fields[k][0]; })[0];
          show(first || error.message || "Cannot read this phrase.", true);
          return;
        }
        var d = result.data;
        var line = "Read as " + d.display;
        if (d.start && d.end) {
          line += ": from " + localText(d.start, d.tz) + " to " + localText(d.end, d.tz) + " " + d.tz +
            " (end exclusive), precision " + d.precision + (d.approximate ? ", approximate" : "");
        }
        if (!ownZone && field.getAttribute("data-default-tz") === "") {
          line += ". Each item keeps its own zone.";
        }
        show(line);
      }).catch(function () {
        if (mine === asked) { show("The preview is not available; the phrase is read when you save.", true); }
      });
    }

    function later() {
      showAsOf();
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 300);
    }

    [phrase, asOf, zone].forEach(function (input) {
      if (input) { input.addEventListener("input", later); input.addEventListener("change", later); }
    });
    showAsOf();
    if (phrase.value.trim()) { ask(); }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".when-field[data-when-preview]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
