"""The generic ladder for code that raised: the exception's usual cause,
then the shapes the statement promises on a visible case."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from engine.compare import as_float_array, shape_text
from engine.hints.words import (
    HintLadder,
    case_name,
    clipped,
    code,
    plain,
    promises_said,
)
from engine.report import CaseResult, Report
from engine.specs.base import Case, ExerciseSpec

# "raised ValueError: …", "raised numpy.linalg.LinAlgError: …": a class name.
_EXCEPTION = re.compile(r"raised ((?:[A-Za-z_]\w{0,39}\.){0,3}[A-Z]\w{0,59})\b")
_SHAPE_WORDS = ("shape", "broadcast", "aligned", "dimension", "mat1", "size of")


def exception_ladder(
    spec: ExerciseSpec, report: Report, shown: list[CaseResult], seed: int
) -> HintLadder:
    failing = next((c for c in shown if c.message.startswith("raised ")), None)
    name = _exception_name(failing.message) if failing else None
    if failing is not None:
        where = f"Your code raised `{name or 'an exception'}` on the visible case "
        point = where + case_name(failing) + ". "
    elif report.cases:
        point = "Your code raised an exception on a case whose details are not shown. "
    else:
        point = "Your code stopped with an error before it returned. "
    point += (
        "The last lines of the traceback name the line of your code that failed: "
        "start there, and run the worked examples to see it happen."
    )
    text = (failing.message if failing else report.message) or ""
    teach = _teaching(name or "", text) + promises_said(spec)
    return HintLadder(
        "generic:exception",
        "Your code raised an exception",
        clipped((point, teach, _expected_shapes(spec, report, shown, failing, seed))),
    )


def _exception_name(message: str) -> str | None:
    match = _EXCEPTION.match(message)
    return match.group(1) if match else None


_TEACHING = {
    "IndexError": (
        "An index is past the end of an axis, or there are more indices than "
        "axes: the array has another shape than the one your code assumes."
    ),
    "TypeError": (
        "A value is of another kind than your code assumes: a list where an "
        "array is needed (`np.asarray` makes one), None from a function that "
        "does not return, or a call with the arguments in the wrong order."
    ),
    "ZeroDivisionError": (
        "A denominator is zero for some input. Which input makes it zero? The "
        "statement says what the answer is then (look for the edge cases)."
    ),
    "KeyError": (
        "A dictionary lookup used a key that is not there: check where the keys "
        "come from and whether every input key is in the dictionary."
    ),
    "NameError": (
        "A name is used before it is defined, or misspelt: every helper and "
        "import must be inside your submission."
    ),
    "AttributeError": (
        "An attribute or method does not exist on that value: a list has no "
        "`.shape`, a NumPy array no `.size()` call."
    ),
    "RecursionError": (
        "A function keeps calling itself: check that every recursive call moves "
        "towards a case that returns without recursing."
    ),
}


def _teaching(name: str, message: str) -> str:
    short = name.rsplit(".", 1)[-1]
    if any(word in message.lower() for word in _SHAPE_WORDS):
        return (
            "This is a shape error, the most common one here: an input with one "
            "axis more or fewer than you assumed (one sample (D,) against a batch "
            "(N, D)), a weight used transposed, or an axis summed away too early. "
            "Print `x.shape` of each array you build while running the worked "
            "examples, and compare with what the statement promises."
        )
    return _TEACHING.get(short) or (
        "An exception means a line asked for something impossible with these "
        "inputs. Print the type and shape of the values on that line while "
        "running the worked examples, and compare with what the statement says "
        "the inputs are."
    )


def _expected_shapes(
    spec: ExerciseSpec,
    report: Report,
    shown: list[CaseResult],
    failing: CaseResult | None,
    seed: int,
) -> str:
    """Level 3 of the exception ladder: the inputs' shapes on a visible case
    and the output shape the statement promises for them."""
    case = failing or (shown[0] if shown else None)
    if case is None:
        return (
            "This report shows no visible case in full. Run the worked examples, print "
            "the shape of every argument and of what you return, and compare "
            "with the statement." + promises_said(spec)
        )
    kwargs = _case_inputs(spec, case.name, seed)
    lines = [f"On the visible case {case_name(case)}:"]
    if kwargs is not None:
        lines += [
            f"- {code(arg, 80)} is {_kind(value)}" for arg, value in kwargs.items()
        ]
    promised = _promised(spec, kwargs) if kwargs is not None else None
    if promised is not None:
        says, shape = promised
        lines.append(f"- the statement promises {plain(says)}: here {shape}")
    else:
        expected = as_float_array(case.expected)
        if expected is not None:
            lines.append(f"- the result must have {shape_text(expected)}")
    lines.append(
        "\nMake every intermediate array agree with these shapes; print them "
        "line by line until one does not."
    )
    return "\n".join(lines)


def _case_inputs(spec: ExerciseSpec, name: str, seed: int) -> dict[str, Any] | None:
    try:
        cases: Sequence[Case] = spec.cases(seed)
    except Exception:  # noqa: BLE001 - a case generator that fails gives no shapes
        return None
    found = next((c for c in cases if c.name == name and not c.hidden), None)
    return dict(found.kwargs) if found is not None else None


def _kind(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return f"{type(value).__name__}"
    if isinstance(value, (int, float, np.generic)):
        return "a number"
    array = as_float_array(value)
    if array is not None:
        kind = "an array" if isinstance(value, np.ndarray) else "a list"
        return f"{kind} of shape {tuple(array.shape)}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
    return f"a {type(value).__name__}"


def _promised(spec: ExerciseSpec, kwargs: dict[str, Any]) -> tuple[str, str] | None:
    for promise in spec.shapes:
        try:
            if promise.applies(kwargs):
                shape = promise.shape(kwargs)
                return promise.says, _shape_words(shape)
        except Exception:  # noqa: BLE001, S112 - a promise that cannot be read says nothing
            continue
    return None


def _shape_words(shape: tuple[Any, ...]) -> str:
    if shape and all(isinstance(part, tuple) for part in shape):
        parts = " and ".join(f"`{tuple(int(n) for n in part)}`" for part in shape)
        return f"shapes {parts}, one per returned value"
    return f"shape `{tuple(int(n) for n in shape)}`"
