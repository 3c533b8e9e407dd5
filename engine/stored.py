"""An instructor's own exercise as an `ExerciseSpec`: its cases and the
reference's outputs were computed once, in the sandbox, when the exercise was
validated, and stored as JSON; grading compares a student's outputs with them
exactly as it does for the engine's own specs (same judging, same report).

Stored JSON keeps what the sandbox's wire format keeps: numbers, strings,
booleans, None, lists, tuples, dictionaries with string keys and NumPy arrays
(with their dtype and shape). A stored case is

    {"name": "case 3", "label": "edge: empty", "hidden": false,
     "inputs": [["x", ...], ["axis", ...]], "expected": ...}

with the inputs as (argument, value) pairs, because a database's JSON column
(PostgreSQL's jsonb) does not keep the order of an object's keys, and the
arguments are passed by position.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from engine.compare import (
    Comparator,
    Outcome,
    allclose,
    as_float_array,
    describe,
    equal,
)
from engine.sandbox.types import Limits
from engine.specs.base import Case, ExerciseSpec

MAX_DEPTH = 32
MAX_INT = 2**63
DEFAULT_TOLERANCE = {"abs": 1e-6, "rel": 1e-5}
_ARRAY, _TUPLE, _FLOAT = "__array__", "__tuple__", "__float__"


class StoredDataError(ValueError):
    """A value that cannot be stored as plain JSON data (or read back)."""


def to_stored(value: Any, depth: int = 0) -> Any:
    """`value` as JSON-safe data that `from_stored` turns back into an equal value."""
    if depth > MAX_DEPTH:
        raise StoredDataError("the value is nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        if abs(value) >= MAX_INT:
            raise StoredDataError(f"the integer {value} does not fit in 64 bits")
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {_FLOAT: repr(value)}
    if isinstance(value, np.generic):
        return to_stored(value.item(), depth + 1)
    if isinstance(value, np.ndarray):
        return _array_to_stored(value)
    if isinstance(value, tuple):
        return {_TUPLE: [to_stored(item, depth + 1) for item in value]}
    if isinstance(value, list):
        return [to_stored(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {_key(key): to_stored(item, depth + 1) for key, item in value.items()}
    raise StoredDataError(f"a value of type {type(value).__name__} cannot be stored")


def _key(key: Any) -> str:
    if not isinstance(key, str) or key.startswith("__"):
        raise StoredDataError("dictionary keys must be strings not starting with __")
    return key


def _array_to_stored(array: np.ndarray) -> dict[str, Any]:
    if array.dtype.kind not in "biuf":
        raise StoredDataError(f"an array of dtype {array.dtype} cannot be stored")
    flat = [
        item if not isinstance(item, float) or math.isfinite(item) else repr(item)
        for item in array.reshape(-1).tolist()
    ]
    return {_ARRAY: flat, "dtype": array.dtype.name, "shape": list(array.shape)}


def from_stored(data: Any, depth: int = 0) -> Any:
    """The value that `to_stored` stored."""
    if depth > MAX_DEPTH:
        raise StoredDataError("the stored value is nested too deeply")
    if isinstance(data, list):
        return [from_stored(item, depth + 1) for item in data]
    if not isinstance(data, dict):
        return data
    if _ARRAY in data:
        return _array_from_stored(data)
    if _TUPLE in data:
        return tuple(from_stored(item, depth + 1) for item in data[_TUPLE])
    if _FLOAT in data:
        if data[_FLOAT] not in ("nan", "inf", "-inf"):
            raise StoredDataError("a malformed non-finite number")
        return float(data[_FLOAT])
    return {key: from_stored(item, depth + 1) for key, item in data.items()}


def _array_from_stored(data: dict[str, Any]) -> np.ndarray:
    dtype = np.dtype(str(data.get("dtype", "")))
    if dtype.kind not in "biuf":
        raise StoredDataError(f"a stored array of dtype {dtype}")
    flat = [float(item) if isinstance(item, str) else item for item in data[_ARRAY]]
    return np.array(flat, dtype=dtype).reshape([int(n) for n in data["shape"]])


# ------------------------------------------------------------------ comparing


def tolerances(tolerance: Mapping[str, Any] | None) -> tuple[float, float]:
    """(abs, rel) from an exercise's {"abs": …, "rel": …}, with the defaults."""
    given = {**DEFAULT_TOLERANCE, **(tolerance or {})}
    return float(given["abs"]), float(given["rel"])


