"""Which fields of an answer form cannot be read, each with its message in words.

The checkers stop at the first part they cannot read; the form marks every
such field at once (`aria-invalid`, `aria-describedby` its message), so this
reads each field on its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exercises.checkers import CheckResult, read_part
from exercises.presentation import Presented
from tutor.spoken import spoken


@dataclass(frozen=True)
class FieldError:
    field: str  # the input's name, without the exam paper's prefix
    message: str


def field_errors(
    shown: Presented, answer: dict[str, Any], result: CheckResult
) -> list[FieldError]:
    """The unreadable fields of `answer` to `shown`; none when `result` was read."""
    if result.readable:
        return []
    question = shown.question
    kind, spec = question.kind, question.spec
    if kind in ("single", "multiple"):
        field = "choice" if kind == "single" else "choices"
        return [FieldError(field, result.message)]
    if kind == "multistep":
        return _part_errors(shown, answer)
    field = "expression" if kind == "symbolic" else "value"
    message = _read_error({**spec, "kind": kind}, answer)
    return [FieldError(field, message or result.message)]


def _part_errors(shown: Presented, answer: dict[str, Any]) -> list[FieldError]:
    given = answer.get("parts")
    parts: dict[str, Any] = given if isinstance(given, dict) else {}
    errors = []
    for part in shown.parts:
        message = _read_error(part, parts.get(part["name"]) or {})
        if message:
            label = spoken(part["label_html"])
            errors.append(FieldError(f"part-{part['name']}", f"{label}: {message}"))
    return errors


def _read_error(part: dict[str, Any], answer: dict[str, Any]) -> str:
    """Why the part's answer cannot be read, or ''."""
    try:
        read_part(part, answer)
    except ValueError as exc:
        return str(exc)
    return ""


FORM_ID = "answer-form"


def form_check(shown: Presented, answer: dict[str, Any]) -> dict[str, Any]:
    """The context of a "Check the form" reply: how each part was read (by its
    label), or every field that cannot be read. Never an attempt."""
    from exercises.checkers import preview

    question = shown.question
    result = preview(question.kind, question.spec, answer)
    labels = {part["name"]: part["label_html"] for part in shown.parts}
    readings = result.details.get("readings", {})
    return {
        "result": result,
        "readings": [(labels.get(name, name), html) for name, html in readings.items()],
        "field_errors": field_errors(shown, answer, result),
        "form_id": FORM_ID,
    }
