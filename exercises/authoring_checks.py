"""Whether an author's text can be shown: its formulas typeset and its
placeholders name values the generator gives.

The LaTeX converter accepts some broken formulas without complaint (`\\frac{1`
becomes a fraction with no denominator, `x^{2` a square), so a formula is
also checked for balanced braces and for commands that lack an argument.
Each problem is a phrase that completes "… does not render: ".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from latex2mathml.converter import convert

from exercises.rendering import formulas_in, render_markdown

_MISSING = "\x00MISSING:%s\x00"
_MISSING_FOUND = re.compile("\x00MISSING:(.*?)\x00")
# Filters on a missing value are skipped when `string_if_invalid` is set, so
# the marker comes through whole.
_ENGINE = Engine(
    builtins=["exercises.templatetags.content"],
    autoescape=False,
    string_if_invalid=_MISSING,
)
_MATHML = "{http://www.w3.org/1998/Math/MathML}"
# MathML elements that need a fixed number of children, and what a formula
# missing one lacks, in the author's terms.
_ARITY = {
    "mfrac": (2, "`\\frac` needs a numerator and a denominator, `\\frac{a}{b}`"),
    "mroot": (2, "a root needs its index and its radicand"),
    "msub": (2, "a subscript `_` has nothing after it"),
    "msup": (2, "a superscript `^` has nothing after it"),
    "msubsup": (3, "a sub- and superscript need both their parts"),
    "munderover": (3, "a limit above and below needs both its parts"),
}


_MATH = re.compile(r"<math\b.*?</math>", re.S)
_RAW_COMMAND = re.compile(r"\\[A-Za-z]+")
_CODE = re.compile(r"<(code|pre)\b.*?</\1>", re.S)
# A subscript or superscript in braces, or a command, left in the prose.
_STRAY_LATEX = re.compile(r"\S*(?:[_^]\{|\\[A-Za-z]{2,})\S*")


def html_problems(html: str) -> list[str]:
    """Formulas that did not typeset: a conversion error, or a LaTeX command
    the converter does not know and left in the formula as text."""
    problems = []
    if "latex-error" in html:
        problems.append(
            f"a formula does not typeset: {html[html.find('latex-error') :][:120]}"
        )
    for formula in _MATH.findall(html):
        raw = _RAW_COMMAND.search(formula)
        if raw:
            problems.append(f"a formula keeps the LaTeX command {raw.group(0)} as text")
    prose = _CODE.sub("", _MATH.sub("", html))
    stray = _STRAY_LATEX.search(prose)
    if stray:
        problems.append(f"LaTeX outside $…$ shows as text: {stray.group(0)!r}")
    return problems


def _camel_words(name: str) -> str:
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", name.removesuffix("Error")).lower()
    return words or "it cannot be read"


def _brace_problem(latex: str) -> str | None:
    depth = 0
    for brace in re.findall(r"\\.|[{}]", latex, re.S):
        if brace == "{":
            depth += 1
        elif brace == "}":
            depth -= 1
            if depth < 0:
                return "a `}` closes no `{`"
    if depth == 1:
        return "a `{` is never closed"
    if depth > 1:
        return f"{depth} `{{` are never closed"
    return None


@lru_cache(maxsize=4096)
def formula_problem(latex: str) -> str | None:
    """Why one formula (the LaTeX between the dollars) does not render, or None."""
    braces = _brace_problem(latex)
    if braces:
        return braces
    try:
        mathml = convert(latex.strip())
    except Exception as exc:  # noqa: BLE001 - the converter raises many kinds
        detail = str(exc).strip()
        words = _camel_words(type(exc).__name__)
        return f"LaTeX cannot read it ({words}{': ' + detail if detail else ''})"
    try:
        root = ET.fromstring(mathml)  # noqa: S314 - the converter's own output
    except ET.ParseError:
        return None  # not ours to judge: it renders as the converter wrote it
    for element in root.iter():
        tag = element.tag.removeprefix(_MATHML)
        if tag in _ARITY and len(element) < _ARITY[tag][0]:
            return _ARITY[tag][1]
    return None


def _filled(text: str, values: dict[str, Any]) -> tuple[str, list[str]]:
    """The text with its placeholders filled (the unknown ones left empty),
    and the unknown ones' names."""
    if "{{" not in text and "{%" not in text:
        return text, []
    marked = _ENGINE.from_string(text).render(Context(values, autoescape=False))
    missing = list(dict.fromkeys(_MISSING_FOUND.findall(marked)))
    return _MISSING_FOUND.sub("", marked), missing


def text_problems(
    text: str, values: dict[str, Any], *, rendered: bool = True
) -> list[str]:
    """Everything that keeps one text (Markdown with $…$ maths and
    placeholders) from showing as written, each a phrase that completes
    "its …" ("formula `\\frac{1` does not render: a `{` is never closed").
    `rendered` also looks at the HTML (commands left as text, stray LaTeX)."""
    try:
        filled, missing = _filled(text, values)
    except TemplateSyntaxError as exc:
        return [f"placeholders cannot be read: {exc}"]
    except Exception as exc:  # noqa: BLE001 - a filter failing on a value is shown
        return [f"placeholders cannot be filled: {exc}"]
    problems = [
        f"placeholder `{{{{ {name} }}}}` is not a value "
        + (
            f"the generator gives (it gives {_names(values)})"
            if values
            else "this question has: it has no generator"
        )
        for name in missing
    ]
    broken = [
        (formula, problem)
        for formula in formulas_in(filled)
        if (problem := formula_problem(formula))
    ]
    problems += [
        f"formula `{formula}` does not render: {problem}" for formula, problem in broken
    ]
    if rendered and not broken:
        problems += [
            _lowered(problem)
            for problem in html_problems(render_markdown(filled))
            if "does not typeset" not in problem
        ]
    return problems


