// The code editor of the coding-exercise page: prism-code-editor over the
// form's <textarea name="source">. The editor types into a textarea of its
// own and draws highlighted lines under it; the form's textarea stays in the
// form, hidden, and is kept in sync, so the form posts the same field with or
// without JavaScript.
//
// Only what the page needs is imported (the core, Prism's Python grammar,
// Python's indentation rules, the commands, undo history, bracket matching),
// never a setup that registers every language; the build prints the bytes.
import { createEditor } from "prism-code-editor";
import { defaultKeymap, editHistory, editorCommands } from "prism-code-editor/commands";
import { cursorPosition } from "prism-code-editor/cursor";
import { highlightBracketPairs } from "prism-code-editor/highlight-brackets";
import "prism-code-editor/languages/python"; // comment token, indent after ":" and "("
import layout from "prism-code-editor/layout.css"; // bundled as text (see build-assets.mjs)
import { matchBrackets } from "prism-code-editor/match-brackets";
import "prism-code-editor/prism/languages/python"; // the grammar that highlights
import { insertText } from "prism-code-editor/utils";

// The library's layout rules go first in <head>, so that the site's own rules
// (static/css/coding.css: colours, fonts, sizes) come later and win.
function addLayoutStyles() {
  const style = document.createElement("style");
  style.dataset.source = "prism-code-editor";
  style.textContent = layout;
  document.head.prepend(style);
}

function enhance(textarea) {
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  const name = label ? label.textContent.trim() : "Code";

  // Esc and then Tab (or Shift-Tab) leaves the editor, as in CodeMirror and
  // VS Code; any other key after Esc and Tab indents again. Ctrl-M (Ctrl-Shift-M
  // on a Mac) switches Tab between indenting and moving focus for good.
  let leaving = false;
  const keymap = {
    ...defaultKeymap,
    Tab: (editor, event, key) => !leaving && defaultKeymap.Tab(editor, event, key),
    "8+Tab": (editor, event, key) => !leaving && defaultKeymap["8+Tab"](editor, event, key),
    // Ctrl/Cmd+Enter runs the code where the page offers "Run" (else it
    // inserts a blank line, as before); Ctrl/Cmd+Shift+Enter submits it there.
    "Mod+Enter": (editor, event, key) =>
      runCode(textarea.form) || defaultKeymap["Mod+Enter"](editor, event, key),
    "8+Mod+Enter": () => hasRun(textarea.form) && submitCode(textarea.form),
  };

  const editor = createEditor(
    null,
    {
      language: "python",
      value: textarea.value,
      tabSize: 4,
      insertSpaces: true,
      lineNumbers: true,
      // Long lines wrap rather than scroll sideways (phones, and the report
      // beside the editor); line numbers still count real lines.
      wordWrap: true,
      class: "code-editor",
      onUpdate(value) {
        textarea.value = value;
      },
    },
    editorCommands(keymap),
    editHistory(),
    cursorPosition(),
    matchBrackets(false),
    highlightBracketPairs(),
  );

  const input = editor.textarea;
  // The core blurs the editor on Esc, which drops keyboard users at the top of
  // the page; Esc only arms the way out instead.
  editor.keyCommandMap.Escape = null;
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") leaving = true;
    else if (!["Shift", "Control", "Alt", "Meta"].includes(event.key)) leaving = false;
  });
  input.addEventListener("blur", () => {
    leaving = false;
  });

  input.id = `${textarea.id}-editor`;
  input.setAttribute("aria-label", name);
  input.setAttribute("aria-describedby", "editor-help");
  input.setAttribute("autocorrect", "off");
  // The label names and focuses the editor's own textarea now.
  if (label) label.htmlFor = input.id;

  textarea.before(editor.container);
  textarea.hidden = true;
  textarea.dataset.enhanced = "prism-code-editor";
  // Posting reads the form's textarea; make sure it holds the last keystroke,
  // for a plain post (formdata) and for htmx (submit) alike.
  const sync = () => {
    textarea.value = editor.value;
  };
  textarea.form?.addEventListener("formdata", sync);
  textarea.form?.addEventListener("submit", sync, true);
  offerReset(editor, textarea.form);
  followReports(editor);
  return editor;
}

