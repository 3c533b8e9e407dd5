"""Variants for lecture 6.2–6.3: binary cross-entropy by hand and from a logit;
the least-squares problems of double descent — the minimum-norm solution, its
norm and a prediction (error carried forward), a gradient-descent step from zero."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from engine.reference import training
from exercises.variants import Variant, generator
from exercises.variants._common import matrix_text, parts_follow, shaped, wrongs_differ

# ------------------------------------------------------ 6.2 binary cross-entropy

PROBABILITIES = (0.1, 0.2, 0.25, 0.3, 0.4, 0.6, 0.7, 0.75, 0.8, 0.9)


def _bce_holds(variant: Variant) -> str | None:
    if not 0 < variant.answer < 10:
        return f"the loss {variant.answer} is not a small positive number"
    return wrongs_differ(variant)


@generator(
    "bce_by_hand",
    guarantees=(
        "params count: 1 (default) or 3 predictions, p in {0.1 … 0.9} but never 0.5",
        "with 3 predictions both labels occur",
        "the loss from the engine: −mean(y ln p + (1 − y) ln(1 − p))",
        "the log-likelihood, log2 and summed / other-label answers all differ from it",
        "the loss is positive (and below 10)",
    ),
    holds=_bce_holds,
)
def bce_by_hand(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    count = int(params.get("count", 1))
    while True:
        labels = rng.integers(0, 2, size=count).astype(float)
        probabilities = rng.choice(PROBABILITIES, size=count)
        if count == 1 or 0 < labels.sum() < count:
            break
    loss = training.binary_cross_entropy(labels, probabilities)
    terms = [
        {"y": int(y), "p": float(p), "loss": training.binary_cross_entropy([y], [p])}
        for y, p in zip(labels, probabilities, strict=True)
    ]
    third = (
        training.binary_cross_entropy(1 - labels, probabilities)
        if count == 1
        else loss * count
    )
    wrong = {"wrong_a": -loss, "wrong_b": loss / float(np.log(2)), "wrong_c": third}
    values = {"terms": terms, "count": count, "loss": loss, "sum": loss * count}
    return Variant({**values, **wrong, "wrong_values": list(wrong.values())}, loss)


@generator(
    "bce_from_logit",
    guarantees=(
        "one logit z in {±0.5, ±1, ±1.5, ±2, ±3} (never 0) and a label y in {0, 1}",
        "the loss from the engine's bce_with_logits",
        "the log-likelihood, the other label's loss and log2 all differ from it",
        "the loss is positive (and below 10)",
    ),
    holds=_bce_holds,
)
def bce_from_logit(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    logit = float(rng.choice([-3, -2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 3]))
    label = int(rng.integers(0, 2))
    loss = training.bce_with_logits([label], [logit])
    wrong = {
        "wrong_a": -loss,
        "wrong_b": training.bce_with_logits([1 - label], [logit]),
        "wrong_c": loss / float(np.log(2)),
    }
    probability = 1 / (1 + np.exp(-logit))
    values = {"z": logit, "y": label, "p": probability, "loss": loss, **wrong}
    return Variant({**values, "wrong_values": list(wrong.values())}, loss)


# ------------------------------------------------------- 6.3 double descent


def _min_norm_rows(rng: np.random.Generator, rows: int) -> np.ndarray:
    """Integer rows, pairwise orthogonal, each with ‖x‖² ≥ 2."""
    features = int(rng.choice([2, 3])) if rows == 1 else 3
    while True:
        x = rng.integers(
            -3 if rows == 1 else -2, 4 if rows == 1 else 3, (rows, features)
        )
        norms = np.sum(x * x, axis=1)
        gram = x @ x.T
        orthogonal = np.all(gram[~np.eye(rows, dtype=bool)] == 0)
        spread = np.all(np.count_nonzero(x, axis=1) >= 2)
        if np.all(norms >= 2) and orthogonal and spread:
            return x.astype(float)


@generator(
    "min_norm_system",
    guarantees=(
        "params rows: 1 (default; 2 or 3 unknowns) or 2 (3 unknowns, orthogonal rows)",
        "integer entries, every row with at least two non-zero entries and ‖x‖² ≥ 2",
        "targets are non-zero integers; the answer is the engine's min_norm_solution",
        "Xᵀy and Σ yᵢxᵢ/‖xᵢ‖ (typical slips) differ from the answer",
    ),
    holds=wrongs_differ,
)
def min_norm_system(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    rows = int(params.get("rows", 1))
    x = _min_norm_rows(rng, rows)
    targets = rng.choice([v for v in range(-6, 7) if v], size=rows).astype(float)
    answer = training.min_norm_solution(x, targets)
    norms = np.sum(x * x, axis=1)
    wrongs = [x.T @ targets, (targets / np.sqrt(norms)) @ x]
    values = {
        "X": x, "y": targets, "y0": targets[0], "x": x[0], "norms": norms, "w": answer,
        "wrong_a": matrix_text(wrongs[0]), "wrong_b": matrix_text(wrongs[1]),
        "wrong_values": wrongs,
    }  # fmt: skip
    return Variant(values, answer)


def _predict_holds(variant: Variant) -> str | None:
    values, answer = variant.values, variant.answer
    if abs(float(values["x"] @ answer["w"]) - values["y"]) > 1e-9:
        return "w does not solve x·w = y"
    if abs(answer["prediction"]) <= 0.05:
        return "the prediction is (almost) 0"
    if not answer["norm"] > 0:
        return "w is zero"
    return None


@generator(
    "min_norm_predict",
    guarantees=(
        "one equation x·w = y in 2 or 3 unknowns, integer x with ‖x‖² ≥ 2, y ≠ 0",
        "a new integer input whose prediction is not within 0.05 of 0",
        "w from the engine's min_norm_solution; its norm and prediction from that w",
        "error carried forward: norm and prediction from the student's own w",
    ),
    holds=_predict_holds,
)
def min_norm_predict(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    x = _min_norm_rows(rng, 1)
    target = float(rng.choice([v for v in range(-6, 7) if v]))
    w = training.min_norm_solution(x, [target])
    while True:
        new = rng.integers(-2, 3, size=x.shape[1]).astype(float)
        if abs(float(new @ w)) > 0.05:
            break
    answer = {"w": w, "norm": float(np.linalg.norm(w)), "prediction": float(new @ w)}
    size = (x.shape[1],)

    def norm(earlier: dict[str, Any]) -> Any:
        mine = shaped(earlier["w"], size)
        return None if mine is None else float(np.linalg.norm(mine))

    def predict(earlier: dict[str, Any]) -> Any:
        mine = shaped(earlier["w"], size)
        return None if mine is None else float(new @ mine)

    follow = parts_follow({"norm": ({"w"}, norm), "prediction": ({"w"}, predict)})
    values = {"x": x[0], "y": target, "x_new": new, "norm2": float(x[0] @ x[0])}
    return Variant({**values, **answer}, answer, follow)


def _gd_holds(variant: Variant) -> str | None:
    values, answer = variant.values, variant.answer
    if not values["rate"] * values["norm2"] < 1:
        return "η‖x‖² ≥ 1: gradient descent does not converge"
    if not np.any(answer["step"] != 0):
        return "the first step is zero"
    if abs(float(values["x"] @ answer["limit"]) - values["y"]) > 1e-9:
        return "the limit does not solve x·w = y"
    return None


@generator(
    "gd_from_zero",
    guarantees=(
        "one equation x·w = y in 2 or 3 unknowns, integer x with ‖x‖² ≥ 2, y ≠ 0",
        "learning rate 0.02, 0.05 or 0.1 with η‖x‖² < 1, so gradient descent converges",
        "loss ½(x·w − y)², its gradient by torch autograd (a non-zero first step)",
        "the limit from the engine's min_norm_solution (it solves x·w = y)",
    ),
    holds=_gd_holds,
)
def gd_from_zero(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    x = _min_norm_rows(rng, 1)[0]
    target = float(rng.choice([v for v in range(-6, 7) if v]))
    # η‖x‖² < 1: the iteration converges, monotonically, to the limit asked for.
    rate = float(rng.choice([r for r in (0.02, 0.05, 0.1) if r * (x @ x) < 1]))
    w = torch.zeros(len(x), dtype=torch.float64, requires_grad=True)
    loss = 0.5 * (torch.as_tensor(x) @ w - target) ** 2
    loss.backward()
    assert w.grad is not None
    step = (-rate * w.grad).numpy()
    answer = {"step": step, "limit": training.min_norm_solution(x[None], [target])}
    values = {"x": x, "y": target, "rate": rate, "norm2": float(x @ x), **answer}
    return Variant(values, answer)
