// Formulas wider than their box (MathML does not break lines) scroll inside
// it (site.css). A box that scrolls must be reachable by keyboard (WCAG
// 2.1.1; axe's scrollable-region-focusable): each formula that overflows
// becomes, or is wrapped in, a focusable region named "Formula" (numbered
// when there are several); one that
// fits again (a wider window) loses the tab stop. Runs on load, after htmx
// swaps content in, and when the window's width changes.
(function () {
  "use strict";

  var INTERACTIVE = "a, button, label, summary, [role='button'], [role='link']";

  function overflows(element) {
    return element.scrollWidth > element.clientWidth + 1;
  }

  function region(box, scrolls) {
    if (scrolls) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Formula");
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  function wrap(math) {
    var block = math.getAttribute("display") === "block";
    var box = document.createElement(block ? "div" : "span");
    box.className = block ? "formula-scroll block" : "formula-scroll";
    math.parentNode.insertBefore(box, math);
    box.appendChild(math);
    return box;
  }

  // Regions are landmarks, and landmarks need names of their own: "Formula"
  // alone, or "Formula 1", "Formula 2" … in the page's order.
  function name() {
    var regions = document.querySelectorAll(
      ".formula[role='region'], .formula-scroll[role='region']"
    );
    regions.forEach(function (box, index) {
      box.setAttribute("aria-label", regions.length > 1 ? "Formula " + (index + 1) : "Formula");
    });
  }

  function update(root) {
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll("math").forEach(function (math) {
      var parent = math.parentElement;
      // Inside a link, button or label the control takes the keys (a region
      // there would be a control inside a control, and would take the
      // formula out of the control's name): site.css lets it overflow.
      if (math.closest(INTERACTIVE)) return;
      if (parent && parent.matches(".formula, .formula-scroll")) {
        region(parent, overflows(parent));
      } else if (overflows(math)) {
        region(wrap(math), true);
      }
    });
    name();
  }

  var pending = false;
  function later() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      update(document);
    });
  }

  function start() {
    update(document);
    document.body.addEventListener("htmx:afterSettle", function (event) {
      update(event.target);
    });
    window.addEventListener("resize", later);
    window.addEventListener("load", later);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(later);
  }

  // After every deferred script (static/js/sheet.js sizes the sheet's
  // formulas first): DOMContentLoaded fires once they have all run.
  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("DOMContentLoaded", start);
  }
})();
