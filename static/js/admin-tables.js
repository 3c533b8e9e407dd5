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
