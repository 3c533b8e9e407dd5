"""Text for Moodle: course Markdown as HTML with MathJax delimiters, the
answers a shortanswer accepts, and embedded-answer (Cloze) codes for the
parts of matrix and multi-step questions."""

from __future__ import annotations

import html
import itertools
import re
from typing import Any

import numpy as np

from exercises.rendering import _MATH, render_markdown

DEFAULT_TOLERANCE = 1e-3  # the checkers' default, absolute and relative
MAX_SET_PERMUTED = 4
_TOKEN = "MOODLEMATH{}X"  # noqa: S105 - a placeholder, not a password
_TOKEN_RE = re.compile(r"MOODLEMATH(\d+)X")
# Characters a Cloze answer must escape with a backslash.
_CLOZE_SPECIAL = re.compile(r'([\\}#~/"])')


class Unsupported(Exception):
    """Something Moodle's core question types cannot express."""


def moodle_html(markdown: str, *, inline: bool = False) -> str:
    """Course Markdown as HTML for Moodle, the maths left as LaTeX between
    MathJax delimiters, \\( … \\) and \\[ … \\], for Moodle's filter to typeset."""
    formulas: list[str] = []

    def stash(match: re.Match[str]) -> str:
        display = match.group(1) is not None
        latex = (match.group(1) or match.group(2)).strip()
        formulas.append(rf"\[{latex}\]" if display else rf"\({latex}\)")
        return _TOKEN.format(len(formulas) - 1)

    rendered = render_markdown(_MATH.sub(stash, markdown or ""), inline=inline)
    return _TOKEN_RE.sub(lambda m: html.escape(formulas[int(m.group(1))]), rendered)


# ------------------------------------------------------------ tolerances


def numeric_tolerance(part: dict[str, Any], expected: float) -> float:
    """The absolute tolerance the numeric checker grants at `expected`:
    math.isclose accepts within max(rel·|x|, abs)."""
    limits = part.get("tolerance") or {}
    absolute = float(limits.get("abs", DEFAULT_TOLERANCE))
    relative = float(limits.get("rel", DEFAULT_TOLERANCE))
    return max(absolute, relative * abs(expected))


def matrix_tolerance(part: dict[str, Any], expected: float) -> float:
    """The matrix checker's numpy.isclose: within abs + rel·|x|."""
    limits = part.get("tolerance") or {}
    absolute = float(limits.get("abs", DEFAULT_TOLERANCE))
    relative = float(limits.get("rel", DEFAULT_TOLERANCE))
    return absolute + relative * abs(expected)


# ------------------------------------------------------- shortanswer forms


def expression_forms(expression: str) -> list[str]:
    """The stated expression, with and without spaces (Moodle compares text)."""
    return list(dict.fromkeys([expression, re.sub(r"\s+", "", expression)]))


def label_forms(labels: list[str], mode: str) -> list[str]:
    """Labels separated by commas; every order of a set of up to four."""
    if not labels:
        return ["none"]
    if mode == "set":
        if len(labels) > MAX_SET_PERMUTED:
            raise Unsupported(f"a set of {len(labels)} labels: too many orders to list")
        orders = [list(order) for order in itertools.permutations(labels)]
    else:
        orders = [labels]
    forms = [sep.join(order) for order in orders for sep in (", ", ",")]
    return list(dict.fromkeys(forms))  # one label reads the same either way


def literal(form: str) -> str:
    """A shortanswer answer matched as written: a bare * is Moodle's wildcard."""
    return form.replace("*", r"\*")


# ------------------------------------------------------------- Cloze codes


def cloze_numerical(value: float, tolerance: float) -> str:
    return f"{{1:NUMERICAL:={float(value)!r}:{float(tolerance)!r}}}"


def cloze_shortanswer(forms: list[str]) -> str:
    answers = "~".join(
        "=" + _CLOZE_SPECIAL.sub(r"\\\1", literal(form)) for form in forms
    )
    return f"{{1:SHORTANSWER:{answers}}}"


def cloze_matrix(part: dict[str, Any], value: Any) -> str:
    """A grid of numerical gaps, one a cell, as an HTML table."""
    array = np.atleast_2d(np.asarray(value, dtype=float))
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{cloze_numerical(cell, matrix_tolerance(part, cell))}</td>"
            for cell in row
        )
        + "</tr>"
        for row in array
    )
    return f'<table class="matrix-answer">{rows}</table>'


def cloze_part(part: dict[str, Any], value: Any) -> str:
    """The gap for one part of a multi-step question (or a whole answer)."""
    kind = part["kind"]
    if kind == "numeric":
        return cloze_numerical(value, numeric_tolerance(part, float(value)))
    if kind == "matrix":
        return cloze_matrix(part, value)
    if kind == "symbolic":
        return cloze_shortanswer(expression_forms(str(value)))
    if kind == "ordering" and part.get("mode", "order") != "order":
        return cloze_shortanswer(label_forms(list(value), part["mode"]))
    raise Unsupported(f"a {kind} part has no embedded-answer form")
