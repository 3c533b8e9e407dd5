"""Exercise spec for lecture 6.7: one gradient-ascent step on an image towards
a higher log-probability of a chosen class, with an L2 penalty on the image
(the unit-level step is in `visualisation_ascent`)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from engine.compare import allclose
from engine.reference import class_ascent
from engine.reference.style import as_tensor
from engine.specs import register
from engine.specs.base import Case, ExerciseSpec, Mistake, ShapePromise
from engine.specs.visualisation_units import draw

CLASS_ASCENT_SHAPE = "an array of shape (C, H, W), like x"
_KINK = 1e-3  # every hidden pre-activation is this far from zero


def _class_ascent_variant(
    *,
    objective: str = "log-probability",
    penalty: str = "squared norm",
    penalty_sign: float = -1.0,
    direction: float = 1.0,
    normalise: bool = False,
    move_image: bool = True,
) -> Callable[..., np.ndarray]:
    """The step with one thing changed. objective: "log-probability", "score"
    or "probability"; penalty: "squared norm", "half gradient" (λx for the
    gradient of λ‖x‖²), "norm" (λ‖x‖) or "none"."""

    def run(
        x: Any,
        w1: Any,
        b1: Any,
        w2: Any,
        b2: Any,
        target: int,
        lam: float,
        lr: float,
    ) -> np.ndarray:
        image = as_tensor(x).requires_grad_(True)
        scores = class_ascent.class_scores(image, w1, b1, w2, b2)
        value = {
            "log-probability": torch.log_softmax(scores, dim=0)[target],
            "score": scores[target],
            "probability": torch.softmax(scores, dim=0)[target],
        }[objective]
        value = (
            value
            + penalty_sign
            * {
                "squared norm": lam * (image**2).sum(),
                "half gradient": 0.5 * lam * (image**2).sum(),
                "norm": lam * image.norm(),
                "none": torch.zeros(()),
            }[penalty]
        )
        (gradient,) = torch.autograd.grad(value, image)
        if normalise:
            gradient = gradient / gradient.norm().clamp(min=1e-12)
        step = lr * gradient if move_image else 0.0 * gradient
        return (image + direction * step).detach().numpy()

    return run


def _pre_activations(case: dict[str, Any]) -> np.ndarray:
    v = np.asarray(case["x"], dtype=float).reshape(-1)
    return np.asarray(case["w1"]) @ v + np.asarray(case["b1"])


def _probabilities(case: dict[str, Any]) -> np.ndarray:
    hidden = np.maximum(_pre_activations(case), 0.0)
    scores = np.asarray(case["w2"]) @ hidden + np.asarray(case["b2"])
    exp = np.exp(scores - scores.max())
    result: np.ndarray = exp / exp.sum()
    return result


def _classifier_problem(
    rng: np.random.Generator,
    shape: tuple[int, int, int],
    hidden: int,
    classes: int,
    lam: float,
    lr: float,
    accept: Callable[[dict[str, Any]], bool] = lambda case: True,
) -> dict[str, Any]:
    """An image and a frozen classifier with every hidden unit clear of its
    kink and at least one of them firing, redrawn until `accept` holds."""
    size = int(np.prod(shape))
    scale = 2.0 / np.sqrt(size)
    while True:
        case = {
            "x": draw(rng, shape, 0.0, 1.0),
            "w1": draw(rng, (hidden, size), -scale, scale),
            "b1": draw(rng, (hidden,), -0.3, 0.3),
            "w2": draw(rng, (classes, hidden), -1.5, 1.5),
            "b2": draw(rng, (classes,), -0.3, 0.3),
            "target": int(rng.integers(0, classes)),
            "lam": lam,
            "lr": lr,
        }
        pre = _pre_activations(case)
        if np.abs(pre).min() > _KINK and pre.max() > 0 and accept(case):
            return case


def _confident(case: dict[str, Any]) -> bool:
    """Make the target the model's confident choice (p > 0.95)."""
    case["b2"][case["target"]] = 4.0
    return bool(_probabilities(case)[case["target"]] > 0.95)


def _least_likely(case: dict[str, Any]) -> bool:
    """Make the target the class the model finds least likely (p < 0.2)."""
    p = _probabilities(case)
    case["target"] = int(p.argmin())
    return bool(p.min() < 0.2)


