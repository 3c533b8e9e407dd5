"""The generic ladders for code that ran and answered wrongly (a broken
property, a wrong visible case, wrong hidden cases only) or ran out of time
or memory."""

from __future__ import annotations

import re

import numpy as np

from engine.compare import as_float_array, fmt, shape_text
from engine.hints.words import (
    GENERIC,
    MAX_LABELS,
    HintLadder,
    brief,
    case_name,
    clipped,
    code,
    plain,
    promises_said,
)
from engine.report import BrokenProperty, CaseResult, Report
from engine.specs.base import ExerciseSpec

# "f(a, b) = f(b, a)": a law that the arguments may be swapped.
_SWAPPED = re.compile(r"(\w+)\((\w+), (\w+)\) = \1\(\3, \2\)")


def property_ladder(
    spec: ExerciseSpec, report: Report, shown: list[CaseResult], seed: int
) -> HintLadder:
    broken = report.properties[0]
    law = plain(broken.description)
    point = (
        f"Your outputs break a law every correct answer obeys: **{law}**. "
        "Which step of your computation could make it false?"
    )
    teach = (
        "A law like this holds whatever the inputs, so breaking it is never a "
        "rounding matter: the formula is wrong somewhere. " + _law_principle(broken)
    )
    open_names = {case.name for case in shown}
    where = broken.message.split(":", 1)[0] if ":" in broken.message else ""
    if where in open_names:
        bottom = f"It breaks on the visible case {code(where, 80)}: " + code(
            broken.message.split(":", 1)[1]
        )
        bottom += (
            "\n\nRun that case and check the law on your output, step by step, "
            "until the first intermediate value that already breaks it."
        )
    else:
        bottom = (
            "It breaks on a case whose details are not shown. Test the law "
            f"yourself on the worked examples: compute your function and check "
            f"that {law}; then vary an input (swap arguments, scale it, make it "
            "an edge case the statement names) until it fails."
        )
    return HintLadder(
        f"{GENERIC}property", "Your outputs break a property", (point, teach, bottom)
    )


def _law_principle(broken: BrokenProperty) -> str:
    text = f"{broken.id} {broken.description}".lower()
    if "symmetric" in text or _SWAPPED.search(broken.description):
        return (
            "A symmetry breaks when the two arguments (or axes) are treated "
            "differently: one side clamped or normalised and not the other, or "
            "an index taken from the first where the second was meant."
        )
    if any(word in text for word in ("[0, 1]", "range", "lies in", "between")):
        return (
            "A value leaves its range when a numerator can exceed its denominator "
            "or turn negative: look for a missing clamp, a wrong denominator, or "
            "a sign."
        )
    if any(word in text for word in ("sum", "probabilit", "normalis", "normaliz")):
        return (
            "Normalisation breaks when the division is over the wrong axis or set, "
            "or a value is changed after dividing."
        )
    return "Find the step whose output already breaks it."


def _limit_ladder(kind: str, what: str, teach: str, bottom: str) -> HintLadder:
    point = (
        f"Your code ran out of {what}. The cases are small: a correct solution "
        "needs a fraction of the limit, so look for work that grows too fast "
        "with the input size, or a loop that never ends."
    )
    return HintLadder(f"{GENERIC}{kind}", f"Out of {what}", (point, teach, bottom))


def timeout_ladder(
    spec: ExerciseSpec, report: Report, shown: list[CaseResult], seed: int
) -> HintLadder:
    return _limit_ladder(
        "timeout",
        "time",
        "A Python loop over every element is about a hundred times slower than "
        "one NumPy operation on the whole array, and loops nested over pairs "
        "grow with the square of the size. A `while` loop whose condition the "
        "body never changes never ends.",
        "Find each loop: replace the innermost one by a whole-array expression "
        "(broadcasting, `a @ b`, `x.sum(axis=…)`); compute what does not change "
        "once, before the loop; check that every `while` loop moves its "
        "condition towards false.",
    )


def memory_ladder(
    spec: ExerciseSpec, report: Report, shown: list[CaseResult], seed: int
) -> HintLadder:
    return _limit_ladder(
        "memory",
        "memory",
        "Memory runs out when an intermediate array is far larger than the "
        "inputs: a broadcast that builds an (N, N, D) array, an outer product of "
        "long vectors, or a list that grows on every step of a loop without end.",
        "Print the shape of each intermediate array on the worked examples: any "
        "with more values than the inputs and output together needs another "
        "formula (a matrix product instead of a broadcast, a running sum "
        "instead of a list of all terms).",
    )


