"""The one way a score in [0, 1] is written on the site: a whole percentage."""

from __future__ import annotations

import math

from django import template

register = template.Library()

NONE = "—"


@register.filter
def percent(value: float | None, empty: str = NONE) -> str:
    """`0.2` as "20%"; `empty` for no score. Rounded to the nearest whole
    percent (halves up), except that a score short of full marks never reads "100%" and
    a score above nothing never reads "0%"."""
    if value is None or value == "":
        return empty
    share = float(value)
    whole = math.floor(share * 100 + 0.5)
    if whole >= 100 and share < 1:
        whole = 99
    elif whole <= 0 and share > 0:
        whole = 1
    return f"{whole}%"
