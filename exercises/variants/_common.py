"""Helpers the variant generators of several modules share: arrays as a student
types them, gaps between an answer and its typical slips, typical wrong answers
and error carried forward, and the number grids and small functions of the
recurrent cells (lecture 7.7–7.9). It registers no generator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from exercises.variants import Variant

NEAR = 0.02  # the smallest gap between values a question asks to tell apart
MAX_TRIES = 2000  # draws per seed before a generator falls back
FALLBACK_SEED = 0  # a seed whose first draws pass (tested for each user of it)

T = TypeVar("T")


def bounded_draw(
    rng: np.random.Generator, draw: Callable[[np.random.Generator], T | None]
) -> T:
    """Rejection sampling with a bounded number of tries: `draw` returns None
    for a draw it rejects. After MAX_TRIES rejections the draws start again
    from FALLBACK_SEED, so the work is bounded and the variant is still the
    same for the same seed."""
    for source in (rng, np.random.default_rng(FALLBACK_SEED)):
        for _ in range(MAX_TRIES):
            sample = draw(source)
            if sample is not None:
                return sample
    raise RuntimeError("no acceptable draw from the fallback seed")


# ------------------------------------------------------- arrays and their gaps


def matrix_text(values: Any) -> str:
    """An array as a student types it: entries by spaces, rows by `;`."""
    array = np.atleast_1d(np.asarray(values, dtype=float))
    rows = array if array.ndim == 2 else array[None, :]
    return "; ".join(" ".join(f"{v:.6g}" for v in row) for row in rows)


def differs(a: Any, b: Any, gap: float = NEAR) -> bool:
    """Whether two arrays of the same shape differ somewhere by more than `gap`."""
    return bool(np.max(np.abs(np.asarray(a, float) - np.asarray(b, float))) > gap)


def far_from_slips(answer: float, slips: list[Any], gap: float) -> bool:
    """Whether every typical slip misses the answer by more than `gap`."""
    return all(abs(answer - float(slip)) > gap for slip in slips)


# ---------------------------------------- wrong answers, error carried forward


def shaped(value: Any, shape: tuple[int, ...]) -> np.ndarray | None:
    """A student's matrix reading in the expected shape, or None."""
    array = np.asarray(value, dtype=float)
    return array.reshape(shape) if array.size == int(np.prod(shape)) else None


def wrongs_differ(variant: Variant) -> str | None:
    """Every typical wrong answer the question lists differs from the answer
    (the question's own tolerance is checked by validate_course)."""
    want = np.asarray(variant.answer, dtype=float)
    for wrong in variant.values.get("wrong_values", []):
        got = np.asarray(wrong, dtype=float)
        if got.shape == want.shape and np.allclose(got, want, rtol=1e-6, atol=1e-9):
            return f"a typical wrong answer equals the right one: {wrong}"
    return None


def parts_follow(rules: dict[str, tuple[set[str], Any]]) -> Any:
    """follow() from {part: (earlier parts needed, function of them)}."""

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        if part in rules and rules[part][0] <= earlier.keys():
            return rules[part][1](earlier)
        return None

    return follow


def count_holds_exact(variant: Variant) -> str | None:
    wrongs = [
        value for key, value in variant.values.items() if key.startswith("wrong_")
    ]
    if variant.answer in wrongs:
        return "a typical wrong count equals the right one"
    return None


# ---------------------------------------------------- recurrent cells, 7.7–7.9

WEIGHTS = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
QUARTERS = np.arange(-1.0, 1.25, 0.25)  # −1, −0.75, …, 1
INPUTS = np.array([-1.0, -0.5, 0.5, 1.0])


def sigmoid(values: np.ndarray) -> np.ndarray:
    """σ, also for a student's huge earlier answer fed to `follow` (no
    overflow: the clip changes nothing a float can show)."""
    return 1.0 / (1.0 + np.exp(-np.clip(values, -700.0, 700.0)))


def logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def vector(value: Any) -> np.ndarray:
    return np.asarray(value, dtype=float).reshape(-1)


def scalar(value: Any) -> float:
    return float(np.asarray(value, dtype=float).reshape(-1)[0])
