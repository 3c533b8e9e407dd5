// Words for what Django's admin leaves unnamed, once its own scripts have run.
// - A tabular inline's first column (the row's record and its hidden inputs)
//   and, when rows cannot be deleted, its last have empty headings: a
//   heading with no text names nothing to a screen reader.
// - The filter widget's help icons carry aria-label on a span with no role,
//   which assistive technology ignores: they are images with a name.
window.addEventListener("load", () => {
  setTimeout(() => {
    for (const th of document.querySelectorAll(".tabular thead th")) {
      if (th.textContent.trim()) continue;
      const words = document.createElement("span");
      words.className = "visually-hidden";
      words.textContent = th.classList.contains("original") ? "Record" : "No action";
      th.append(words);
    }
    for (const icon of document.querySelectorAll(".help-tooltip[aria-label]:not([role])")) {
      icon.setAttribute("role", "img");
    }
  }, 0);
});

// A box that scrolls sideways on a narrow screen (an inline's table, a
// rendered formula) and holds nothing focusable takes the focus itself, so
// that a keyboard can scroll it; as a region it needs a name, a distinct one.
const FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex], [contenteditable]";

let scrollers = 0;

function focusableScrollers() {
  for (const box of document.querySelectorAll("#content *")) {
    const style = getComputedStyle(box);
    const scrolls = ["auto", "scroll"].includes(style.overflowX) && box.scrollWidth > box.clientWidth + 1;
    if (box.dataset.scroller === "yes" && !scrolls) {
      for (const name of ["tabindex", "role", "aria-label", "data-scroller"]) box.removeAttribute(name);
    }
    if (!scrolls || box.dataset.scroller === "yes") continue;
    if (box.matches(FOCUSABLE) || box.hasAttribute("tabindex") || box.querySelector(FOCUSABLE)) continue;
    scrollers += 1;
    const heading = box.querySelector("h2, h3")?.textContent.trim();
    box.dataset.scroller = "yes";
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", `${heading || "Scrolling area"} (${scrollers})`);
  }
}
window.addEventListener("load", () => setTimeout(focusableScrollers, 0));
window.addEventListener("resize", () => requestAnimationFrame(focusableScrollers));
