"""Exam-level variants for lecture 6.3: the minimum-norm fit of two equations
whose rows are not orthogonal, traced through XXᵀ and its solve; gradient
descent started away from zero, which keeps the start's component outside the
row space; and the bias–variance decomposition of two models' predictions at
one point.

Keys come from `engine.reference.training.min_norm_solution` and torch (matrix
products, `linalg.solve`, a gradient-descent run, mean and population
variance); error is carried forward from the student's own earlier parts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from engine.reference import training
from exercises.variants import Variant, generator
from exercises.variants._common import (
    bounded_draw,
    differs,
    matrix_text,
    parts_follow,
    shaped,
)


def _t(values: Any) -> torch.Tensor:
    return torch.as_tensor(np.asarray(values, dtype=float), dtype=torch.float64)


def _clean(values: Any) -> np.ndarray:
    """Round-off left where the exact value is 0 (an entry of 1e-16 for 0) set
    to 0, so that the explanation never shows it as -4.97e-15."""
    array = np.asarray(values, dtype=float)
    return np.where(np.abs(array) < 1e-12, 0.0, array)


# ------------------------------------------- two equations, rows not orthogonal


def _two_rows(source: np.random.Generator) -> dict[str, Any] | None:
    features = int(source.choice([3, 4]))
    x = source.integers(-2, 3, size=(2, features)).astype(float)
    gram = x @ x.T
    det = gram[0, 0] * gram[1, 1] - gram[0, 1] ** 2
    if gram[0, 1] == 0 or det < 4 or det > 60:
        return None  # orthogonal rows (another question) or awkward numbers
    if np.any(np.count_nonzero(x, axis=1) < 2):
        return None
    y = source.choice([v for v in range(-4, 5) if v], size=2).astype(float)
    w = training.min_norm_solution(x, y)
    alpha = np.linalg.solve(gram, y)
    if np.min(np.abs(alpha)) < 0.05:
        return None  # both rows must contribute to w
    slips = [x.T @ y, (y / np.diag(gram)) @ x]  # no inverse; rows taken as orthogonal
    if not all(differs(slip, w, 0.05) for slip in slips):
        return None
    return {"X": x, "y": y, "w": w, "slips": slips}


def _two_rows_holds(variant: Variant) -> str | None:
    x, y, w = variant.values["X"], variant.values["y"], variant.answer["w"]
    if not np.allclose(x @ w, y, atol=1e-9):
        return "w does not fit the two points"
    if not all(differs(slip, w, 0.05) for slip in variant.values["slip_values"]):
        return "a typical slip gives the right w"
    return None


@generator(
    "exam_min_norm_two_rows",
    guarantees=(
        "two equations in 3 or 4 unknowns, integer entries in −2…2, y non-zero integers",
        "rows not orthogonal, each with two or more non-zero entries; det(XXᵀ) in 4…60; both entries of α at least 0.05 in size (both rows contribute)",
        "XXᵀ and α = (XXᵀ)⁻¹y by torch; w from the engine's min_norm_solution = Xᵀα",
        "Xᵀy and the orthogonal-rows shortcut differ from w by more than 0.05",
        "error carried forward: α from the student's XXᵀ, w from the student's α",
    ),
    holds=_two_rows_holds,
)
def exam_min_norm_two_rows(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    setting = bounded_draw(rng, _two_rows)
    x, y, w = setting["X"], setting["y"], _clean(setting["w"])
    gram = (_t(x) @ _t(x).T).numpy()
    alpha = torch.linalg.solve(_t(gram), _t(y)).numpy()
    assert np.allclose(x.T @ alpha, w, atol=1e-10)
    answer = {"gram": gram, "alpha": alpha, "w": w}

    def solve(earlier: dict[str, Any]) -> Any:
        mine = shaped(earlier["gram"], (2, 2))
        if mine is None or abs(np.linalg.det(mine)) < 1e-9:
            return None
        return torch.linalg.solve(_t(mine), _t(y)).numpy()

    def combine(earlier: dict[str, Any]) -> Any:
        mine = shaped(earlier["alpha"], (2,))
        return None if mine is None else x.T @ mine

    follow = parts_follow({"alpha": ({"gram"}, solve), "w": ({"alpha"}, combine)})
    values = {
        "X": x, "y": y, "gram": gram, "alpha": alpha, "w": w, "p": x.shape[1],
        "det": float(np.linalg.det(gram)),
        "slip_no_inverse": matrix_text(setting["slips"][0]),
        "slip_orthogonal": matrix_text(setting["slips"][1]),
        "slip_values": setting["slips"],
    }  # fmt: skip
    return Variant(values, answer, follow)


# ------------------------------------------------ gradient descent from w0 ≠ 0


def _gd_run(x: np.ndarray, y: float, start: np.ndarray, rate: float) -> np.ndarray:
    """Plain gradient descent on ½(x·w − y)² from `start`, with torch autograd,
    until the steps stop changing w."""
    w = _t(start).clone().requires_grad_(True)
    target = torch.tensor(y, dtype=torch.float64)
    row = _t(x)
    for _ in range(20000):
        loss = 0.5 * (row @ w - target) ** 2
        (grad,) = torch.autograd.grad(loss, w)
        with torch.no_grad():
            w -= rate * grad
        if float(grad.abs().max()) < 1e-13:
            break
    return w.detach().numpy()


def _gd_setting(source: np.random.Generator) -> dict[str, Any] | None:
    x = source.integers(-2, 3, size=3).astype(float)
    if np.count_nonzero(x) < 2:
        return None
    start = source.integers(-2, 3, size=3).astype(float)
    target = float(source.choice([v for v in range(-6, 7) if v]))
    norm2 = float(x @ x)
    # The part of the start orthogonal to x must be there, and visible.
    outside = start - (start @ x) / norm2 * x
    if np.linalg.norm(outside) < 0.5:
        return None
    return {"x": x, "start": start, "y": target, "norm2": norm2}


@generator(
    "exam_gd_nonzero_start",
    guarantees=(
        "one equation x·w = y in 3 unknowns, integer x with two or more non-zero entries; an integer start w0 whose part orthogonal to x has norm ≥ 0.5",
        "the limit = w0 + the engine's min_norm_solution of x·d = y − x·w0, checked against a torch gradient-descent run from w0 (η‖x‖² < 1)",
        "w* from the engine's min_norm_solution; the distance ‖w∞ − w*‖ > 0.5",
        "error carried forward: the distance from the student's limit",
    ),
    holds=lambda v: None if v.answer["gap"] > 0.5 else "the start is in the row space",
)
def exam_gd_nonzero_start(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    setting = bounded_draw(rng, _gd_setting)
    x, start, y = setting["x"], setting["start"], setting["y"]
    row = x[None, :]
    least = _clean(training.min_norm_solution(row, [y]))
    limit = _clean(start + training.min_norm_solution(row, [y - float(x @ start)]))
    rate = 0.5 / setting["norm2"]
    assert np.allclose(_gd_run(x, y, start, rate), limit, atol=1e-8)
    answer = {"limit": limit, "gap": float(np.linalg.norm(limit - least))}

    def gap(earlier: dict[str, Any]) -> Any:
        mine = shaped(earlier["limit"], (3,))
        return None if mine is None else float(np.linalg.norm(mine - least))

    follow = parts_follow({"gap": ({"limit"}, gap)})
    values = {
        **setting,
        "least": least,
        "start_dot": float(x @ start),
        "t": (y - float(x @ start)) / setting["norm2"],
        "rate": rate,
        "limit_values": limit,
        **answer,
    }
    return Variant(values, answer, follow)


# ------------------------------------------------------ bias and variance at x0


# Model B's mean prediction lies within 0.2 of the truth: "close to the target on
# average", next to model A's bias of 0.4 or more.
B_BIAS2_MAX = 0.04
# ... and is either exactly on it or at least 0.075 away (bias² ≥ 0.005625), so
# that answering "0" for B's bias² is not within the part's tolerance of 0.002.
B_BIAS2_MIN = 0.004


def _predictions(source: np.random.Generator) -> dict[str, Any] | None:
    truth = float(source.choice([1.0, 1.5, 2.0, 2.5, 3.0]))
    noise = float(source.choice([0.04, 0.09, 0.16, 0.25]))
    # A: stiff and off target; B: flexible, centred near the truth but spread.
    offset = float(source.choice([-0.8, -0.6, -0.5, 0.5, 0.6, 0.8]))
    simple = truth + offset + source.integers(-1, 2, size=4) / 10
    flexible = truth + source.integers(-12, 13, size=4) / 10
    stats = {}
    for name, values in (("a", simple), ("b", flexible)):
        p = _t(values)
        # Rounded to 12 decimals: the exact values are short decimals, and a
        # round-off such as 1e-32 for a zero bias² must not reach the page.
        stats[f"bias2_{name}"] = round(float((p.mean() - truth) ** 2), 12)
        stats[f"var_{name}"] = round(float(p.var(unbiased=False)), 12)
    totals = [stats["bias2_a"] + stats["var_a"], stats["bias2_b"] + stats["var_b"]]
    # No close call: the better model must be clear (a margin of 1e-9, so that
    # adding σ² to both totals cannot round the gap below 0.08).
    if abs(totals[0] - totals[1]) < 0.08 + 1e-9:
        return None
    if stats["var_b"] < 0.1 or stats["bias2_a"] < 0.1:
        return None  # the trade-off must show: A biased, B spread
    if stats["bias2_b"] > B_BIAS2_MAX:
        return None  # B is close to the target on average, as the explanation says
    if 0 < stats["bias2_b"] < B_BIAS2_MIN:
        return None  # a bias² that answering 0 would match within the tolerance
    # A is not constant, and dividing by n − 1 instead of n must visibly change B's
    # variance (by a third of it).
    if stats["var_a"] == 0 or stats["var_b"] / 3 < 0.01:
        return None
    return {
        "truth": truth,
        "noise": noise,
        "simple": simple,
        "flexible": flexible,
        **stats,
        "better": "A" if totals[0] < totals[1] else "B",
        "total_a": totals[0] + noise,
        "total_b": totals[1] + noise,
    }


def _bias_variance_holds(variant: Variant) -> str | None:
    values = variant.values
    gap = abs(values["total_a"] - values["total_b"])
    if gap < 0.08:
        return f"the two expected errors are only {gap:.3f} apart"
    if values["bias2_a"] < 0.1 or values["var_b"] < 0.1:
        return "the trade-off does not show (A unbiased or B without spread)"
    if values["bias2_b"] > B_BIAS2_MAX or 0 < values["bias2_b"] < B_BIAS2_MIN:
        return "model B's bias² is too large, or nonzero but within tolerance of 0"
    return None


@generator(
    "exam_bias_variance",
    guarantees=(
        "a true value f(x0) and noise variance σ²; four predictions at x0 from each of two models trained on four training sets (multiples of 0.1)",
        "model A is off target by 0.5–0.8 with a small spread; model B is centred near the truth (bias² 0, or 0.0056–0.04) with a spread; bias² of A and variance of B are at least 0.1",
        "bias² and population variance (divide by 4) from torch; the two expected errors differ by at least 0.08; dividing B's by 3 instead changes it by ≥ 0.01",
        "error carried forward: the better model from the student's four numbers",
    ),
    holds=_bias_variance_holds,
)
def exam_bias_variance(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    setting = bounded_draw(rng, _predictions)
    answer = {
        "bias2_a": setting["bias2_a"],
        "var_a": setting["var_a"],
        "bias2_b": setting["bias2_b"],
        "var_b": setting["var_b"],
        "better": [setting["better"]],
    }

    def better(earlier: dict[str, Any]) -> Any:
        a = float(earlier["bias2_a"]) + float(earlier["var_a"])
        b = float(earlier["bias2_b"]) + float(earlier["var_b"])
        return None if a == b else ["A" if a < b else "B"]

    follow = parts_follow(
        {"better": ({"bias2_a", "var_a", "bias2_b", "var_b"}, better)}
    )
    values = {
        **setting,
        "mean_a": float(np.mean(setting["simple"])),
        "mean_b": float(np.mean(setting["flexible"])),
    }
    return Variant(values, answer, follow)
