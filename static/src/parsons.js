// The Parsons problem widget (templates/tutor/ladder/parsons.html), after the
// W3C APG "listboxes with rearrangeable options": two listboxes, "Blocks" and
// "Your program", one tab stop each (aria-activedescendant), and a toolbar.
//
// Keys in a list: Up/Down/Home/End go through its blocks; Enter adds a block
// (Blocks) or puts it back (Your program); Delete/Backspace put it back;
// Alt+Up/Alt+Down move it; Alt+Right/Alt+Left, or ] and [, indent and dedent.
// Tab is never taken: it leaves the list. Each action is announced in one
// polite live region; focus stays where it was. No drag is needed: a click
// picks a block and the toolbar's buttons act on it.
//
// Without JavaScript the page shows a plain form instead (a select per line
// and its indent); this script hides and disables it, and keeps hidden
// `block`/`indent` inputs in step with the program, which is what is posted.

const form = document.getElementById("parsons-form");
if (form) setUp(form);

function setUp(form) {
  const widget = form.querySelector("[data-widget]");
  const fallback = form.querySelector("[data-fallback]");
  const source = form.querySelector("#parsons-blocks");
  const program = form.querySelector("#parsons-program");
  const live = form.querySelector("#parsons-live");
  const posted = form.querySelector("[data-posted]");
  const toolbar = form.querySelector('[role="toolbar"]');
  const maxIndent = Number(form.dataset.maxIndent) || 0;
  const indentGiven = form.dataset.indentGiven === "1";
  const storageKey = form.dataset.storageKey;
  const active = new Map([
    [source, null],
    [program, null],
  ]);

  widget.hidden = false;
  fallback.hidden = true;
  fallback.disabled = true; // a disabled fieldset's selects are not posted

  const options = (list) => Array.from(list.querySelectorAll('[role="option"]'));
  const indentOf = (option) => Number(option.dataset.indent) || 0;
  const code = (option) => option.querySelector("code").textContent;

  let last = "";
  function announce(text) {
    // The same words twice in a row are still a change for screen readers.
    last = text === last.trim() ? `${text}\u00a0` : text;
    live.textContent = last;
  }

  function setIndent(option, indent) {
    option.dataset.indent = String(indent);
    option.style.setProperty("--indent", String(indent));
  }

  function where(option) {
    const all = options(program);
    return { line: all.indexOf(option) + 1, count: all.length };
  }

  function label() {
    const blocks = options(source);
    blocks.forEach((option, index) => {
      option.setAttribute("aria-label", `block ${index + 1} of ${blocks.length}: ${code(option)}`);
    });
    const lines = options(program);
    lines.forEach((option, index) => {
      const late = option.hasAttribute("data-out-of-place") ? ", first out of place" : "";
      option.setAttribute(
        "aria-label",
        `line ${index + 1} of ${lines.length}, indent ${indentOf(option)}${late}: ${code(option)}`,
      );
    });
    // A pair whose blocks have all gone to the program is not shown.
    source.querySelectorAll('[role="group"]').forEach((group) => {
      group.hidden = !group.querySelector('[role="option"]');
    });
  }

  function activate(list, option) {
    const previous = active.get(list);
    if (previous) {
      previous.classList.remove("active");
      previous.setAttribute("aria-selected", "false");
    }
    active.set(list, option);
    if (option) {
      option.classList.add("active");
      option.setAttribute("aria-selected", "true");
      list.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      list.removeAttribute("aria-activedescendant");
    }
  }

  function current(list) {
    const option = active.get(list);
    return option && list.contains(option) ? option : null;
  }

  function changed() {
    program.querySelectorAll("[data-out-of-place]").forEach((option) => {
      option.removeAttribute("data-out-of-place");
    });
    label();
    posted.replaceChildren();
    const saved = [];
    for (const option of options(program)) {
      saved.push([option.dataset.block, indentOf(option)]);
      for (const [name, value] of [
        ["block", option.dataset.block],
        ["indent", String(indentOf(option))],
      ]) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        posted.append(input);
      }
    }
    try {
      sessionStorage.setItem(storageKey, JSON.stringify(saved));
    } catch {
      // Storage may be off (private mode): the program is only not kept.
    }
  }

  // Put a block back in Blocks where it was shown: in its pair, or among the
  // others by its number.
  function putBack(option) {
    const number = Number(option.dataset.number);
    const group = option.dataset.group
      ? source.querySelector(`[role="group"][data-pair="${CSS.escape(option.dataset.group)}"]`)
      : null;
    const parent = group || source;
    const siblings = Array.from(parent.children).filter((child) => child.matches('[role="option"], [role="group"]'));
    const first = (child) =>
      child.matches('[role="option"]')
        ? Number(child.dataset.number)
        : Math.min(...options(child).map((o) => Number(o.dataset.number)), Number(child.dataset.first));
    const after = siblings.find((child) => first(child) > number);
    parent.insertBefore(option, after || null);
    setIndent(option, 0);
  }

  function neighbour(list, option) {
    const all = options(list);
    const index = all.indexOf(option);
    return all[index + 1] || all[index - 1] || null;
  }

  const actions = {
    add() {
      const option = current(source);
      if (!option) return announce(options(source).length ? "Choose a block in Blocks first." : "No blocks left to add.");
      activate(source, neighbour(source, option));
      option.classList.remove("active");
      program.append(option);
      const given = option.dataset.givenIndent;
      setIndent(option, indentGiven && given !== undefined ? Number(given) : 0);
      activate(program, option);
      changed();
      const { line, count } = where(option);
      announce(`Added to your program, line ${line} of ${count}, indent ${indentOf(option)}: ${code(option)}`);
    },
    remove() {
      const option = current(program);
      if (!option) return announce(options(program).length ? "Choose a line of your program first." : "Your program is empty.");
      activate(program, neighbour(program, option));
      option.classList.remove("active");
      option.setAttribute("aria-selected", "false");
      putBack(option);
      changed();
      const left = options(program).length;
      announce(`Put back in Blocks: ${code(option)}. Your program has ${left} line${left === 1 ? "" : "s"}.`);
    },
    up() {
      move(-1);
    },
    down() {
      move(1);
    },
    indent() {
      shift(1);
    },
    dedent() {
      shift(-1);
    },
  };

  function move(step) {
    const option = current(program);
    if (!option) return announce("Choose a line of your program first.");
    const all = options(program);
    const index = all.indexOf(option);
    const target = all[index + step];
    if (!target) return announce(step < 0 ? "Already the first line." : "Already the last line.");
    if (step < 0) program.insertBefore(option, target);
    else program.insertBefore(option, target.nextSibling);
    changed();
    activate(program, option);
    const { line, count } = where(option);
    announce(`Moved to line ${line} of ${count}: ${code(option)}`);
  }

  function shift(step) {
    const option = current(program);
    if (!option) return announce("Choose a line of your program first.");
    const indent = indentOf(option) + step;
    if (indent < 0) return announce("Indent is already 0.");
    if (indent > maxIndent) return announce(`Indent is already ${maxIndent}, the most.`);
    setIndent(option, indent);
    changed();
    const { line, count } = where(option);
    announce(`Indent ${indent}, line ${line} of ${count}: ${code(option)}`);
  }

  function keydown(list, event) {
    const all = options(list);
    const option = current(list);
    const index = option ? all.indexOf(option) : -1;
    const inProgram = list === program;
    const key = event.key;
    let handled = true;
    if (event.altKey && inProgram && key === "ArrowUp") actions.up();
    else if (event.altKey && inProgram && key === "ArrowDown") actions.down();
    else if (inProgram && ((event.altKey && key === "ArrowRight") || key === "]")) actions.indent();
    else if (inProgram && ((event.altKey && key === "ArrowLeft") || key === "[")) actions.dedent();
    else if (event.altKey || event.ctrlKey || event.metaKey) handled = false;
    else if (key === "ArrowDown") activate(list, all[Math.min(index + 1, all.length - 1)] || null);
    else if (key === "ArrowUp") activate(list, all[Math.max(index - 1, 0)] || null);
    else if (key === "Home") activate(list, all[0] || null);
    else if (key === "End") activate(list, all[all.length - 1] || null);
    else if (key === "Enter") (inProgram ? actions.remove : actions.add)();
    else if (inProgram && (key === "Delete" || key === "Backspace")) actions.remove();
    else handled = false;
    if (handled) event.preventDefault();
  }

  for (const list of [source, program]) {
    list.addEventListener("keydown", (event) => keydown(list, event));
    list.addEventListener("focus", () => {
      if (!current(list)) activate(list, options(list)[0] || null);
    });
    list.addEventListener("click", (event) => {
      const option = event.target.closest('[role="option"]');
      if (!option) return;
      activate(list, option);
      list.focus();
    });
    // A double click adds a block or puts it back: a shortcut for pointers,
    // not the only way (a click and the toolbar's buttons do the same).
    list.addEventListener("dblclick", (event) => {
      const option = event.target.closest('[role="option"]');
      if (!option) return;
      activate(list, option);
      (list === program ? actions.remove : actions.add)();
    });
  }

  // The toolbar: one tab stop, arrows between its buttons (APG toolbar).
  const buttons = Array.from(toolbar.querySelectorAll("button"));
  buttons.forEach((button, index) => {
    button.tabIndex = index === 0 ? 0 : -1;
  });
  toolbar.addEventListener("keydown", (event) => {
    const index = buttons.indexOf(document.activeElement);
    if (index < 0) return;
    const next = {
      ArrowRight: (index + 1) % buttons.length,
      ArrowLeft: (index - 1 + buttons.length) % buttons.length,
      Home: 0,
      End: buttons.length - 1,
    }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    buttons[index].tabIndex = -1;
    buttons[next].tabIndex = 0;
    buttons[next].focus();
  });
  toolbar.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button || !(button.dataset.action in actions)) return;
    buttons.forEach((other) => {
      other.tabIndex = other === button ? 0 : -1;
    });
    actions[button.dataset.action]();
  });

  // The verdict names the first block out of place: mark it in the list too
  // (in its accessible name, and in text beside it, not by colour alone).
  document.body.addEventListener("htmx:afterSwap", () => {
    const status = document.querySelector("#verdict [data-first-wrong]");
    if (!status) return;
    const option = options(program)[Number(status.dataset.firstWrong)];
    if (option) option.setAttribute("data-out-of-place", "");
    label();
  });

  // Give the pairs the id they are found by, and remember where a pair
  // stood (its first block's number) once both its blocks have left.
  source.querySelectorAll('[role="group"]').forEach((group) => {
    const first = options(group)[0];
    group.dataset.pair = first ? first.dataset.group : "";
    group.dataset.first = first ? first.dataset.number : "0";
  });
  restore();
  options(program).forEach((option) => setIndent(option, indentOf(option)));
  changed();
  const help = document.querySelector("[data-announce]");
  if (help) requestAnimationFrame(() => announce(help.textContent.trim().replace(/\s+/g, " ")));

  // The program kept in this tab (through a reload, "Supply indentation" or
  // "Help me"), where the server's copy is only the last checked one.
  function restore() {
    let saved;
    try {
      saved = JSON.parse(sessionStorage.getItem(storageKey) || "null");
    } catch {
      saved = null;
    }
    if (!Array.isArray(saved)) return;
    for (const option of options(program)) putBack(option);
    for (const entry of saved) {
      if (!Array.isArray(entry)) continue;
      const option = form.querySelector(`[role="option"][data-block="${CSS.escape(String(entry[0]))}"]`);
      if (!option || program.contains(option)) continue;
      program.append(option);
      const given = option.dataset.givenIndent;
      const indent = indentGiven && given !== undefined ? Number(given) : Number(entry[1]);
      setIndent(option, Math.max(0, Math.min(maxIndent, indent || 0)));
    }
  }
}
