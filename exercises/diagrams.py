"""Figures drawn on the server as SVG: labelled boxes for IoU and NMS
questions, and the NMS trace redrawn step by step.

The SVG is built here from numbers and labels (escaped), never from student
input, so it is safe to insert into a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

PALETTE = (
    "#2563eb",
    "#d97706",
    "#7c3aed",
    "#0891b2",
    "#db2777",
    "#65a30d",
    "#dc2626",
    "#475569",
)
KEPT, SUPPRESSED, DROPPED, WAITING = "#15803d", "#b91c1c", "#9ca3af", "#475569"


Rect = tuple[float, float, float, float]  # x, y, width, height
LABEL_HEIGHT, CHARACTER_WIDTH = 13.0, 7.2


def _label_position(
    box: Rect, characters: int, placed: list[Rect], canvas: tuple[int, int]
) -> tuple[float, float]:
    """Where a box's label goes: the first of its inside corners, then just
    above or below it, that no earlier label covers; the first corner if
    every place is taken. The chosen place is added to `placed`."""
    x, y, w, h = box
    size = (characters * CHARACTER_WIDTH, LABEL_HEIGHT)
    right = x + w - size[0] - 3
    bottom = y + h - size[1] - 2
    candidates = [
        (x + 3, y + 2),
        (right, y + 2),
        (x + 3, bottom),
        (right, bottom),
        (x, y - size[1] - 1),
        (x, y + h + 1),
    ]
    inside = [
        (cx, cy)
        for cx, cy in candidates
        if cx >= 0
        and cx + size[0] <= canvas[0]
        and cy >= 0
        and cy + size[1] <= canvas[1]
    ]
    for cx, cy in inside or candidates[:1]:
        spot = (cx, cy, *size)
        if not any(_overlap(spot, other) for other in placed):
            placed.append(spot)
            return cx, cy
    placed.append((*candidates[0], *size))
    return candidates[0]


def _overlap(a: Rect, b: Rect) -> bool:
    return (
        a[0] < b[0] + b[2]
        and b[0] < a[0] + a[2]
        and a[1] < b[1] + b[3]
        and b[1] < a[1] + a[3]
    )


def boxes_svg(
    boxes: Sequence[dict[str, Any]],
    *,
    colours: dict[str, str] | None = None,
    title: str = "",
    width: int = 320,
) -> str:
    """An SVG of corner boxes [{label, box: (x1, y1, x2, y2), score?}], y down."""
    if not boxes:
        return ""
    xs = [v for item in boxes for v in (item["box"][0], item["box"][2])]
    ys = [v for item in boxes for v in (item["box"][1], item["box"][3])]
    left, top = min(xs) - 1, min(ys) - 1
    span_x, span_y = max(xs) + 1 - left, max(ys) + 1 - top
    scale = width / max(span_x, span_y)
    height = int(span_y * scale) + 4
    label_text = escape(title or "boxes")
    opening = (
        f'<svg class="figure boxes" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{label_text}">'
    )
    parts = [opening]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    labels: list[str] = []
    placed: list[Rect] = []
    for index, item in enumerate(boxes):
        x1, y1, x2, y2 = (float(v) for v in item["box"])
        label = str(item.get("label", index + 1))
        colour = (colours or {}).get(label, PALETTE[index % len(PALETTE)])
        x, y = (x1 - left) * scale, (y1 - top) * scale
        w, h = (x2 - x1) * scale, (y2 - y1) * scale
        dashed = ' stroke-dasharray="4 3"' if colour in (DROPPED, SUPPRESSED) else ""
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{colour}" '
            f'fill-opacity="0.12" stroke="{colour}" stroke-width="2"{dashed}/>'
        )
        text = label if "score" not in item else f"{label} {float(item['score']):.2f}"
        tx, ty = _label_position((x, y, w, h), len(text), placed, (width, height))
        # Labels go on top of every box, with a pale halo to stay readable.
        labels.append(
            f'<text x="{tx:.1f}" y="{ty + LABEL_HEIGHT - 2:.1f}" font-size="12" '
            f'font-family="sans-serif" fill="{colour}" font-weight="700" '
            f'stroke="white" stroke-width="3" paint-order="stroke">{escape(text)}</text>'
        )
    parts += labels
    parts.append("</svg>")
    return "".join(parts)


def nms_steps_svg(values: dict[str, Any]) -> list[tuple[str, str]]:
    """One figure per NMS step: (caption, SVG). Green: kept so far; red,
    dashed: suppressed by this step; grey, dashed: dropped for low confidence
    or suppressed earlier; slate: still waiting."""
    trace, labels, boxes = values["trace"], values["labels"], values["boxes"]
    dropped = {labels[i] for i in trace.below_threshold}
    figures = []
    kept: set[str] = set()
    gone: set[str] = set(dropped)
    if dropped:
        colours = {
            label: (DROPPED if label in dropped else WAITING) for label in labels
        }
        caption = "Dropped for p_c < 0.6: " + ", ".join(sorted(dropped))
        figures.append((caption, boxes_svg(boxes, colours=colours, title=caption)))
    for number, step in enumerate(trace.steps, start=1):
        keep = labels[step.kept]
        now_suppressed = {labels[j]: iou for j, iou in step.suppressed}
        kept.add(keep)
        colours = {}
        for label in labels:
            if label in kept:
                colours[label] = KEPT
            elif label in now_suppressed:
                colours[label] = SUPPRESSED
            elif label in gone:
                colours[label] = DROPPED
            else:
                colours[label] = WAITING
        detail = ", ".join(
            f"{label} (IoU {iou:.2f})" for label, iou in now_suppressed.items()
        )
        caption = f"Step {number}: keep {keep}" + (
            f"; suppress {detail}" if detail else "; suppress nothing"
        )
        figures.append((caption, boxes_svg(boxes, colours=colours, title=caption)))
        gone |= set(now_suppressed)
    return figures
