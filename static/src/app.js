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
});

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
