"""Exercise specs for lecture 6.5: fooling a linear classifier, FGSM."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from engine.compare import allclose
from engine.reference import adversarial
from engine.specs import register
from engine.specs.base import Case, ExerciseSpec, Mistake, Property, per_case

# ------------------------------------------------------------- linear fooling


def _fool_sign(x: Any, w: Any, alpha: float) -> np.ndarray:
    return np.asarray(x, dtype=float) + alpha * np.sign(np.asarray(w, dtype=float))


def _fool_unit(x: Any, w: Any, alpha: float) -> np.ndarray:
    weights = np.asarray(w, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        direction = weights / np.linalg.norm(weights)
    return np.asarray(x, dtype=float) + alpha * direction


def _fool_against(x: Any, w: Any, alpha: float) -> np.ndarray:
    return np.asarray(x, dtype=float) - alpha * np.asarray(w, dtype=float)


def _round(values: np.ndarray) -> Any:
    return np.round(values, 2).tolist()


def fool_linear_cases(seed: int) -> list[Case]:
    cases = [
        Case(
            "one example",
            {"x": [0.2, 0.5, 0.9], "w": [1.0, -2.0, 0.5], "alpha": 0.1},
            "edge: a single example (1-D)",
        ),
        Case(
            "one feature",
            {"x": [0.5], "w": [-2.0], "alpha": 0.25},
            "edge: one feature",
        ),
        Case(
            "alpha zero",
            {"x": [0.3, 0.6], "w": [2.0, 1.0], "alpha": 0.0},
            "edge: alpha = 0 leaves x unchanged",
        ),
        Case(
            "zero weights",
            {"x": [0.1, 0.4, 0.7], "w": [0.0, 0.0, 0.0], "alpha": 0.5},
            "edge: w = 0, a classifier that ignores its input",
        ),
        Case(
            "batch of one",
            {"x": [[0.25, 0.5, 0.75, 1.0]], "w": [0.5, -1.5, 2.0, 0.0], "alpha": 0.125},
            "edge: a batch of one example, (1, D)",
        ),
        Case(
            "batch",
            {
                "x": [[0.0, 1.0, 0.5], [0.5, 0.5, 0.5], [1.0, 0.0, 0.25]],
                "w": [3.0, -0.5, 0.25],
                "alpha": 0.05,
            },
            "convention: every row of a batch moves by α·w",
        ),
    ]
    rng = np.random.default_rng(seed)
    for i, rows in enumerate([None, 2, None, 4, 1, 3]):
        features = int(rng.integers(3, 7))
        shape = (features,) if rows is None else (rows, features)
        case = {
            "x": _round(rng.uniform(0, 1, size=shape)),
            "w": _round(rng.uniform(-2, 2, size=features)),
            "alpha": float(rng.choice([0.01, 0.05, 0.1, 0.2])),
        }
        cases.append(Case(f"random {i + 1}", case, "random", hidden=i >= 4))
    return cases


def _score_gain(kwargs: dict[str, Any], got: Any) -> str | None:
    x = np.asarray(kwargs["x"], dtype=float)
    w = np.asarray(kwargs["w"], dtype=float)
    moved = np.asarray(got, dtype=float).reshape(x.shape)
    gain = (moved - x) @ w
    wanted = kwargs["alpha"] * float(w @ w)
    if np.allclose(gain, wanted, rtol=1e-6, atol=1e-6):
        return None
    return (
        f"the score w·x rose by {np.round(gain, 6).tolist()}, not α‖w‖² = {wanted:.6g}"
    )


FOOL_LINEAR = register(
    ExerciseSpec(
        id="fool_linear",
        title="Fooling a linear classifier",
        topic="6.5",
        entry_point="fool_linear",
        signature="def fool_linear(x, w, alpha) -> array",
        statement=(
            "A linear classifier scores an input x with w·x + b. x is one example of "
            "shape (D,) or a batch of shape (N, D); w has shape (D,). Following the "
            "notes, return x + alpha·w (the weight vector itself, for every example), "
            "shaped like x."
        ),
        reference=adversarial.fool_linear,
        make_cases=fool_linear_cases,
        compare=allclose(rtol=0, atol=1e-6),
        mistakes=(
            Mistake(
                "fool-linear-sign",
                "alpha·sign(w) instead of alpha·w",
                "Adding alpha·sign(w) is the FGSM (L∞) version of the attack. The notes "
                "add alpha·w, which raises the score by alpha·‖w‖².",
                _fool_sign,
            ),
            Mistake(
                "fool-linear-unit-norm",
                "alpha·w/‖w‖ instead of alpha·w",
                "You normalised w to unit length. The notes add alpha times the weight "
                "vector as it is.",
                _fool_unit,
            ),
            Mistake(
                "fool-linear-against",
                "x − alpha·w",
                "Subtracting alpha·w lowers the score. The notes push the input along "
                "w: x + alpha·w.",
                _fool_against,
            ),
        ),
        properties=(
            Property(
                "fool-linear-score-gain",
                "the score w·x rises by exactly alpha·‖w‖² for every example",
                per_case(_score_gain),
            ),
        ),
    )
)

# ------------------------------------------------------------------------ FGSM

_NO_MOVE = 1e-10  # |gradient| at or below this: sign ambiguous, position not checked
_CLEAR = 1e-6  # random cases keep every other |gradient| above this


def _gradient(kwargs: dict[str, Any]) -> np.ndarray:
    names = ("x", "y", "w1", "b1", "w2", "b2")
    return adversarial.input_gradient(*(kwargs[name] for name in names)).numpy()


def _fgsm_variant(
    *,
    sign: bool = True,
    direction: float = 1.0,
    clamp_rule: str = "as asked",
    predicted: bool = False,
    zero_moves: bool = False,
) -> Any:
    def run(
        x: Any, y: Any, w1: Any, b1: Any, w2: Any, b2: Any, epsilon: float, clamp: bool
    ) -> np.ndarray:
        inputs = np.asarray(x, dtype=float)
        if predicted:
            logits = adversarial.mlp_logits(
                adversarial.as_tensor(inputs).reshape(-1, inputs.shape[-1]),
                w1,
                b1,
                w2,
                b2,
            )
            y = logits.argmax(dim=1).numpy().reshape(np.shape(y))
        gradient = adversarial.input_gradient(inputs, y, w1, b1, w2, b2).numpy()
        if not sign:
            step = gradient
        elif zero_moves:
            step = np.where(gradient >= 0, 1.0, -1.0)
        else:
            step = np.sign(gradient)
        moved = inputs + direction * epsilon * step
        if clamp_rule == "always" or (clamp_rule == "as asked" and clamp):
            moved = np.clip(moved, 0.0, 1.0)
        return moved

    return run


def _model(
    rng: np.random.Generator, features: int, hidden: int = 4, classes: int = 3
) -> dict[str, Any]:
    return {
        "w1": _round(rng.uniform(-1.5, 1.5, size=(hidden, features))),
        "b1": _round(rng.uniform(-0.3, 0.3, size=hidden)),
        "w2": _round(rng.uniform(-1.5, 1.5, size=(classes, hidden))),
        "b2": _round(rng.uniform(-0.3, 0.3, size=classes)),
    }


def _clear(kwargs: dict[str, Any]) -> bool:
    """No hidden unit at its kink and no gradient near (but not at) zero."""
    x = np.asarray(kwargs["x"], dtype=float).reshape(-1, np.shape(kwargs["w1"])[1])
    pre = x @ np.asarray(kwargs["w1"]).T + np.asarray(kwargs["b1"])
    gradient = np.abs(_gradient(kwargs))
    return bool(
        np.abs(pre).min() > 1e-3 and np.all((gradient == 0) | (gradient > _CLEAR))
    )


def _attack(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    epsilon: float,
    clamp: bool,
    spread: float = 0.35,
    adjust: Callable[[dict[str, Any]], None] | None = None,
    leaves: bool = False,
) -> dict[str, Any]:
    """x within 0.5 ± spread, random labels and model, redrawn until `_clear`
    (and, when `leaves`, until the unclipped step leaves [0, 1] somewhere)."""
    while True:
        x = rng.uniform(0.5 - spread, 0.5 + spread, size=shape)
        y = rng.integers(0, 3, size=shape[:-1])
        case = {
            "x": _round(x),
            "y": y.tolist() if y.ndim else int(y),
            **_model(rng, shape[-1]),
            "epsilon": epsilon,
            "clamp": clamp,
        }
        if adjust is not None:
            adjust(case)
        alive = adjust is not None or _every_example_fires(case)
        if alive and _clear(case) and (not leaves or _leaves_unit_interval(case)):
            return case


def _every_example_fires(case: dict[str, Any]) -> bool:
    x = np.asarray(case["x"], dtype=float).reshape(-1, np.shape(case["w1"])[1])
    pre = x @ np.asarray(case["w1"]).T + np.asarray(case["b1"])
    return bool((pre > 0).any(axis=1).all())


def _leaves_unit_interval(case: dict[str, Any]) -> bool:
    moved = adversarial.fgsm(**{**case, "clamp": False})
    return bool(moved.min() < 0 or moved.max() > 1)


def _ignore_pixel_2(case: dict[str, Any]) -> None:
    case["w1"] = [[*row[:2], 0.0, *row[3:]] for row in case["w1"]]


def _kill_example_1(case: dict[str, Any]) -> None:
    """Positive W1, negative b1 and a black second image: no unit fires for it."""
    case["w1"] = [[abs(v) for v in row] for row in case["w1"]]
    case["b1"] = [-abs(v) - 0.05 for v in case["b1"]]
    case["x"][1] = [0.0] * len(case["x"][1])


def fgsm_cases(seed: int) -> list[Case]:
    fixed = np.random.default_rng(65)
    cases = [
        Case(
            "one example",
            _attack(fixed, (4,), 0.05, False),
            "edge: a single example (1-D) and its label",
        ),
        Case(
            "batch of one",
            _attack(fixed, (1, 5), 0.1, False),
            "edge: a batch of one, (1, D)",
        ),
        Case(
            "ignored pixel",
            _attack(fixed, (2, 5), 0.05, False, adjust=_ignore_pixel_2),
            "convention: the model ignores pixel 2 (a zero column of W1): its "
            "gradient is 0 and sign(0) = 0, so it stays",
        ),
        Case(
            "dead example",
            _attack(fixed, (2, 4), 0.05, False, adjust=_kill_example_1),
            "edge: no hidden unit fires for example 1: zero gradient, it stays",
        ),
        Case(
            "no clamp",
            _attack(fixed, (3, 4), 0.1, False, spread=0.5, leaves=True),
            "convention: clamp=False, values may leave [0, 1]",
        ),
        Case(
            "clamp",
            _attack(fixed, (3, 4), 0.1, True, spread=0.5, leaves=True),
            "convention: clamp=True, the result is clipped to [0, 1]",
        ),
    ]
    cases.sort(key=lambda case: case.label.startswith("convention"))  # edges first
    rng = np.random.default_rng(seed)
    for i, rows in enumerate([3, None, 4, 2, 3, 1]):
        features = int(rng.integers(4, 7))
        shape = (features,) if rows is None else (rows, features)
        epsilon = float(rng.choice([0.01, 0.03, 0.05, 0.1]))
        case = _attack(rng, shape, epsilon, clamp=i == 3)
        cases.append(Case(f"random {i + 1}", case, "random", hidden=i >= 4))
    return cases


def _plus_minus_epsilon(kwargs: dict[str, Any], got: Any) -> str | None:
    if kwargs["clamp"]:
        return None
    x = np.asarray(kwargs["x"], dtype=float)
    moved = np.abs(np.asarray(got, dtype=float).reshape(x.shape) - x)
    checked = np.abs(_gradient(kwargs)) > _NO_MOVE
    off = checked & (np.abs(moved - kwargs["epsilon"]) > 1e-6)
    if off.any():
        where = tuple(int(i) for i in np.argwhere(off)[0])
        return f"the value at {list(where)} moved by {moved[where]:.6g}, not ε"
    return None


def _in_unit_interval(kwargs: dict[str, Any], got: Any) -> str | None:
    values = np.asarray(got, dtype=float)
    if not kwargs["clamp"] or (values.min() >= 0 and values.max() <= 1):
        return None
    return f"with clamp=True a value lies outside [0, 1] ({values.min():g} … {values.max():g})"


def _properties() -> Sequence[Property]:
    return (
        Property(
            "fgsm-plus-minus-epsilon",
            "without clamping, every value with a non-zero gradient moves by exactly ±ε",
            per_case(_plus_minus_epsilon),
        ),
        Property(
            "fgsm-clamped-range",
            "with clamp=True every value lies in [0, 1]",
            per_case(_in_unit_interval),
        ),
    )


FGSM = register(
    ExerciseSpec(
        id="fgsm",
        title="Fast gradient sign method",
        topic="6.5",
        entry_point="fgsm",
        signature="def fgsm(x, y, w1, b1, w2, b2, epsilon, clamp) -> array",
        statement=(
            "The model is a fixed two-layer network: logits = W2·ReLU(W1·x + b1) + b2, "
            "with W1 (H, D), b1 (H,), W2 (K, H), b2 (K,). x is a batch (N, D) with "
            "integer labels y (N,), or one example (D,) with one label. The loss is "
            "the cross-entropy of the TRUE labels on the logits (softmax inside), "
            "averaged over the batch. Return x + epsilon·sign(∇ₓ loss), shaped like x; "
            "sign(0) = 0, so a value whose gradient is exactly 0 does not move. The "
            "notes do not clip: clip the result to [0, 1] only when clamp is True. "
            "You may use torch autograd."
        ),
        reference=adversarial.fgsm,
        make_cases=fgsm_cases,
        compare=allclose(rtol=0, atol=1e-6),
        mistakes=(
            Mistake(
                "fgsm-no-sign",
                "Gradient used without its sign",
                "FGSM moves every value by exactly ε: x + ε·sign(∇ₓL). Adding ε·∇ₓL makes a step whose size depends on the gradient's.",
                _fgsm_variant(sign=False),
            ),
            Mistake(
                "fgsm-descends",
                "Step against the gradient",
                "x − ε·sign(∇ₓL) lowers the loss of the true label and makes the model more confident. The attack goes up the loss: x + ε·sign(∇ₓL).",
                _fgsm_variant(direction=-1.0),
            ),
            Mistake(
                "fgsm-always-clamps",
                "Clipped to [0, 1] when clamp is False",
                "The notes' FGSM does not clip (PyTorch's tutorial and torchattacks do). Clip only when clamp is True.",
                _fgsm_variant(clamp_rule="always"),
            ),
            Mistake(
                "fgsm-never-clamps",
                "Not clipped when clamp is True",
                "With clamp=True the adversarial image must stay a valid image: clip it to [0, 1] after the step.",
                _fgsm_variant(clamp_rule="never"),
            ),
            Mistake(
                "fgsm-predicted-label",
                "Loss of the predicted label, not the true one",
                "FGSM raises the loss of the TRUE label y. Using the model's own prediction changes the direction whenever the model is wrong.",
                _fgsm_variant(predicted=True),
            ),
            Mistake(
                "fgsm-zero-gradient-moved",
                "A zero gradient moved by +ε",
                "sign(0) = 0: a value whose gradient is exactly 0 (an ignored pixel, an example with no active unit) stays where it is. A test like gradient ≥ 0 → +1 moves it.",
                _fgsm_variant(zero_moves=True),
            ),
        ),
        properties=tuple(_properties()),
        forbidden=("torchattacks", "cleverhans", "foolbox", "art", "advertorch"),
    )
)
