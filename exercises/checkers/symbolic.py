"""Symbolic answers: equivalence with the stated answer, checked with sympy.

The student's input is read by `expressions.parse` (an AST whitelist, never
eval). Equivalence is decided in a forked, rlimited child: both expressions (σ
rewritten through exp) are evaluated at random points; one point where they
differ makes the answer wrong, agreement at every point right, and sympy's
`simplify(a − b) == 0` decides only when too few points can be evaluated. A
check that exhausts its limits is reported as such and does not count as an
attempt.
"""

from __future__ import annotations

import cmath
import random
from functools import lru_cache
from typing import Any

import sympy

from exercises.checkers.base import CheckResult
from exercises.checkers.bounded import Exhausted, run_bounded
from exercises.checkers.expressions import ExpressionError, Parsed, parse
from exercises.rendering import latex_to_mathml

SAMPLE_POINTS = 12


def read_symbolic(spec: dict[str, Any], answer: dict[str, Any]) -> Parsed:
    return parse(str(answer.get("expression", "")), spec.get("variables", []))


def check_symbolic(
    spec: dict[str, Any], answer: dict[str, Any], expected: Any = None
) -> CheckResult:
    try:
        student = read_symbolic(spec, answer)
    except ExpressionError as exc:
        return CheckResult.unreadable(str(exc))
    target = parse(
        str(expected if expected is not None else spec["answer"]),
        spec.get("variables", []),
    )
    interpretation = f"Read as {latex_to_mathml(student.latex)}"
    try:
        same = equivalent(
            student.normalised, target.normalised, tuple(spec.get("variables", []))
        )
    except (Exhausted, RuntimeError):
        return CheckResult.unreadable(
            "Your expression could not be checked within the time and memory allowed; "
            "simplify it and try again. This did not count as an attempt."
        )
    if same:
        return CheckResult(True, True, 1.0, "Correct.", interpretation)
    return CheckResult(
        True, False, 0.0, "Not equivalent to the expected expression.", interpretation
    )


# The child's budget. CPU time decides what "too hard to check" means; the
# wall clock only stops a child that is not scheduled, so it depends on the
# machine's load (tests that judge decidability widen it, never the CPU).
DECIDE_CPU_SECONDS = 3
DECIDE_WALL_SECONDS = 5.0


@lru_cache(maxsize=2048)
def equivalent(student: str, target: str, variables: tuple[str, ...]) -> bool:
    """Whether two expressions are equal for every value of the variables.

    Both are parsed here (cheap, bounded by the parser's caps); the deciding,
    which can explode, runs in a forked child under kernel limits.
    """
    a = parse(student, variables).expression
    b = parse(target, variables).expression
    return bool(
        run_bounded(
            lambda: _decide(a, b),
            cpu_seconds=DECIDE_CPU_SECONDS,
            wall_seconds=DECIDE_WALL_SECONDS,
        )
    )


def _decide(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Equal everywhere? Both sides are evaluated at random points of every
    variable either side uses (a variable may cancel out of a − b and still
    be needed to evaluate a alone); one point where they differ settles it.
    Only when too few points can be evaluated does sympy simplify a − b."""
    left, right = a.rewrite(sympy.exp), b.rewrite(sympy.exp)
    symbols = sorted(left.free_symbols | right.free_symbols, key=str)
    generator = random.Random(20261123)  # noqa: S311 - sample points, not secrets
    agreed = 0
    for _ in range(SAMPLE_POINTS * 2):
        point = {symbol: generator.uniform(-2, 2) for symbol in symbols}
        values = _values_at(left, right, point)
        if values is None:
            continue  # undefined or out of range here; try another point
        first, second = values
        if abs(first - second) > 1e-9 * max(1.0, abs(first), abs(second)):
            return False
        agreed += 1
        if agreed == SAMPLE_POINTS:
            return True
    if sympy.simplify(left - right) == 0:
        return True
    if agreed < SAMPLE_POINTS // 2:
        raise Exhausted("the expressions could not be evaluated at enough points")
    return True


def _values_at(
    left: sympy.Expr, right: sympy.Expr, point: dict[Any, float]
) -> tuple[complex, complex] | None:
    try:
        first = complex(sympy.N(left.subs(point), 30))
        second = complex(sympy.N(right.subs(point), 30))
    except (ValueError, TypeError, OverflowError, ZeroDivisionError):
        return None
    if not all(cmath.isfinite(value) for value in (first, second)):
        return None
    return first, second
