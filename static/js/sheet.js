// Cheat sheets: record each formula's natural width (in ems of its own font
// size) as --w, so that the print style can shrink a formula wider than its
// A4 column to fit (font-size: 100cqi / --w) instead of letting it run into
// the next column. MathML cannot break lines, and a width in ems does not
// depend on the layout it is measured in, so measuring on screen is enough.
(function () {
  "use strict";
  function measure() {
    var range = document.createRange();
    document.querySelectorAll(".sheet math[display='block']").forEach(function (math) {
      range.selectNodeContents(math);
      var size = parseFloat(getComputedStyle(math).fontSize);
      var width = range.getBoundingClientRect().width;
      if (size > 0 && width > 0) {
        math.style.setProperty("--w", (width / size).toFixed(3));
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", measure);
  } else {
    measure();
  }
})();
