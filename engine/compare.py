"""Comparators: judge a student's output against the reference's, in the trusted
process, with a message a student can act on.

Every comparator takes (expected, got) and returns an `Outcome`. The student's
value arrives as data (numbers, lists, NumPy arrays) decoded from the sandbox,
and is cast to float64 before any arithmetic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Outcome:
    passed: bool
    score: float
    message: str
    max_abs_error: float | None = None


Comparator = Callable[[Any, Any], Outcome]


def describe(value: Any) -> str:
    """A short description of a value's kind, for type and shape messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {tuple(value.shape)} and dtype {value.dtype}"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    if value is None:
        return "None"
    return f"a value of type {type(value).__name__}"


def as_float_array(value: Any) -> np.ndarray | None:
    """The value as a float64 array, or None when it is not numeric data."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, dict)):
        return None
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        return None  # ragged nested lists
    if array.dtype.kind not in "biuf":
        return None
    return array.astype(np.float64)


def fmt(number: float) -> str:
    return f"{number:.6g}"


def allclose(
    *, rtol: float = 1e-5, atol: float = 1e-6, shape_matters: bool = True
) -> Comparator:
    """Element-wise comparison with |got − expected| ≤ atol + rtol·|expected|.

    Scalars and 0-d arrays are interchangeable, as are lists and arrays; a
    different shape, a NaN or an infinity that the reference does not have is
    reported as such before any error is measured.
    """

    def compare(expected: Any, got: Any) -> Outcome:
        want = as_float_array(expected)
        assert want is not None, "reference outputs must be numeric"
        have = as_float_array(got)
        if have is None:
            return Outcome(False, 0.0, f"expected numbers, got {describe(got)}")
        if want.ndim == 0 and have.size == 1:
            have = have.reshape(())
        if have.shape != want.shape:
            if shape_matters or have.size != want.size:
                return Outcome(
                    False,
                    0.0,
                    f"wrong shape: expected {shape_text(want)}, got {shape_text(have)}",
                )
            have = have.reshape(want.shape)
        bad = ~np.isfinite(have) & np.isfinite(want)
        if bad.any():
            where = _position(np.argwhere(bad)[0])
            value = have[tuple(np.argwhere(bad)[0])] if have.ndim else have
            return Outcome(
                False,
                0.0,
                f"your output holds {float(value)}{' ' + where if where else ''}; "
                "expected a finite number",
            )
        return _measure(want, have, rtol, atol)

    return compare


def shape_text(array: np.ndarray) -> str:
    return "a single number" if array.ndim == 0 else f"shape {tuple(array.shape)}"


def _position(index: np.ndarray) -> str:
    if len(index) == 0:
        return ""
    return "at index [" + ", ".join(str(int(i)) for i in index) + "]"


def _measure(want: np.ndarray, have: np.ndarray, rtol: float, atol: float) -> Outcome:
    both_nan = np.isnan(want) & np.isnan(have)
    error = np.where(both_nan, 0.0, np.abs(have - want))
    error = np.nan_to_num(error, nan=np.inf, posinf=np.inf)
    allowed = atol + rtol * np.abs(np.nan_to_num(want))
    ok = error <= allowed
    max_error = float(error.max()) if error.size else 0.0
    if ok.all():
        return Outcome(True, 1.0, "correct", max_error)
    if want.ndim == 0:
        return Outcome(
            False,
            0.0,
            f"expected {fmt(float(want))}, got {fmt(float(have))} "
            f"(error {fmt(max_error)}, tolerance {fmt(float(allowed))})",
            max_error,
        )
    worst = np.unravel_index(int(np.argmax(np.where(ok, -1.0, error))), want.shape)
    wrong = int((~ok).sum())
    return Outcome(
        False,
        0.0,
        f"{wrong} of {want.size} values are wrong; the worst is {_position(np.array(worst))}: "
        f"expected {fmt(float(want[worst]))}, got {fmt(float(have[worst]))} "
        f"(error {fmt(float(error[worst]))})",
        max_error,
    )


def equal() -> Comparator:
    """Exact equality of labels, integers or strings (and lists of them)."""

    def compare(expected: Any, got: Any) -> Outcome:
        if _plain(got) == _plain(expected):
            return Outcome(True, 1.0, "correct")
        return Outcome(False, 0.0, f"expected {_show(expected)}, got {_show(got)}")

    return compare


def fields(*parts: tuple[str, Comparator], independent: bool = False) -> Comparator:
    """A fixed-length tuple of outputs, each judged by its own comparator.

    The message names the wrong parts, e.g. "h: 3 of 8 values are wrong …".
    A case earns partial credit (the share of parts that are right) only when
    the spec declares its parts `independent` and its statement says so:
    where one part is computed from another (an LSTM's h from its C) a right
    part beside a wrong one is no half-right answer.
    """

    def compare(expected: Any, got: Any) -> Outcome:
        if not isinstance(got, (list, tuple)) or len(got) != len(parts):
            names = ", ".join(name for name, _ in parts)
            return Outcome(
                False, 0.0, f"expected a tuple ({names}), got {describe(got)}"
            )
        outcomes = [
            (name, judge(want, have))
            for (name, judge), want, have in zip(parts, expected, got, strict=True)
        ]
        right = sum(outcome.passed for _, outcome in outcomes)
        errors = [o.max_abs_error for _, o in outcomes if o.max_abs_error is not None]
        if right == len(parts):
            return Outcome(True, 1.0, "correct", max(errors) if errors else None)
        message = "; ".join(
            f"{name}: {o.message}" for name, o in outcomes if not o.passed
        )
        credit = right / len(parts) if independent else 0.0
        return Outcome(False, credit, message, max(errors) if errors else None)

    return compare


def ordered_indices() -> Comparator:
    """A list of integer indices where order matters (e.g. NMS survivors).

    The right indices in the wrong order earn half credit and say so.
    """

    def compare(expected: Any, got: Any) -> Outcome:
        want = [int(i) for i in expected]
        have = _int_list(got)
        if have is None:
            return Outcome(
                False, 0.0, f"expected a list of indices, got {describe(got)}"
            )
        if have == want:
            return Outcome(True, 1.0, "correct")
        if sorted(have) == sorted(want):
            return Outcome(
                False,
                0.5,
                f"the right indices in the wrong order: expected {want}, got {have}",
            )
        missing = [i for i in want if i not in have]
        extra = [i for i in have if i not in want]
        details = []
        if missing:
            details.append(f"missing {missing}")
        if extra:
            details.append(f"unexpected {extra}")
        return Outcome(
            False, 0.0, f"expected {want}, got {have} ({', '.join(details)})"
        )

    return compare


def unordered_indices() -> Comparator:
    """A list of integer indices where order does not matter (e.g. the top k
    images of a unit): compared as sets, and the message says what differs."""

    def compare(expected: Any, got: Any) -> Outcome:
        want = sorted(int(i) for i in expected)
        have = _int_list(got)
        if have is None:
            return Outcome(
                False, 0.0, f"expected a list of indices, got {describe(got)}"
            )
        if sorted(have) == want:
            return Outcome(True, 1.0, "correct")
        missing = sorted(set(want) - set(have))
        extra = sorted(set(have) - set(want))
        details = [f"missing {missing}"] if missing else []
        details += [f"unexpected {extra}"] if extra else []
        if len(have) != len(want):
            details.append(f"{len(have)} indices instead of {len(want)}")
        return Outcome(
            False,
            0.0,
            f"expected {want} in any order, got {sorted(have)} ({', '.join(details)})",
        )

    return compare


def multiset() -> Comparator:
    """A collection compared without regard to order, counting repeats
    (e.g. skip-gram (target, context) pairs). Credit is the Jaccard overlap."""

    def compare(expected: Any, got: Any) -> Outcome:
        if isinstance(got, np.ndarray) and got.ndim >= 1:
            got = got.tolist()
        if not isinstance(got, (list, tuple)):
            return Outcome(False, 0.0, f"expected a list, got {describe(got)}")
        want = Counter(_hashable(item) for item in expected)
        try:
            have = Counter(_hashable(item) for item in got)
        except TypeError:
            return Outcome(False, 0.0, "the list holds values that cannot be compared")
        if have == want:
            return Outcome(True, 1.0, "correct")
        missing, extra = want - have, have - want
        overlap = sum((want & have).values()) / max(1, sum((want | have).values()))
        parts = []
        if missing:
            parts.append(
                f"{sum(missing.values())} missing, e.g. {_show(next(iter(missing)))}"
            )
        if extra:
            parts.append(
                f"{sum(extra.values())} unexpected, e.g. {_show(next(iter(extra)))}"
            )
        return Outcome(
            False,
            round(overlap, 6) if overlap < 1 else 0.0,
            f"expected {sum(want.values())} items, got {sum(have.values())}: "
            + "; ".join(parts),
        )

    return compare


def _int_list(value: Any) -> list[int] | None:
    array = as_float_array(value)
    if array is None or array.ndim > 1:
        return None
    if array.ndim == 0:
        array = array.reshape(1)
    if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
        return None
    return [int(v) for v in array]


def _hashable(item: Any) -> Any:
    if isinstance(item, (list, tuple)):
        return tuple(_hashable(part) for part in item)
    if isinstance(item, np.ndarray):
        return tuple(_hashable(part) for part in item.tolist())
    if isinstance(item, float) and item.is_integer():
        return int(item)
    return item


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _show(value: Any, limit: int = 120) -> str:
    text = repr(_plain(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"
