"""Template filters for course text: {{ text|md }}, {{ text|md_inline }}, {{ latex|tex }}."""

from __future__ import annotations

import numpy as np
from django import template
from django.utils.safestring import SafeString, mark_safe

from exercises.rendering import latex_to_mathml, render_markdown

register = template.Library()


@register.filter
def md(text: str) -> SafeString:
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3


@register.filter
def md_inline(text: str) -> SafeString:
    return mark_safe(render_markdown(text, inline=True))  # noqa: S308 - sanitised by nh3


@register.filter
def tex(latex: str) -> SafeString:
    return mark_safe(latex_to_mathml(latex, display=False))  # noqa: S308 - sanitised by nh3


@register.filter
def tex_block(latex: str) -> SafeString:
    return mark_safe(latex_to_mathml(latex, display=True))  # noqa: S308 - sanitised by nh3


@register.filter
def number(value: object) -> str:
    """A number as a person writes it: at most six significant digits."""
    try:
        return f"{float(value):.6g}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


def _number(value: float, digits: int = 4) -> str:
    text = f"{float(value):.{digits}g}"
    return "0" if text == "-0" else text


@register.filter
def num(value: object, digits: int = 4) -> str:
    """A number with at most `digits` significant digits ({{ x|num }}, {{ x|num:6 }})."""
    try:
        return _number(float(value), int(digits))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


@register.filter
def tex_tuple(values: object) -> str:
    """(a, b, c) for LaTeX: {{ box|tex_tuple }} inside $…$."""
    return (
        "("
        + ", ".join(_number(v) for v in np.asarray(values, dtype=float).ravel())
        + ")"
    )


@register.filter
def tex_matrix(values: object) -> str:
    """A bmatrix for LaTeX: a 1-D array becomes a column vector."""
    array = np.asarray(values, dtype=float)
    if array.ndim == 1:
        array = array[:, None]
    rows = [" & ".join(_number(v) for v in row) for row in array]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


@register.filter
def tex_row(values: object) -> str:
    """A row vector [a, b, c] for LaTeX."""
    return (
        "["
        + ", ".join(_number(v) for v in np.asarray(values, dtype=float).ravel())
        + "]"
    )


@register.filter
def make_range(count: object) -> range:
    """range(count) for template loops: {% for i in 3|make_range %}."""
    try:
        return range(max(0, min(50, int(count))))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return range(0)