def visible_ladder(
    spec: ExerciseSpec, report: Report, shown: list[CaseResult], seed: int
) -> HintLadder:
    failing = next((case for case in shown if not case.passed), None)
    wrong = sum(1 for case in report.cases if not case.passed and not case.hidden)
    title = "Wrong on a visible case"
    teach = (
        "Read where the difference lies: every value off by one factor means a "
        "missing or extra constant (a mean for a sum, a normalisation); values "
        "wrong in one row, column or channel mean an axis; only at the borders, "
        "an edge the statement names; a wrong shape, an axis kept or dropped."
    )
    if failing is None:
        point = (
            f"Your output is wrong on {wrong} visible case(s), whose details are "
            "not shown now. Run the worked examples and compare your outputs "
            "with the reference's."
        )
        return HintLadder(f"{GENERIC}visible", title, (point, teach))
    point = (
        f"Your output differs from the expected one on the visible case "
        f"{case_name(failing)}. Start there: run it, and compare."
    )
    teach += "\n\nHere: " + code(failing.message)
    return HintLadder(
        f"{GENERIC}visible", title, clipped((point, teach, _difference(failing)))
    )


def _difference(case: CaseResult) -> str:
    """Level 3 of the visible ladder: where the output differs, in full."""
    want, have = as_float_array(case.expected), as_float_array(case.got)
    head = f"On {case_name(case)}: "
    if want is None or have is None:
        return head + f"expected {brief(case.expected)}; yours is {brief(case.got)}."
    if want.shape != have.shape:
        text = f"the expected output has {shape_text(want)}, yours {shape_text(have)}."
        if want.ndim == 2 and have.shape == want.shape[::-1]:
            text += " Yours is the transpose: check which axis holds what."
        elif want.squeeze().shape == have.squeeze().shape:
            text += " They differ by an axis of length 1: one kept or dropped."
        elif want.size == have.size:
            text += " Same number of values, another arrangement: an axis order."
        return head + text
    if want.ndim == 0:
        return head + f"expected `{fmt(float(want))}`, yours `{fmt(float(have))}`."
    wrong = ~np.isclose(have, want, rtol=1e-5, atol=1e-6, equal_nan=True)
    if not wrong.any():
        return head + f"the values agree; the grader said {code(case.message)}."
    places = np.argwhere(wrong)[:5]
    listed = "; ".join(
        f"at {_index(place)} expected `{fmt(float(want[tuple(place)]))}`, "
        f"yours `{fmt(float(have[tuple(place)]))}`"
        for place in places
    )
    text = f"{int(wrong.sum())} of {want.size} values differ: {listed}."
    return head + text + _pattern(want, have, wrong)


def _index(place: np.ndarray) -> str:
    return "[" + ", ".join(str(int(i)) for i in place) + "]"


def _pattern(want: np.ndarray, have: np.ndarray, wrong: np.ndarray) -> str:
    expected, got = want[wrong], have[wrong]
    finite = np.isfinite(expected) & np.isfinite(got)
    if not finite.all() or expected.size == 0:
        return ""
    if np.allclose(got, -expected, rtol=1e-6, atol=1e-9):
        return " Each wrong value has the opposite sign: a sign or an order of subtraction."
    if np.all(expected != 0):
        ratio = got / expected
        if np.allclose(ratio, ratio[0], rtol=1e-6) and expected.size > 1:
            return f" Each wrong value is {fmt(float(ratio[0]))} times the expected one: a factor."
    shift = got - expected
    if expected.size > 1 and np.allclose(shift, shift[0], rtol=1e-6, atol=1e-9):
        return f" Each wrong value is off by {fmt(float(shift[0]))}: a constant term."
    for axis in range(want.ndim):
        along = np.unique(np.argwhere(wrong)[:, axis])
        if len(along) == 1 and want.shape[axis] > 1:
            return f" All wrong values have index {int(along[0])} on axis {axis}."
    return ""


def hidden_ladder(
    spec: ExerciseSpec, report: Report, shown: list[CaseResult], seed: int
) -> HintLadder:
    hidden = sum(1 for case in report.cases if case.hidden and not case.passed)
    point = (
        f"Your code is right on every visible case but wrong on {hidden} hidden "
        "case(s). Hidden cases are drawn like the visible random ones: the "
        "difference is in the inputs, not in the rules."
    )
    labels = list(
        dict.fromkeys(
            case.label for case in shown if case.label and case.label != "random"
        )
    )[:MAX_LABELS]
    teach = (
        "The visible cases name the situations this exercise checks; your code "
        "must handle each for any input of that kind, not only the example's "
        "values."
    )
    if labels:
        teach += "\n\n" + "\n".join(f"- {plain(label)}" for label in labels)
    bottom = (
        "Code that passes the examples and fails new inputs usually has: a size "
        "or value copied from an example (a literal 2 or 3 where a shape gives "
        "it); a loop bound fixed to one shape; integer arithmetic where floats "
        "are needed; an input array changed in place; ties broken another way "
        "than the statement says; a dependence on the order of a dict or set. "
        "Check each against your code, then try the worked examples with other "
        "sizes."
    ) + promises_said(spec)
    return HintLadder(
        f"{GENERIC}hidden", "Wrong on hidden cases only", (point, teach, bottom)
    )
