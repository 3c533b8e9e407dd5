"""Variants for lecture 6.5: fooling a linear classifier, the smallest step onto its
boundary, and FGSM on logistic regression and on a small MLP (error carried
forward), each small enough to work by hand."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.reference import adversarial
from exercises.variants import Variant, generator
from exercises.variants._common import matrix_text, shaped

QUARTERS = np.arange(0.25, 1.0, 0.25)  # 0.25, 0.5, 0.75
WEIGHTS = np.array([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0])


def _linear_problem(rng: np.random.Generator) -> dict[str, Any]:
    """w, x, b with a negative score that α·w turns positive."""
    while True:
        w = rng.choice(WEIGHTS, size=3)
        x = rng.choice(np.arange(0.0, 1.25, 0.25), size=3)
        b = float(rng.choice(np.arange(-1.5, 0.0, 0.25)))
        alpha = float(rng.choice([0.1, 0.2, 0.25, 0.5]))
        score = float(w @ x + b)
        after = score + alpha * float(w @ w)
        if score <= -0.25 and after >= 0.25:
            return {"w": w, "x": x, "b": b, "alpha": alpha, "score": score}


def _flips(variant: Variant) -> str | None:
    if variant.values["score"] >= 0 or variant.values["after"] <= 0:
        return "the perturbation does not flip the decision"
    return None


@generator(
    "adv_linear_fool",
    guarantees=(
        "w has 3 entries in {±0.5, ±1, ±2}; x in multiples of 0.25; α in {0.1, 0.2, 0.25, 0.5}",
        "the score w·x + b is negative (≤ −0.25) and x + α·w makes it positive (≥ 0.25)",
        "answers from the engine's fool_linear",
    ),
    holds=_flips,
)
def adv_linear_fool(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    p = _linear_problem(rng)
    w, b = p["w"], p["b"]
    moved = adversarial.fool_linear(p["x"], w, p["alpha"])
    after = float(w @ moved + b)
    answer = {"score": p["score"], "x_new": moved, "after": after}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The new score from the student's own perturbed input (if it has 3 entries)."""
        if part == "after" and "x_new" in earlier:
            moved = shaped(earlier["x_new"], w.shape)
            return None if moved is None else float(w @ moved + b)
        return None

    values = {**p, "x_new": moved, "after": after, "gain": after - p["score"],
              "w_norm2": float(w @ w)}  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


def _flip_holds(variant: Variant) -> str | None:
    v = variant.values
    if not variant.answer > 0:
        return "the smallest α is not positive"
    if abs(v["score"] + variant.answer * v["w_norm2"]) > 1e-9:
        return "x + α·w does not land on the boundary"
    return None


