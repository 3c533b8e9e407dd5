"""The lines of a submission that its report blames, for the code editor to
mark: the line of a syntax error or a forbidden call, and the student's
innermost line in each traceback the viewer may see.

`error_lines` is pure: it reads the report as the viewer sees it (a hidden
case's traceback is already gone) and the submitted source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_MARKS = 5
# A frame of the student's code in a traceback (engine.sandbox.runtime names
# the submission's file so).
_FRAME = re.compile(r'File "submission\.py", line (\d+)')
_WHERE = re.compile(r"\s*\(line \d+(?:, column \d+)?\)\s*$")
_LINE_FIRST = re.compile(r"^Line \d+\b")


@dataclass(frozen=True)
class ErrorLine:
    """`number` counts from 1; `text` is the source line as submitted, so
    that the editor marks it only while it still holds that text."""

    number: int
    text: str
    message: str


def error_lines(report: Mapping[str, Any] | None, source: str) -> list[ErrorLine]:
    """The blamed lines in order, one message each (the first found), at
    most MAX_MARKS; none for a report without errors."""
    if not report:
        return []
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found: dict[int, str] = {}
    for number, message in _blamed(report):
        if 1 <= number <= len(lines) and number not in found:
            found[number] = message
    return [
        ErrorLine(number, lines[number - 1], _worded(number, message))
        for number, message in sorted(found.items())[:MAX_MARKS]
    ]


def _blamed(report: Mapping[str, Any]) -> Iterable[tuple[int, str]]:
    line = report.get("line")
    if isinstance(line, int) and line > 0:
        yield line, _plain(str(report.get("message", "")))
    tracebacks = [str(report.get("traceback") or "")]
    tracebacks += [
        str(case.get("error") or "")
        for case in report.get("cases") or []
        if isinstance(case, Mapping)
    ]
    for text in tracebacks:
        blamed = _innermost(text)
        if blamed is not None:
            yield blamed


def _innermost(traceback: str) -> tuple[int, str] | None:
    """The student's last frame and the exception's last line."""
    frames = _FRAME.findall(traceback)
    if not frames:
        return None
    last = [row for row in traceback.strip().splitlines() if row.strip()][-1]
    return int(frames[-1]), last.strip()


def _plain(message: str) -> str:
    """A syntax error's message without its position (the mark says the
    line) and without the word SyntaxError (the headline says it)."""
    message = _WHERE.sub("", message.strip())
    return message.removeprefix("SyntaxError: ")


def _worded(number: int, message: str) -> str:
    if _LINE_FIRST.match(message):
        return message
    return f"Line {number}: {message}" if message else f"Line {number}"
