"""Answer checkers, one per question kind, behind a single `check` entry point.

Every checker returns a `CheckResult`. An answer that cannot be read comes
back with `readable=False` and a message saying why: it must not count as an
attempt. The correct answer comes from the question's variant (drawn from a
seed and computed by the engine), never from the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exercises.checkers.arithmetic import ReadError, read_number
from exercises.checkers.base import CheckResult
from exercises.checkers.choice import check_choice
from exercises.checkers.expressions import ExpressionError
from exercises.checkers.matrix import check_matrix, read_matrix
from exercises.checkers.multistep import check_multistep
from exercises.checkers.numeric import check_numeric
from exercises.checkers.ordering import check_ordering, read_labels
from exercises.checkers.symbolic import check_symbolic, read_symbolic

if TYPE_CHECKING:
    from exercises.variants import Variant

KINDS = ("single", "multiple", "numeric", "symbolic", "matrix", "ordering", "multistep")


def check(
    kind: str, spec: dict[str, Any], answer: dict[str, Any], variant: Variant
) -> CheckResult:
    """Check `answer` (as posted by the form) against the question's variant."""
    if kind in ("single", "multiple"):
        return check_choice(spec, answer, multiple=(kind == "multiple"))
    if kind == "multistep":
        return check_multistep(spec, answer, variant)
    if kind in ("numeric", "symbolic", "matrix", "ordering"):
        return check_part({**spec, "kind": kind}, answer, variant.answer)
    raise ValueError(f"no checker for question kind {kind!r}")


def check_part(
    part: dict[str, Any], answer: dict[str, Any], expected: Any
) -> CheckResult:
    kind = part["kind"]
    if kind == "numeric":
        return check_numeric(part, answer, expected)
    if kind == "symbolic":
        return check_symbolic(part, answer, expected)
    if kind == "matrix":
        return check_matrix(part, answer, expected)
    if kind == "ordering":
        return check_ordering(part, answer, expected)
    raise ValueError(f"no checker for part kind {kind!r}")


def read_part(part: dict[str, Any], answer: dict[str, Any]) -> Any:
    """The value a part's answer stands for; ValueError when it cannot be read."""
    kind = part["kind"]
    try:
        if kind == "numeric":
            return read_number(str(answer.get("value", ""))).value
        if kind == "matrix":
            return read_matrix(str(answer.get("value", "")))
        if kind == "symbolic":
            return read_symbolic(part, answer).expression
        if kind == "ordering":
            return read_labels(str(answer.get("value", "")))
    except (ReadError, ExpressionError) as exc:
        raise ValueError(str(exc)) from None
    raise ValueError(f"no reader for part kind {kind!r}")


__all__ = ["KINDS", "CheckResult", "check", "check_part", "preview", "read_part"]


def preview(kind: str, spec: dict[str, Any], answer: dict[str, Any]) -> CheckResult:
    """How the input was read, or where it is malformed, without judging it.

    This is the "check before it counts" step: nothing is stored and no
    attempt is used.
    """
    from exercises.checkers.matrix import matrix_latex
    from exercises.rendering import latex_to_mathml

    parts = (
        spec.get("parts")
        if kind == "multistep"
        else [{**spec, "kind": kind, "name": "answer"}]
    )
    if kind in ("single", "multiple") or (
        kind == "ordering" and spec.get("mode", "order") == "order"
    ):
        return CheckResult(
            True, message="Nothing to read: choose, then check your answer."
        )
    given = answer.get("parts", {}) if kind == "multistep" else {"answer": answer}
    readings = {}
    for part in parts or []:
        try:
            value = read_part(part, given.get(part["name"]) or {})
        except ValueError as exc:
            label = part.get("label", part["name"]) if kind == "multistep" else ""
            return CheckResult.unreadable(f"{label}: {exc}" if label else str(exc))
        if part["kind"] == "matrix":
            shown = latex_to_mathml(matrix_latex(value))
        elif part["kind"] == "symbolic":
            import sympy

            shown = latex_to_mathml(sympy.latex(value))
        elif part["kind"] == "ordering":
            shown = ", ".join(value) if value else "none"
        else:
            shown = f"{value:.10g}"
        readings[part["name"]] = shown
    if kind == "multistep":
        return CheckResult(
            True, message="Every part can be read.", details={"readings": readings}
        )
    return CheckResult(
        True,
        message="Your answer can be read.",
        interpretation=f"Read as {readings['answer']}",
    )