@functools.cache
def _fixed_class_ascent() -> tuple[tuple[str, str, str], ...]:
    """The fixed cases as (name, kwargs in JSON, label), drawn once."""
    fixed = np.random.default_rng(617)
    cases = (
        (
            "no penalty",
            _classifier_problem(fixed, (1, 2, 2), 3, 3, 0.0, 0.5),
            "edge: λ = 0, the step follows ∇ log p alone",
        ),
        (
            "one pixel",
            _classifier_problem(fixed, (1, 1, 1), 3, 2, 0.1, 0.5),
            "edge: a 1×1 single-channel image, two classes",
        ),
        (
            "two channels",
            _classifier_problem(fixed, (2, 2, 3), 4, 3, 0.1, 0.5),
            "convention: a (2, 2, 3) image flattened channel first, (C, H, W) order",
        ),
        (
            "confident class",
            _classifier_problem(fixed, (1, 3, 3), 4, 3, 0.1, 0.5, _confident),
            (
                "convention: p(target) > 0.95, so ∇ log p is small but ∇ of the raw "
                "score is not"
            ),
        ),
        (
            "unlikely target",
            _classifier_problem(fixed, (1, 3, 3), 4, 4, 0.05, 0.5, _least_likely),
            "convention: the target is the class the model finds least likely",
        ),
    )
    return tuple((name, json.dumps(kwargs), label) for name, kwargs, label in cases)