def _names(values: dict[str, Any]) -> str:
    names = sorted(values)
    shown = ", ".join(f"`{name}`" for name in names[:12])
    return shown + (f" and {len(names) - 12} more" if len(names) > 12 else "")


def _lowered(problem: str) -> str:
    """An html_problems message ("a formula keeps …") as a phrase after "its"."""
    return re.sub(r"^a formula ", "formula ", problem)


def question_texts(
    question: dict[str, Any],
) -> list[tuple[str, str, str]]:
    """Every text of a question (its fields and its spec's keys merged) that
    students see: (form field, what it is called, the text)."""
    texts = [
        ("prompt", "The prompt's", str(question.get("prompt") or "")),
        ("explanation", "The explanation's", str(question.get("explanation") or "")),
    ]
    texts += [
        ("hints", f"Hint {n}'s", str(hint))
        for n, hint in enumerate(question.get("hints") or [], start=1)
    ]
    for n, option in enumerate(question.get("options") or [], start=1):
        if isinstance(option, dict):
            texts.append(("options", f"Option {n}'s", str(option.get("text", ""))))
            explanation = str(option.get("explanation") or "")
            texts.append(("options", f"Option {n}'s explanation's", explanation))
    texts += [
        ("items", f"Item {n}'s", str(item))
        for n, item in enumerate(question.get("items") or [], start=1)
    ]
    for n, part in enumerate(question.get("parts") or [], start=1):
        if isinstance(part, dict):
            texts.append(("parts", f"Step {n}'s label's", str(part.get("label", ""))))
    return [(field, name, text) for field, name, text in texts if text]


def question_text_problems(
    question: dict[str, Any], values: dict[str, Any], *, rendered: bool = True
) -> list[tuple[str, str]]:
    """(form field, message) for every text of the question that cannot be
    shown as written, with the variant's `values` for its placeholders."""
    return [
        (field, f"{name} {problem}.")
        for field, name, text in question_texts(question)
        for problem in text_problems(text, values, rendered=rendered)
    ]


def question_problems(question: dict[str, Any]) -> list[tuple[str, str]]:
    """Everything missing or inconsistent in one question's fields, each as
    (the key it concerns, the problem)."""
    from exercises.variants import get_generator

    kind = question["kind"]
    problems: list[tuple[str, str]] = []
    if question.get("difficulty") not in (1, 2, 3):
        problems.append(("difficulty", "needs a `difficulty` (1, 2 or 3) and `tags`"))
    if not question.get("tags"):
        problems.append(("tags", "needs a `difficulty` (1, 2 or 3) and `tags`"))
    if not question.get("title"):
        problems.append(("title", "needs a short `title` for lists"))
    if question.get("figure") not in (None, "boxes", "nms"):
        problems.append(("figure", "`figure` must be boxes or nms"))
    if question.get("generator"):
        try:
            get_generator(question["generator"])
        except KeyError:
            problems.append(
                ("generator", f"no variant generator `{question['generator']}`")
            )
    elif kind in ("numeric", "symbolic", "matrix") and "answer" not in question:
        problems.append(("answer", "needs an `answer` (or a `generator`)"))
    if kind in ("single", "multiple"):
        options = question.get("options") or []
        right = sum(bool(option.get("correct")) for option in options)
        if len(options) < 2 or right == 0 or (kind == "single" and right != 1):
            problems.append(
                (
                    "options",
                    (
                        "choice questions need options, with exactly one correct "
                        "for `single`"
                    ),
                )
            )
    if kind == "symbolic" and not question.get("variables"):
        problems.append(("variables", "symbolic questions need their `variables`"))
    if kind == "ordering":
        problems += _ordering_problems(question)
    if kind == "multistep":
        parts = question.get("parts") or []
        if not parts or any("name" not in part or "kind" not in part for part in parts):
            problems.append(
                (
                    "parts",
                    "multi-step questions need `parts`, each with a name and a kind",
                )
            )
        elif not question.get("generator") and any(
            "answer" not in part for part in parts
        ):
            problems.append(
                ("parts", "each part needs an `answer` (or the question a `generator`)")
            )
    return problems


def _ordering_problems(question: dict[str, Any]) -> list[tuple[str, str]]:
    mode = question.get("mode", "order")
    if mode not in ("order", "sequence", "set"):
        return [("mode", "`mode` must be order, sequence or set")]
    if mode == "order" and len(question.get("items") or []) < 2:
        return [("items", "ordering questions need `items` (in the correct order)")]
    if mode != "order" and "answer" not in question and not question.get("generator"):
        return [("answer", "needs an `answer` (or a `generator`)")]
    return []
