"""Answer inputs filled with a saved answer (the mock-exam paper fills them;
the practice pages leave them empty)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def grid_cell(cells: list[list[str]] | None, row: int, column: int) -> str:
    """The saved entry of a matrix grid's cell, or ''."""
    try:
        return cells[row][column] if cells else ""
    except (IndexError, TypeError):
        return ""