@generator(
    "adv_linear_boundary",
    guarantees=(
        "w has 3 entries in {±1, ±2}, so ‖w‖² is a whole number; the score w·x + b < 0",
        "the answer α* = −s/‖w‖² puts x + α*·w exactly on the boundary (checked with fool_linear)",
        "the L1 and L2-norm slips give answers at least 5 % away",
    ),
    holds=_flip_holds,
)
def adv_linear_boundary(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        w = rng.choice(np.array([-2.0, -1.0, 1.0, 2.0]), size=3)
        x = rng.choice(np.arange(0.0, 1.25, 0.25), size=3)
        b = float(rng.choice(np.arange(-2.0, 0.0, 0.25)))
        score = float(w @ x + b)
        norm2, norm1 = float(w @ w), float(np.abs(w).sum())
        if score < -0.2 and abs(norm1 - norm2) / norm2 > 0.05:
            break
    alpha = -score / norm2
    on_boundary = adversarial.fool_linear(x, w, alpha)
    assert abs(float(w @ on_boundary + b)) < 1e-9
    values = {"w": w, "x": x, "b": b, "score": score, "neg_score": -score,
              "w_norm2": norm2, "alpha_l1": -score / norm1,
              "alpha_l2": -score / np.sqrt(norm2), "alpha": alpha}  # fmt: skip
    return Variant(values=values, answer=alpha)


def _logistic_as_mlp(w: np.ndarray, b: float) -> dict[str, Any]:
    """σ(w·x + b) as the engine's two-layer model: identity hidden layer (x > 0
    passes the ReLU unchanged) and logits (0, w·x + b), whose softmax is σ."""
    d = len(w)
    return {"w1": np.eye(d), "b1": np.zeros(d),
            "w2": np.stack([np.zeros(d), w]), "b2": np.array([0.0, b])}  # fmt: skip


def _fgsm_logistic_holds(variant: Variant) -> str | None:
    if np.any(variant.values["direction"] == 0):
        return "a zero gradient"
    if np.any((variant.answer < 0) | (variant.answer > 1)):
        return "x_adv leaves [0, 1]"
    return None


@generator(
    "adv_fgsm_logistic",
    guarantees=(
        "logistic regression with 4 non-zero weights; x in [0.2, 0.8], so x ± ε stays in [0, 1]",
        "the label y is 0 or 1; every component of the gradient is non-zero",
        "the answer from the engine's fgsm (no clamping) on the equivalent two-class model",
    ),
    holds=_fgsm_logistic_holds,
)
def adv_fgsm_logistic(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    w = rng.choice(np.array([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0]), size=4)
    b = float(rng.choice(np.arange(-1.0, 1.25, 0.25)))
    x = rng.choice(np.arange(0.2, 0.85, 0.1).round(1), size=4)
    y = int(rng.integers(0, 2))
    epsilon = float(rng.choice([0.05, 0.1]))
    model = _logistic_as_mlp(w, b)
    gradient = adversarial.input_gradient(x, y, **model).numpy()
    moved = adversarial.fgsm(x, y, **model, epsilon=epsilon, clamp=False)
    values = {
        "w": w, "b": b, "x": x, "y": y, "epsilon": epsilon, "x_adv": moved,
        "p": float(1 / (1 + np.exp(-(w @ x + b)))), "direction": np.sign(gradient),
        "descend_text": matrix_text(x - epsilon * np.sign(gradient)),
        "raw_text": matrix_text(x + epsilon * gradient),
    }  # fmt: skip
    return Variant(values=values, answer=moved)


def _fgsm_mlp_holds(variant: Variant) -> str | None:
    if np.any(variant.answer["sign"] == 0):
        return "a pixel has zero gradient"
    if not np.any(variant.answer["hidden"] > 0):
        return "no hidden unit fires"
    return None


@generator(
    "adv_fgsm_mlp",
    guarantees=(
        "3 inputs, 2 ReLU hidden units, 2 classes; weights in {±0.5, ±1}, x and biases in quarters",
        "no hidden pre-activation is 0; at least one unit fires; every pixel's gradient is non-zero",
        "answers from the engine's input_gradient and fgsm (cross-entropy of the true label, no clamping)",
    ),
    holds=_fgsm_mlp_holds,
)
def adv_fgsm_mlp(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    signs = np.array([-1.0, -0.5, 0.5, 1.0])
    while True:
        w1, w2 = rng.choice(signs, size=(2, 3)), rng.choice(signs, size=(2, 2))
        b1 = rng.choice(np.arange(-0.5, 0.75, 0.25), size=2)
        x, y = rng.choice(QUARTERS, size=3), int(rng.integers(0, 2))
        pre = w1 @ x + b1
        direction = w1.T @ ((pre > 0) * (w2[1 - y] - w2[y]))
        if np.all(np.abs(pre) >= 0.125) and np.any(pre > 0) and np.all(direction != 0):
            break
    epsilon = float(rng.choice([0.05, 0.1]))
    model = {"w1": w1, "b1": b1, "w2": w2, "b2": np.zeros(2)}
    gradient = adversarial.input_gradient(x, y, **model).numpy()
    assert np.array_equal(np.sign(gradient), np.sign(direction))
    moved = adversarial.fgsm(x, y, **model, epsilon=epsilon, clamp=False)
    answer = {"hidden": np.maximum(pre, 0.0), "sign": np.sign(gradient), "x_adv": moved}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The sign from the student's own active units; x_adv from their sign.
        An earlier answer of another size carries nothing forward."""
        if part == "sign" and "hidden" in earlier:
            hidden = shaped(earlier["hidden"], b1.shape)
            if hidden is None:
                return None
            return np.sign(w1.T @ ((hidden > 0) * (w2[1 - y] - w2[y])))
        if part == "x_adv" and "sign" in earlier:
            sign = shaped(earlier["sign"], x.shape)
            return None if sign is None else x + epsilon * sign
        return None

    values = {"w1": w1, "b1": b1, "w2": w2, "x": x, "y": y, "other": 1 - y,
              "epsilon": epsilon, "pre": pre, "row_gap": w2[1 - y] - w2[y],
              "direction": direction, **answer}  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)
