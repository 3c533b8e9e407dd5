"""Plain JSON values as the own-input form reads them: their shape as an
array, how deeply texts are nested, how many numbers and texts they hold,
and what they are in words for an error message."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

MAX_DEPTH = 6  # nesting of lists
MAX_ELEMENTS = 10_000  # numbers and texts in all the arguments together


class InputError(ValueError):
    """Own input that cannot be run; the message says what to change."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def measure(value: Any, depth: int = 0) -> tuple[int, bool]:
    """(numbers and texts held, all numbers finite); arrays count by size."""
    if depth > MAX_DEPTH:
        raise InputError(f"Your input is nested more than {MAX_DEPTH} lists deep.")
    if isinstance(value, np.ndarray):
        finite = value.dtype.kind not in "fc" or bool(np.isfinite(value).all())
        return int(value.size), finite
    if isinstance(value, (list, tuple)):
        count, finite = 0, True
        for item in value:
            inner, ok = measure(item, depth + 1)
            count, finite = count + inner, finite and ok
            if count > MAX_ELEMENTS:
                break  # the caller refuses it; no need to walk the rest
        return count, finite
    if isinstance(value, dict):
        return measure(list(value.values()), depth + 1)
    if isinstance(value, float):
        return 1, math.isfinite(value)
    return 1, True


def rectangular(value: Any, depth: int) -> tuple[int, ...] | None:
    """The shape of nested lists of numbers (not booleans), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return ()
    if not isinstance(value, (list, tuple)) or depth > MAX_DEPTH:
        return None
    shapes = {rectangular(item, depth + 1) for item in value}
    if len(shapes) > 1:
        return None
    inner = next(iter(shapes), ())
    if inner is None:
        return None
    return (len(value), *inner)


def int_typed(value: Any) -> bool:
    """Whether an example's numbers are all ints (not floats that are whole)."""
    if isinstance(value, (list, tuple)):
        return all(int_typed(item) for item in value)
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def all_whole(value: Any) -> bool:
    """Whether typed numbers are all whole (2 and 2.0 are)."""
    if isinstance(value, (list, tuple)):
        return all(all_whole(item) for item in value)
    return isinstance(value, (int, np.integer)) or (
        isinstance(value, float) and value.is_integer()
    )


def text_depth(value: Any) -> int:
    """1 for a list of texts, 2 for a list of lists of texts (some of them
    maybe empty), else 0."""
    for depth in (1, 2, 3):
        if fits_texts(value, depth) and has_text(value):
            return depth
    return 0


def fits_texts(value: Any, depth: int) -> bool:
    """Whether `value` is texts nested `depth` lists deep (empty lists fit)."""
    if depth == 0:
        return isinstance(value, str)
    return isinstance(value, (list, tuple)) and all(
        fits_texts(item, depth - 1) for item in value
    )


def has_text(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, (list, tuple)) and any(has_text(item) for item in value)


def what(value: Any) -> str:
    """What the student typed, in words."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    shape = rectangular(value, 0)
    if shape:
        return f"a {len(shape)}-D array of shape {shape}"
    if text_depth(value):
        return "a list of texts"
    return f"a list of {len(value)} mixed items"


def plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value