// "Reset to starter code" (code_form.html renders it hidden, with the starter
// code as JSON beside it): after a confirmation, the editor's whole text is
// replaced as one edit, so Ctrl+Z brings the student's code back.
function offerReset(editor, form) {
  const button = form?.querySelector("button[data-reset-code]");
  const data = document.getElementById("starter-code");
  if (!button || !data) return;
  const starter = JSON.parse(data.textContent);
  button.hidden = false;
  button.addEventListener("click", () => {
    const sure = window.confirm(
      "Replace your code in the editor with the exercise's starter code? " +
        "Ctrl+Z in the editor (⌘+Z on a Mac) brings your code back.",
    );
    if (!sure) return;
    editor.textarea.focus();
    insertText(editor, starter, 0, editor.value.length, 0, 0);
  });
}

// The lines a report blames (submission_status.html lists them, hidden, as
// li[data-line][data-text] in ul[data-code-marks]): each is marked in the
// editor (a class on the line, drawn by coding.css) while it still holds the
// text that was submitted, and the messages ("Line 3: invalid syntax") are
// shown under the editor and describe it to a screen reader. A new report
// brings its own marks; editing a marked line drops its mark.
function followReports(editor) {
  const input = editor.textarea;
  const help = input.getAttribute("aria-describedby") || "";
  const box = document.getElementById("editor-errors");
  let marks = [];

  const lineText = (number) => editor.value.split("\n")[number - 1];
  const show = () => {
    marks = marks.filter((mark) => lineText(mark.line) === mark.text);
    for (const line of editor.lines) line.classList?.remove("pce-error-line");
    for (const mark of marks) editor.lines[mark.line]?.classList.add("pce-error-line");
    if (!box) return;
    box.replaceChildren(
      ...marks.map((mark) => {
        const item = document.createElement("p");
        item.textContent = mark.message;
        return item;
      }),
    );
    box.hidden = marks.length === 0;
    input.setAttribute("aria-describedby", marks.length ? `${box.id} ${help}` : help);
  };
  const read = () => {
    const lists = document.querySelectorAll("#result [data-code-marks]");
    const list = lists[lists.length - 1];
    marks = [...(list?.querySelectorAll("li[data-line]") || [])].map((item) => ({
      line: Number(item.dataset.line),
      text: item.dataset.text,
      message: item.textContent.trim(),
    }));
    show();
  };
  editor.on("update", () => {
    if (marks.length) show();
  });
  // A report swapped in by htmx (the submission's status, polled until it
  // is done; reading again finds the same marks when nothing changed).
  document.body.addEventListener("htmx:afterSettle", read);
  read();
}

// The keyboard shortcuts of the code form (templates/tutor/includes/
// code_form.html): its Run button is marked data-run, the other submit button
// submits for grading. Each returns true when it acted.
function runCode(form) {
  const run = form?.querySelector("button[data-run]");
  if (!run || run.disabled) return false;
  run.click();
  return true;
}

// Only where Run is offered (the practice page): a course item may count
// every submission as an attempt, so no chord submits there by accident.
function hasRun(form) {
  return Boolean(form?.querySelector("button[data-run]"));
}

function submitCode(form) {
  const submit = form?.querySelector("button[type=submit]:not([data-run])");
  if (!submit || submit.disabled) return false;
  // A click, not form.requestSubmit(): htmx posts a form to the formaction
  // of the button clicked last, which may be Run.
  submit.click();
  return true;
}

// In the own-input fields of "Run" (they belong to the code form), the same
// keys: Ctrl/Cmd+Enter runs, Ctrl/Cmd+Shift+Enter submits.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  const field = event.target;
  if (!field?.closest?.(".run-panel") || !field.form) return;
  const acted = event.shiftKey ? submitCode(field.form) : runCode(field.form);
  if (acted) event.preventDefault();
});

const textareas = document.querySelectorAll("textarea[data-editor='python']");
if (textareas.length) addLayoutStyles();
for (const textarea of textareas) enhance(textarea);
