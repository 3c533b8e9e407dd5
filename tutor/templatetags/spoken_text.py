"""Plain-text readings of course HTML for accessible names (tutor.spoken)."""

from __future__ import annotations

from django import template

from tutor.spoken import has_math, spoken

register = template.Library()


@register.filter(name="spoken")
def spoken_filter(html: str) -> str:
    """The text of `html`, its formulas read out in plain characters."""
    return spoken(str(html))


@register.filter
def math_name(html: str) -> str:
    """A name for a control labelled by `html` when MathML is in it (which
    gives no accessible name), else '' (the label's own text names it)."""
    return spoken(str(html)) if has_math(str(html)) else ""
