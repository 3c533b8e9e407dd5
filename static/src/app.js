// Small behaviours shared by every page. htmx is loaded separately.
import "./exam.js";

// Keep the tab key inside the code editor's textarea (indent instead of
// moving focus), the minimum an editor must do.
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (!(target instanceof HTMLTextAreaElement) || !target.classList.contains("code")) return;
  if (event.key !== "Tab" || event.shiftKey || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  const { selectionStart: start, selectionEnd: end, value } = target;
  target.value = `${value.slice(0, start)}    ${value.slice(end)}`;
  target.selectionStart = target.selectionEnd = start + 4;
});

// Ordering questions: move an item up or down; the hidden inputs follow the
// list's order, which is what the form posts.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-move]");
  if (!button) return;
  const item = button.closest("li");
  const list = item?.parentElement;
  if (!item || !list?.hasAttribute("data-sortable")) return;
  if (button.dataset.move === "up" && item.previousElementSibling) {
    list.insertBefore(item, item.previousElementSibling);
  } else if (button.dataset.move === "down" && item.nextElementSibling) {
    list.insertBefore(item.nextElementSibling, item);
  }
  button.focus();
  announceOrder(list, item);
});

// Say where the moved item is now, in the list's polite live region (the
// paragraph after it): "Compute the loss: now 2 of 5".
function announceOrder(list, item) {
  const status = list.nextElementSibling;
  if (!status?.hasAttribute("data-order-status")) return;
  const items = [...list.children];
  const place = `${items.indexOf(item) + 1} of ${items.length}`;
  const name = (item.dataset.itemName || "Item").replace(/\.$/, "");
  status.textContent = `${name}: now ${place}`;
}

// Answer forms (.answer-form): a check in flight shows its button busy and
// the form's buttons unavailable; hx-sync="this:drop" on the form drops a
// second one, so a double press submits once. Buttons are not disabled: a
// disabled button would drop the keyboard focus.
document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.elt.closest?.("form.answer-form");
  if (!form) return;
  clearFieldErrors(form);
  const submitter = event.detail.requestConfig?.triggeringEvent?.submitter;
  const busy = event.detail.elt.matches("button") ? event.detail.elt : submitter;
  for (const button of form.querySelectorAll(".actions button")) {
    button.setAttribute("aria-disabled", "true");
    if (button === (busy || form.querySelector(".actions button"))) {
      button.setAttribute("aria-busy", "true");
    }
  }
});
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt.closest?.("form.answer-form");
  if (!form) return;
  for (const button of form.querySelectorAll(".actions button")) {
    button.removeAttribute("aria-disabled");
    button.removeAttribute("aria-busy");
  }
});

// Errors tied to their fields: a reply with [data-field-errors="<form id>"]
// lists messages with data-field="<input name>"; each such input (and each
// cell of a matrix grid of that name) gets aria-invalid and is described by
// its message. Focus lost with a replaced form goes to the first of them.
function markFieldErrors() {
  for (const box of document.querySelectorAll("[data-field-errors]")) {
    const form = document.getElementById(box.dataset.fieldErrors);
    if (!form) continue;
    let first = null;
    for (const message of box.querySelectorAll("[data-field][id]")) {
      const name = message.dataset.field;
      for (const input of form.querySelectorAll("input:not([type=hidden]), textarea")) {
        if (input.name !== name && !input.name.startsWith(`${name}-cell-`)) continue;
        input.setAttribute("aria-invalid", "true");
        const ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        if (!ids.includes(message.id)) ids.push(message.id);
        input.setAttribute("aria-describedby", ids.join(" "));
        input.dataset.fieldError = message.id;
        first ??= input;
      }
    }
    const lost = !document.activeElement || document.activeElement === document.body;
    if (first && lost) first.focus();
  }
}

function clearFieldErrors(form) {
  for (const input of form.querySelectorAll("[data-field-error]")) {
    const ids = (input.getAttribute("aria-describedby") || "")
      .split(" ")
      .filter((id) => id && id !== input.dataset.fieldError);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
    input.removeAttribute("aria-invalid");
    delete input.dataset.fieldError;
  }
}

document.addEventListener("htmx:afterSettle", markFieldErrors);
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", markFieldErrors);
} else {
  markFieldErrors();
}

// Mock exam: show the time left. The server keeps the real clock and refuses
// answers after the deadline; this is only a display.
const timer = document.querySelector(".timer[data-remaining]");
if (timer) {
  const clock = timer.querySelector(".clock");
  const end = Date.now() + Number(timer.dataset.remaining) * 1000;
  const tick = () => {
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    clock.textContent = `${Math.floor(left / 60)} min ${String(left % 60).padStart(2, "0")} s`;
    if (left === 0) window.location.reload();
    else setTimeout(tick, 1000);
  };
  tick();
}

// Cheat sheets: the Print button (an inline onclick would break the
// Content-Security-Policy, which allows no inline script).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
