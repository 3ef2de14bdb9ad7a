// eaeu-facts: when a page is opened at an evidence span (#ev-TABLE-ROW), highlight every
// piece of the source text that the span covers. Spans nest, so a span is several pieces.
(function () {
  "use strict";

  function mark() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    document.querySelectorAll("a.ev.ev-hit").forEach(function (el) {
      el.classList.remove("ev-hit");
    });
    if (id.indexOf("ev-") !== 0) {
      return;
    }
    document.querySelectorAll("a.ev[data-spans]").forEach(function (el) {
      if (el.getAttribute("data-spans").split(" ").indexOf(id) >= 0) {
        el.classList.add("ev-hit");
      }
    });
  }

  window.addEventListener("hashchange", mark);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
})();
