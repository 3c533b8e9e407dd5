// Mock exam paper (templates/tutor/exam.html). Each question saves itself as
// it is typed: htmx posts its section on change and after a pause in typing.
// This script keeps the student told ("Saving…", and why a save failed),
// warns before the page is left while some input is not saved yet, and lets
// pending saves finish before the paper is submitted, so that an older save
// cannot land after the newer answer the submit carries.

const paper = document.querySelector("form[data-exam-paper]");
if (paper) watch(paper);

// The navigation panel is open as the server sends it (for a page without
// JavaScript); on a narrow screen it starts folded above the questions.
const nav = document.querySelector("details[data-exam-nav]");
if (nav && !window.matchMedia("(min-width: 1024px)").matches) nav.open = false;

// What the server says a save did (the X-Exam-State header) after which the
// question's fields and its saved answer agree.
const SETTLED = ["saved", "unreadable", "cleared", "empty"];
const UNREACHABLE =
  "Not saved: the server could not be reached. Your answer is still here; it is " +
  "saved with your next change, or with the paper when you submit it.";
// Submit anyway after this long, rather than wait on a save that never ends.
const PATIENCE_MS = 10_000;

function watch(paper) {
  // app.js reloads the page when its clock reaches 0, rounding: allow for it.
  const deadline = Date.now() + (Number(paper.dataset.remaining) - 1) * 1000;
  const edits = new WeakMap(); // section → edits so far
  const sentAt = new WeakMap(); // section → its edits when its last save left
  const dirty = new Set();
  const inFlight = new Set();
  const whenIdle = [];
  let leaving = false;
  let closed = false;

  // A question's saves, not its flag toggle (which answers for itself).
  const sectionOf = (node) =>
    node instanceof Element && !node.closest("[data-flag]")
      ? node.closest("section.exam-item")
      : null;
  const say = (section, text) => {
    section.querySelector(".save-status").textContent = text;
  };

  // Capture: counted before htmx (on the section) sends the save.
  const edited = (event) => {
    const section = sectionOf(event.target);
    if (!section) return;
    edits.set(section, (edits.get(section) ?? 0) + 1);
    dirty.add(section);
  };
  paper.addEventListener("input", edited, true);
  paper.addEventListener("change", edited, true);

  // Moving an ordering item changes no field: report it once app.js moved it.
  paper.addEventListener("click", (event) => {
    const list = event.target.closest?.("[data-move]")?.closest("[data-sortable]");
    if (list) setTimeout(() => list.dispatchEvent(new Event("change", { bubbles: true })));
  });

  // Enter in a one-line field saves that question instead of submitting the form.
  paper.addEventListener("keydown", (event) => {
    const field = event.target;
    if (event.key !== "Enter" || !(field instanceof HTMLInputElement)) return;
    if (field.type === "submit" || field.type === "button") return;
    event.preventDefault();
    field.dispatchEvent(new Event("change", { bubbles: true }));
  });

  paper.addEventListener("htmx:beforeSend", (event) => {
    const section = sectionOf(event.detail.elt);
    if (!section) return;
    inFlight.add(event.detail.xhr);
    sentAt.set(section, edits.get(section) ?? 0);
    say(section, "Saving…");
  });

  paper.addEventListener("htmx:afterRequest", (event) => {
    const { elt, xhr } = event.detail;
    inFlight.delete(xhr);
    const section = sectionOf(elt);
    if (section) settle(section, xhr);
    if (inFlight.size === 0) for (const run of whenIdle.splice(0)) run();
  });

  function settle(section, xhr) {
    const state = xhr.getResponseHeader("X-Exam-State");
    const unchanged = sentAt.get(section) === (edits.get(section) ?? 0);
    if (state === "closed") closed = true;
    if (state === "cleared" && unchanged) clearFields(section);
    if (SETTLED.includes(state) && unchanged) dirty.delete(section);
    if (!state && (xhr.status === 0 || xhr.status >= 500)) say(section, UNREACHABLE);
  }

  // "Submit the paper" carries every field; wait for saves still on their way.
  paper.addEventListener("submit", (event) => {
    if (inFlight.size === 0) {
      leaving = true;
      return;
    }
    event.preventDefault();
    let sent = false;
    const submit = () => {
      if (sent) return;
      sent = true;
      inFlight.clear();
      paper.requestSubmit(event.submitter);
    };
    whenIdle.push(submit);
    setTimeout(submit, PATIENCE_MS);
  });

  window.addEventListener("beforeunload", (event) => {
    if (leaving || closed || dirty.size === 0 || Date.now() >= deadline) return;
    event.preventDefault();
    event.returnValue = "";
  });
}

function clearFields(section) {
  for (const field of section.querySelectorAll("input, textarea")) {
    if (field.type === "hidden") continue;
    if (field.type === "radio" || field.type === "checkbox") field.checked = false;
    else field.value = "";
  }
}