def class_ascent_cases(seed: int) -> list[Case]:
    cases = [
        Case(name, json.loads(kwargs), label)
        for name, kwargs, label in _fixed_class_ascent()
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        shape = (
            int(rng.integers(1, 4)),
            int(rng.integers(2, 5)),
            int(rng.integers(2, 5)),
        )
        problem = _classifier_problem(
            rng,
            shape,
            int(rng.integers(3, 7)),
            int(rng.integers(3, 6)),
            float(rng.choice([0.01, 0.05, 0.1])),
            float(rng.choice([0.1, 0.5, 1.0])),
        )
        cases.append(Case(f"random {i + 1}", problem, "random", hidden=i >= 4))
    return cases


_STEP_FIX = (
    "`xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)`; "
    "`s = w2 @ torch.relu(w1 @ xt.reshape(-1) + b1) + b2` (w1, b1, w2, b2 as "
    "float64 tensors); `J = torch.log_softmax(s, 0)[target] - lam * (xt ** 2).sum()`; "
    "`J.backward()`; `return (xt + lr * xt.grad).detach().numpy()`"
)

CLASS_ASCENT = register(
    ExerciseSpec(
        id="class_score_ascent_step",
        title="One gradient-ascent step towards a class",
        topic="6.7",
        entry_point="class_score_ascent_step",
        signature=(
            "def class_score_ascent_step(x, w1, b1, w2, b2, target, lam, lr) -> array"
        ),
        statement=(
            "x is one image (C, H, W). A frozen classifier flattens it in (C, H, W) "
            "order, v = x.reshape(−1) with D = C·H·W values, and scores K classes "
            "with one hidden ReLU layer: s = W2·ReLU(W1·v + b1) + b2, w1 (M, D), "
            "b1 (M,), w2 (K, M), b2 (K,). Following the notes ('loss = log "
            "probability of the desired class'), the objective is the natural-log "
            "probability of class `target` under the softmax of s, minus an L2 "
            "penalty: J(x) = log softmax(s)[target] − λ‖x‖², with λ = lam and "
            "‖x‖² = Σ x² over every value of x. Simonyan et al. (2014) ascend the raw "
            "score s[target] − λ‖x‖² instead; here it is the log-probability. Return "
            f"x + lr·∇ₓ J(x) as {CLASS_ASCENT_SHAPE}: one plain step (the gradient is "
            "not normalised, nothing is clipped, the weights do not change). No hidden "
            "pre-activation is exactly 0; you may use torch autograd."
        ),
        reference=class_ascent.class_score_ascent_step,
        make_cases=class_ascent_cases,
        compare=allclose(rtol=1e-5, atol=1e-6),
        shapes=(
            ShapePromise(
                CLASS_ASCENT_SHAPE,
                lambda kwargs: True,
                lambda kwargs: tuple(np.shape(kwargs["x"])),
            ),
        ),
        mistakes=(
            Mistake(
                "class-ascent-raw-score",
                "Raw class score instead of its log-probability",
                "Simonyan et al. ascend the unnormalised score s[target]; the notes "
                "ascend log softmax(s)[target] = s[target] − log Σ_k exp(s_k). The "
                "second term pushes the OTHER classes down as well, so the gradients "
                "differ by Σ_k p_k ∇s_k.",
                _class_ascent_variant(objective="score"),
                point="Which quantity of the target class do you differentiate: its score, its probability, or the log of its probability? Compare your step on the visible case 'confident class'.",
                fix="`J = torch.log_softmax(s, 0)[target] - lam * (xt ** 2).sum()`, not `s[target] - …` (`xt` the image as a float64 tensor with `requires_grad=True`, `s` its scores)",
            ),
            Mistake(
                "class-ascent-probability",
                "Softmax probability instead of its log",
                "The objective is the LOG-probability. Since ∇p = p·∇log p, ascending "
                "the probability itself shrinks the step by the factor p, most where "
                "the class is unlikely.",
                _class_ascent_variant(objective="probability"),
                point="Do you take the log of the softmax output before you differentiate? Look at the visible case 'unlikely target'.",
                fix="`J = torch.log_softmax(s, 0)[target] - lam * (xt ** 2).sum()`, not `torch.softmax(s, 0)[target] - …` (`xt` the image as a float64 tensor with `requires_grad=True`, `s` its scores)",
            ),
            Mistake(
                "class-ascent-penalty-added",
                "L2 penalty added instead of subtracted",
                "The penalty keeps the image small, so it is SUBTRACTED from what we "
                "maximise: J = log p − λ‖x‖². Added, it rewards large pixel values "
                "and the step pushes every pixel away from 0.",
                _class_ascent_variant(penalty_sign=1.0),
                point="Look at the sign in front of the penalty in your objective: does maximising it make the image smaller or larger?",
                fix="`J = torch.log_softmax(s, 0)[target] - lam * (xt ** 2).sum()`, minus the penalty (`xt` the image as a float64 tensor with `requires_grad=True`, `s` its scores)",
            ),
            Mistake(
                "class-ascent-penalty-half-gradient",
                "Penalty gradient λx instead of 2λx",
                "The gradient of λ‖x‖² = λ Σ x² is 2λx: the square's exponent comes "
                "down as a factor 2. λx is the gradient of (λ/2)‖x‖², a different "
                "penalty.",
                _class_ascent_variant(penalty="half gradient"),
                point="Differentiate λ·Σ x² by hand with respect to one pixel: what factor do you get, and is it in your step?",
                fix="Let autograd differentiate the penalty, `J = torch.log_softmax(s, 0)[target] - lam * (xt ** 2).sum()`; by hand, the penalty's part of the gradient is `-2 * lam * x`, not `-lam * x`",
            ),
            Mistake(
                "class-ascent-penalty-norm",
                "Norm instead of squared norm in the penalty",
                "The penalty is λ‖x‖², the SQUARED norm Σ x². The norm itself, "
                "‖x‖ = √Σ x² (what torch.norm and np.linalg.norm return), has the "
                "gradient x/‖x‖, not 2x.",
                _class_ascent_variant(penalty="norm"),
                point="Look at how you compute ‖x‖²: does your expression return the norm, or its square?",
                fix="`lam * (xt ** 2).sum()`, or `lam * xt.norm() ** 2`, not `lam * xt.norm()`",
            ),
            Mistake(
                "class-ascent-no-penalty",
                "L2 penalty left out",
                "The objective has two parts: the log-probability of the class and "
                "the penalty −λ‖x‖², which keeps the image from growing without "
                "bound. Its gradient −2λx belongs in every step.",
                _class_ascent_variant(penalty="none"),
                point="Your step follows the log-probability; what else is part of J(x)?",
                fix="`J = torch.log_softmax(s, 0)[target] - lam * (xt ** 2).sum()`, with the penalty (`xt` the image as a float64 tensor with `requires_grad=True`, `s` its scores)",
            ),
            Mistake(
                "class-ascent-descends",
                "Step down the gradient",
                "To make the class more likely, move the image in the direction that "
                "INCREASES J: x + lr·∇ₓJ. A minus sign minimises the log-probability, "
                "as when training on a loss.",
                _class_ascent_variant(direction=-1.0),
                point="Check the sign of your update: should the step raise J(x) or lower it?",
                fix="`return (xt + lr * xt.grad).detach().numpy()`, plus and not minus",
            ),
            Mistake(
                "class-ascent-normalised",
                "Gradient normalised to unit length",
                "Some tutorials divide the gradient by its norm before each step. "
                "Here the step is the plain lr·∇ₓJ(x).",
                _class_ascent_variant(normalise=True),
                point="Look at what you do to the gradient between autograd and the update: do you use it as it comes?",
                fix="`return (xt + lr * xt.grad).detach().numpy()`, without dividing `xt.grad` by its norm",
            ),
            Mistake(
                "class-ascent-image-unchanged",
                "x returned unchanged",
                "Your function gives back x as it came in. Class visualisation keeps "
                "the network frozen and changes the INPUT: the gradient is taken "
                "with respect to x, and x receives the step.",
                _class_ascent_variant(move_image=False),
                point="Look at what your function returns: which tensor received the step, and is it the one you return?",
                fix=_STEP_FIX,
            ),
        ),
        forbidden=("captum", "lucent"),
    )
)
