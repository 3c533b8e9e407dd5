"""The topics' prerequisites in the bank's course.yaml: topic code → the codes
of the topics to master first. "What next" (tutor.next_item) opens a topic
once each of them is well on the way."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any


def prerequisites_read(given: Any, codes: Collection[str]) -> dict[str, list[str]]:
    """The mapping checked: known topic codes, written as quoted text (YAML
    reads an unquoted 6.10 as the number 6.1), no topic its own prerequisite,
    no circle. Raises ValueError saying what is wrong."""
    if given is None:
        return {}
    if not isinstance(given, dict):
        raise ValueError("map each topic code to a list of topic codes")
    needs: dict[str, list[str]] = {}
    for code, before in given.items():
        if not isinstance(code, str) or not isinstance(before, list):
            raise ValueError(
                f"map a quoted topic code to a list of quoted codes ({code!r} is not)"
            )
        for other in [code, *before]:
            if not isinstance(other, str) or other not in codes:
                raise ValueError(f"no topic {other!r} (quote the codes)")
        if code in before:
            raise ValueError(f"{code} is listed as its own prerequisite")
        needs[code] = list(dict.fromkeys(before))
    circle = prerequisite_circle(needs)
    if circle:
        raise ValueError(f"they go round in a circle: {' → '.join(circle)}")
    return needs


def prerequisite_circle(needs: dict[str, list[str]]) -> list[str]:
    """A circle in the prerequisite graph as a path of codes, or []."""
    done: set[str] = set()

    def visit(code: str, path: list[str]) -> list[str]:
        if code in path:
            return [*path[path.index(code) :], code]
        if code in done:
            return []
        for other in needs.get(code, []):
            found = visit(other, [*path, code])
            if found:
                return found
        done.add(code)
        return []

    for code in needs:
        found = visit(code, [])
        if found:
            return found
    return []