def structured(*, atol: float, rtol: float) -> Comparator:
    """Compare whatever the reference returned: numbers, arrays and numeric
    lists with allclose; strings, booleans and None exactly; tuples, lists of
    other things and dictionaries part by part (credit: the share of parts
    right), the message naming each wrong part."""
    numbers = allclose(rtol=rtol, atol=atol)
    exact = equal()

    def compare(expected: Any, got: Any) -> Outcome:
        if isinstance(expected, dict):
            return _keyed(expected, got, compare)
        if isinstance(expected, tuple) or (
            isinstance(expected, list) and as_float_array(expected) is None
        ):
            return _positional(expected, got, compare)
        if isinstance(expected, bool) or as_float_array(expected) is None:
            return exact(expected, got)
        return numbers(expected, got)

    return compare


def _positional(expected: Sequence[Any], got: Any, compare: Comparator) -> Outcome:
    if isinstance(got, np.ndarray) and got.ndim >= 1:
        got = list(got)
    if not isinstance(got, (list, tuple)) or len(got) != len(expected):
        kind = "tuple" if isinstance(expected, tuple) else "list"
        return Outcome(
            False,
            0.0,
            f"expected a {kind} of {len(expected)} values, got {describe(got)}",
        )
    names = [
        f"output {i + 1}" if isinstance(expected, tuple) else f"[{i}]"
        for i in range(len(expected))
    ]
    return _combine(names, expected, got, compare)


def _keyed(expected: dict[str, Any], got: Any, compare: Comparator) -> Outcome:
    if not isinstance(got, dict) or set(got) != set(expected):
        keys = ", ".join(sorted(expected))
        return Outcome(
            False, 0.0, f"expected a dictionary with keys {keys}, got {describe(got)}"
        )
    names = sorted(expected)
    return _combine(
        [repr(name) for name in names],
        [expected[name] for name in names],
        [got[name] for name in names],
        compare,
    )


def _combine(
    names: Sequence[str],
    expected: Sequence[Any],
    got: Sequence[Any],
    compare: Comparator,
) -> Outcome:
    outcomes = [compare(want, have) for want, have in zip(expected, got, strict=True)]
    errors = [o.max_abs_error for o in outcomes if o.max_abs_error is not None]
    worst = max(errors) if errors else None
    right = sum(outcome.passed for outcome in outcomes)
    if right == len(outcomes):
        return Outcome(True, 1.0, "correct", worst)
    message = "; ".join(
        f"{name}: {outcome.message}"
        for name, outcome in zip(names, outcomes, strict=True)
        if not outcome.passed
    )
    return Outcome(False, round(right / len(outcomes), 6), message, worst)


# ------------------------------------------------------------------ the spec


def stored_case(case: Mapping[str, Any]) -> Case:
    return Case(
        name=str(case["name"]),
        kwargs={str(name): from_stored(value) for name, value in case["inputs"]},
        label=str(case.get("label", "")),
        hidden=bool(case.get("hidden", False)),
    )


def signature(entry_point: str, arguments: Sequence[str]) -> str:
    return f"{entry_point}({', '.join(arguments)})"


def _precomputed(**kwargs: Any) -> Any:
    raise RuntimeError(
        "an instructor's own exercise has no reference in the trusted process: "
        "its expected outputs were computed in the sandbox"
    )


def stored_spec(
    *,
    exercise_id: str,
    title: str,
    entry_point: str,
    cases: Sequence[Mapping[str, Any]],
    tolerance: Mapping[str, Any] | None = None,
    limits: Limits | None = None,
) -> ExerciseSpec:
    """The spec that grades against stored cases and expected outputs. It has
    no named mistakes and no properties; every seed gives the same cases."""
    built = tuple(stored_case(case) for case in cases)
    expected = tuple(from_stored(case["expected"]) for case in cases)
    atol, rtol = tolerances(tolerance)

    def make_cases(seed: int) -> Sequence[Case]:
        return built

    return ExerciseSpec(
        id=exercise_id,
        title=title,
        topic="",
        entry_point=entry_point,
        signature=signature(entry_point, list(built[0].kwargs) if built else []),
        statement="",
        reference=_precomputed,
        make_cases=make_cases,
        compare=structured(atol=atol, rtol=rtol),
        limits=limits or Limits(),
        expected=expected,
    )
