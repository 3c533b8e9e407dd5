"""Numeric answers with absolute and relative tolerance."""

from __future__ import annotations

import math
from typing import Any

from exercises.checkers.arithmetic import ReadError, read_number
from exercises.checkers.base import CheckResult


def check_numeric(
    spec: dict[str, Any], answer: dict[str, Any], expected: Any
) -> CheckResult:
    try:
        reading = read_number(answer.get("value", ""))
    except ReadError as exc:
        return CheckResult.unreadable(str(exc))
    expected = float(expected)
    tolerance = spec.get("tolerance", {})
    absolute = float(tolerance.get("abs", 1e-3))
    relative = float(tolerance.get("rel", 1e-3))
    right = math.isclose(reading.value, expected, rel_tol=relative, abs_tol=absolute)
    interpretation = f"Read as {reading.value:.10g}"
    if right:
        return CheckResult(True, True, 1.0, "Correct.", interpretation)
    return CheckResult(True, False, 0.0, "Not quite.", interpretation)
