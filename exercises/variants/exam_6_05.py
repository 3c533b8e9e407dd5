"""Exam-level variants for lecture 6.5 (adversarial examples): the smallest
∞-norm budget that fools a linear classifier against the notes' x + αw step,
and a targeted FGSM step on a three-class softmax classifier traced by hand
(error carried forward in both)."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.reference import adversarial
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw, shaped

QUARTERS = np.arange(0.0, 1.25, 0.25)  # 0, 0.25, …, 1

# ------------------------------------------- ∞-norm budget against x + αw


BudgetDraw = tuple[np.ndarray, np.ndarray, float]


def _budget_draw(rng: np.random.Generator) -> BudgetDraw | None:
    """w (4 entries, not all of one magnitude), x, b with a score ≤ −0.25."""
    w = rng.choice(np.array([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0]), size=4)
    x = rng.choice(QUARTERS, size=4)
    b = float(rng.choice(np.arange(-2.0, 0.0, 0.25)))
    score = float(w @ x + b)
    if score > -0.25 or score < -3.0:
        return None
    l1, l2sq, top = float(np.abs(w).sum()), float(w @ w), float(np.abs(w).max())
    # ε* = −s/‖w‖₁ and ‖α*w‖∞ = −s·max|w|/‖w‖² coincide when every |w_i| is equal.
    if -score * top / l2sq - (-score / l1) < 0.025:
        return None
    return w, x, b


def _budget_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if answer["score"] >= 0:
        return "the input is already on the positive side"
    if answer["linf_w"] - answer["eps_star"] < 0.02:
        return "the sign step and the w step need the same largest change"
    if not 0 < answer["eps_star"] < 2:
        return f"ε* = {answer['eps_star']:g} is out of range"
    return None


@generator(
    "exam_adv_budgets",
    guarantees=(
        "w has 4 entries in {±0.5, ±1, ±2}, not all of one magnitude; x in quarters of [0, 1]",
        "the score s = w·x + b lies in [−3, −0.25]",
        "ε* = −s/‖w‖₁ (sign step) is at least 0.02 below ‖α*w‖∞ (the notes' step onto the boundary)",
        "both steps land on the boundary, checked with the engine's fool_linear",
        "error carried forward: ε* and ‖α*w‖∞ from the student's own score",
    ),
    holds=_budget_holds,
)
def exam_adv_budgets(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    w, x, b = bounded_draw(rng, _budget_draw)
    score = float(w @ x + b)
    l1, l2sq, top = float(np.abs(w).sum()), float(w @ w), float(np.abs(w).max())
    eps_star = -score / l1
    by_sign = adversarial.fool_linear(x, np.sign(w), eps_star)
    alpha = -score / l2sq
    by_w = adversarial.fool_linear(x, w, alpha)
    assert abs(float(w @ by_sign + b)) < 1e-9 and abs(float(w @ by_w + b)) < 1e-9
    linf_w = float(np.abs(by_w - x).max())
    assert abs(float(np.abs(by_sign - x).max()) - eps_star) < 1e-12
    answer = {"score": score, "eps_star": eps_star, "linf_w": linf_w}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """Both budgets from the student's own score."""
        if "score" not in earlier or not np.isfinite(earlier["score"]):
            return None
        own = float(earlier["score"])
        if part == "eps_star":
            return -own / l1
        if part == "linf_w":
            return -own * top / l2sq
        return None

    values = {
        "w": w, "x": x, "b": b, "l1": l1, "l2sq": l2sq, "top": top,
        "alpha": alpha, "neg_score": -score, "by_sign": by_sign, "by_w": by_w,
        **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


# ------------------------------------------------ targeted FGSM, three classes


TargetDraw = tuple[np.ndarray, np.ndarray, np.ndarray, int, int]
POSITIVE = np.array([0.25, 0.5, 0.75, 1.0])


def _identity_hidden(w: np.ndarray, b: np.ndarray) -> dict[str, Any]:
    """The linear softmax classifier z = Wx + b as the engine's two-layer model:
    an identity hidden layer (x > 0 passes the ReLU unchanged), then W and b."""
    d = w.shape[1]
    return {"w1": np.eye(d), "b1": np.zeros(d), "w2": w, "b2": b}


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def _target_draw(rng: np.random.Generator) -> TargetDraw | None:
    w = rng.choice(np.array([-1.0, -0.5, 0.0, 0.5, 1.0]), size=(3, 3))
    b = rng.choice(np.array([-0.5, 0.0, 0.5]), size=3)
    x = rng.choice(POSITIVE, size=3)
    z = w @ x + b
    p = _softmax(z)
    predicted = int(np.argmax(z))
    if np.sort(z)[-1] - np.sort(z)[-2] < 0.25:  # a clear prediction
        return None
    target = int(rng.choice([k for k in range(3) if k != predicted]))
    if not np.all((p > 0.03) & (p < 0.97)):
        return None
    direction = w.T @ (p - np.eye(3)[target])
    if np.abs(direction).min() < 0.06:  # the sign must survive p rounded to 3 places
        return None
    return w, b, x, predicted, target


def _target_holds(variant: Variant) -> str | None:
    values = variant.values
    if values["target"] == values["predicted"]:
        return "the target is the predicted class"
    if np.abs(variant.answer["grad"]).min() < 0.05:
        return "a gradient entry too close to 0 for its sign to be clear"
    return None


@generator(
    "exam_adv_targeted",
    guarantees=(
        "a linear softmax classifier, 3 classes × 3 inputs, weights in {0, ±0.5, ±1}, biases in {0, ±0.5}",
        "x in {0.25, 0.5, 0.75, 1}; the predicted class leads by a logit margin of 0.25 or more",
        "the target is another class; every probability is in (0.03, 0.97)",
        "every entry of ∇x CE(z, target) is at least 0.05 from 0",
        "answers from the engine's input_gradient and fgsm (with −ε: a step down the target's loss)",
        "error carried forward: the gradient from the student's p, x_adv from the student's gradient",
    ),
    holds=_target_holds,
)
def exam_adv_targeted(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    w, b, x, predicted, target = bounded_draw(rng, _target_draw)
    epsilon = float(rng.choice([0.05, 0.1]))
    model = _identity_hidden(w, b)
    gradient = adversarial.input_gradient(x, target, **model).numpy()
    moved = adversarial.fgsm(x, target, **model, epsilon=-epsilon, clamp=False)
    p = _softmax(w @ x + b)
    assert np.allclose(gradient, w.T @ (p - np.eye(3)[target]))
    answer = {"p": p, "grad": gradient, "x_adv": moved}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The gradient from the student's own probabilities; x_adv from the
        student's own gradient. Answers of another size carry nothing."""
        if part == "grad" and "p" in earlier:
            own = shaped(earlier["p"], (3,))
            return None if own is None else w.T @ (own - np.eye(3)[target])
        if part == "x_adv" and "grad" in earlier:
            own = shaped(earlier["grad"], (3,))
            return None if own is None else x - epsilon * np.sign(own)
        return None

    z_after = w @ moved + b
    values = {
        "w": w, "b": b, "x": x, "z": w @ x + b, "epsilon": epsilon,
        "predicted": predicted, "target": target, "z_after": z_after,
        "onehot": np.eye(3)[target], "sign": np.sign(gradient),
        **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)
