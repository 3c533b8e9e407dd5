"""Arrays of a grading report as pictures and readable numbers.

{{ value|readable }} writes a number or nested list with a few significant
digits; {% heatmaps expected got %} draws two arrays of 2 to 4 dimensions
side by side as SVG heatmaps on one colour scale, with their difference;
{{ value|heatmap }} draws one. The SVG is built here from numbers only, so
it is safe to insert into a page; anything that is not a modest numeric
array draws nothing, and the template shows numbers instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

import numpy as np
from django.utils.safestring import SafeString, mark_safe

MIN_CELLS, MAX_CELLS = 4, 400  # the engine truncates larger arrays anyway
MAX_SIDE = 32
MAX_TILES = 48
# Sequential scale (viridis, five stops) and a diverging one for signed data.
SEQUENTIAL = ((68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37))
DIVERGING = (
    (33, 102, 172),
    (146, 197, 222),
    (247, 247, 247),
    (244, 165, 130),
    (178, 24, 43),
)
MISSING = "#9e9e9e"
_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


# ----------------------------------------------------------------- numbers


def _number(value: float, digits: int) -> str:
    if not math.isfinite(value):
        return repr(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text


def readable(value: Any, digits: int = 6) -> str:
    """A value as a person writes it: numbers with at most `digits`
    significant digits (4 inside arrays), rows of a matrix on their own lines."""
    return _readable(value, int(digits), 0)


def _readable(value: Any, digits: int, depth: int) -> str:
    if isinstance(value, bool) or value is None:
        return "—" if value is None else str(value)
    if isinstance(value, int | float):
        return _number(float(value), digits if depth == 0 else min(digits, 4))
    if isinstance(value, str):
        return value if value in _NON_FINITE else repr(value)
    if isinstance(value, dict):
        if value.get("truncated"):
            shape = " × ".join(str(side) for side in value.get("shape", []))
            first = _readable(value.get("first", []), digits, 1)
            return f"an array of shape {shape} (too large to show; it starts {first[:-1]} …])"
        return (
            "{"
            + ", ".join(
                f"{key}: {_readable(item, digits, depth + 1)}"
                for key, item in value.items()
            )
            + "}"
        )
    if isinstance(value, list | tuple):
        items = [_readable(item, digits, depth + 1) for item in value]
        if value and all(isinstance(item, list) for item in value):
            return "[" + (",\n" + " " * (depth + 1)).join(items) + "]"
        return "[" + ", ".join(items) + "]"
    return str(value)


# ----------------------------------------------------------------- arrays


def as_array(value: Any) -> np.ndarray | None:
    """A modest numeric array of 2 to 4 dimensions, or None."""
    if not isinstance(value, list) or not value:
        return None
    try:
        array = np.array(_floats(value), dtype=float)
    except (TypeError, ValueError):
        return None
    # A picture of fewer than four cells says nothing the number does not.
    if array.ndim not in (2, 3, 4) or not MIN_CELLS <= array.size <= MAX_CELLS:
        return None
    if array.shape[-1] > MAX_SIDE or array.shape[-2] > MAX_SIDE:
        return None
    if int(np.prod(array.shape[:-2])) > MAX_TILES:
        return None
    return array


def _floats(value: Any) -> Any:
    if isinstance(value, list):
        return [_floats(item) for item in value]
    if isinstance(value, bool):
        raise TypeError("booleans are not drawn")
    if isinstance(value, str):
        if value not in _NON_FINITE:
            raise ValueError(value)
        return _NON_FINITE[value]
    if not isinstance(value, int | float):
        raise TypeError(type(value).__name__)
    return value


class Scale:
    """Values to colours: sequential from low to high, or diverging around 0
    when the values have both signs."""

    def __init__(self, arrays: Sequence[np.ndarray], *, diverging: bool = False):
        finite = [a[np.isfinite(a)] for a in arrays]
        values = np.concatenate(finite) if finite else np.array([])
        low = float(values.min()) if values.size else 0.0
        high = float(values.max()) if values.size else 0.0
        self.diverging = diverging or (low < 0 < high)
        if self.diverging:
            bound = max(abs(low), abs(high)) or 1.0
            low, high = -bound, bound
        self.low, self.high = low, high
        self.stops = DIVERGING if self.diverging else SEQUENTIAL

    def colour(self, value: float) -> str:
        if math.isnan(value):
            return MISSING
        span = self.high - self.low
        share = 0.5 if span <= 0 else (value - self.low) / span
        return _interpolate(self.stops, min(1.0, max(0.0, share)))


def _interpolate(stops: Sequence[tuple[int, int, int]], share: float) -> str:
    position = share * (len(stops) - 1)
    index = min(int(position), len(stops) - 2)
    fraction = position - index
    start, end = stops[index], stops[index + 1]
    red, green, blue = (
        round(a + (b - a) * fraction) for a, b in zip(start, end, strict=True)
    )
    return f"#{red:02x}{green:02x}{blue:02x}"


# ----------------------------------------------------------------- drawing

GAP, CAPTION, LEGEND = 8, 14, 32


def _tiles(array: np.ndarray) -> tuple[list[tuple[str, np.ndarray]], int]:
    """The 2-D slices to draw, with their captions, and how many per row."""
    if array.ndim == 2:
        return [("", array)], 1
    if array.ndim == 3:
        per_row = min(array.shape[0], 4)
        return [(f"[{c}]", array[c]) for c in range(array.shape[0])], per_row
    count, channels = array.shape[:2]
    tiles = [
        (f"[{n}, {c}]", array[n, c]) for n in range(count) for c in range(channels)
    ]
    return tiles, channels if channels <= 4 else 4


def _cell_size(array: np.ndarray) -> int:
    side = max(array.shape[-2:])
    budget = 200 if array.ndim == 2 else 100
    return max(8, min(40, budget // side))


def draw(array: np.ndarray, scale: Scale, label: str) -> str:
    """One array as an inline SVG: a grid of cells per 2-D slice, a legend."""
    tiles, per_row = _tiles(array)
    cell = _cell_size(array)
    rows, cols = array.shape[-2:]
    caption = CAPTION if array.ndim > 2 else 0
    tile_w, tile_h = cols * cell, rows * cell + caption
    grid_rows = math.ceil(len(tiles) / per_row)
    width = max(per_row * tile_w + (per_row - 1) * GAP, 128)
    height = grid_rows * tile_h + (grid_rows - 1) * GAP + LEGEND
    opening = (
        f'<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(_describe(array, scale, label))}">'
    )
    parts = [opening]
    for index, (name, tile) in enumerate(tiles):
        x0 = (index % per_row) * (tile_w + GAP)
        y0 = (index // per_row) * (tile_h + GAP)
        if name:
            parts.append(
                f'<text x="{x0}" y="{y0 + 10}" class="tile-caption">{name}</text>'
            )
        parts.extend(_cells(tile, scale, x0, y0 + caption, cell))
    parts.append(_legend(scale, height - LEGEND + 6, width))
    parts.append("</svg>")
    return "".join(parts)


def _cells(tile: np.ndarray, scale: Scale, x0: int, y0: int, cell: int) -> list[str]:
    return [
        f'<rect x="{x0 + j * cell}" y="{y0 + i * cell}" width="{cell}" '
        f'height="{cell}" fill="{scale.colour(float(value))}">'
        f"<title>[{i}, {j}] = {_number(float(value), 6)}</title></rect>"
        for (i, j), value in np.ndenumerate(tile)
    ]


def _legend(scale: Scale, y: int, width: int) -> str:
    steps = 12
    bar = min(width, 168)
    step = bar / steps
    swatches = "".join(
        f'<rect x="{k * step:.1f}" y="{y}" width="{step + 0.5:.1f}" height="8" '
        f'fill="{_interpolate(scale.stops, k / (steps - 1))}"/>'
        for k in range(steps)
    )
    low, high = _number(scale.low, 3), _number(scale.high, 3)
    middle = (
        f'<text x="{bar / 2:.1f}" y="{y + 21}" text-anchor="middle">0</text>'
        if scale.diverging
        else ""
    )
    return (
        f'<g class="legend">{swatches}'
        f'<text x="0" y="{y + 21}">{low}</text>{middle}'
        f'<text x="{bar}" y="{y + 21}" text-anchor="end">{high}</text></g>'
    )


def _describe(array: np.ndarray, scale: Scale, label: str) -> str:
    shape = " × ".join(str(side) for side in array.shape)
    low, high = _number(scale.low, 3), _number(scale.high, 3)
    return f"{label}: a {shape} array drawn as a heatmap, colours from {low} to {high}"


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def heatmap(value: Any, label: str = "Array") -> SafeString:
    """One array as a heatmap on its own scale, or '' if it is not drawable."""
    array = as_array(value)
    if array is None:
        return mark_safe("")
    return mark_safe(draw(array, Scale([array]), str(label)))  # noqa: S308 - numbers only


def drawable(value: Any) -> bool:
    return as_array(value) is not None


def heatmaps(expected: Any, got: Any) -> SafeString:
    """Expected and got side by side on one scale, and got − expected when the
    shapes agree; '' unless the expected value is a drawable array."""
    want, have = as_array(expected), as_array(got)
    if want is None:
        return mark_safe("")
    pictures = [(want, "Expected")]
    if have is not None:
        pictures.append((have, "Your output"))
    scale = Scale([array for array, _ in pictures])
    figures = [_figure(draw(array, scale, name), name) for array, name in pictures]
    if have is not None and have.shape == want.shape:
        difference = have - want
        figures.append(
            _figure(
                draw(difference, Scale([difference], diverging=True), "Difference"),
                "Your output − expected",
            )
        )
    return mark_safe(f'<div class="heatmaps">{"".join(figures)}</div>')  # noqa: S308
