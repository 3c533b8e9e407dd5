"""Exercise spec for lecture 6.5: the fast gradient sign method on a fixed
two-layer network, with clipping to [0, 1] only on request."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from engine.compare import allclose
from engine.reference import adversarial
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    per_case,
)

_NO_MOVE = 1e-10  # |gradient| at or below this: sign ambiguous, position not checked
_CLEAR = 1e-6  # generated cases keep every other |gradient| above this


def _round(values: np.ndarray) -> Any:
    return np.round(values, 2).tolist()


def _input_gradient(x: Any, y: Any, w1: Any, b1: Any, w2: Any, b2: Any) -> np.ndarray:
    """∇ₓ of the mean cross-entropy, derived by hand in NumPy: the same values
    as the reference's autograd (to rounding), for the spec's own checks and
    mistakes, without torch's per-call overhead."""
    inputs = np.asarray(x, dtype=float)
    batch = inputs.reshape(-1, inputs.shape[-1])
    labels = np.asarray(y, dtype=np.int64).reshape(-1)
    w1, b1, w2, b2 = (np.asarray(v, dtype=float) for v in (w1, b1, w2, b2))
    pre = batch @ w1.T + b1
    logits = np.maximum(pre, 0.0) @ w2.T + b2
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    probs[np.arange(len(labels)), labels] -= 1.0
    gradient = ((probs @ w2) * (pre > 0)) @ w1 / len(labels)
    result: np.ndarray = gradient.reshape(inputs.shape)
    return result


def _gradient(kwargs: dict[str, Any]) -> np.ndarray:
    names = ("x", "y", "w1", "b1", "w2", "b2")
    return _input_gradient(*(kwargs[name] for name in names))


def _fgsm_variant(
    *,
    sign: bool = True,
    direction: float = 1.0,
    clamp_rule: str = "as asked",
    clip_low: bool = True,
    clip_high: bool = True,
    predicted: bool = False,
    zero_moves: bool = False,
) -> Callable[..., np.ndarray]:
    """FGSM with one thing changed. clamp_rule: "as asked", "always" or
    "never"; clip_low / clip_high: which side the clipping acts on."""

    def run(
        x: Any, y: Any, w1: Any, b1: Any, w2: Any, b2: Any, epsilon: float, clamp: bool
    ) -> np.ndarray:
        inputs = np.asarray(x, dtype=float)
        if predicted:
            batch = inputs.reshape(-1, inputs.shape[-1])
            hidden = np.maximum(batch @ np.asarray(w1).T + np.asarray(b1), 0.0)
            logits = hidden @ np.asarray(w2).T + np.asarray(b2)
            y = logits.argmax(axis=1).reshape(np.shape(y))
        gradient = _input_gradient(inputs, y, w1, b1, w2, b2)
        if not sign:
            step = gradient
        elif zero_moves:
            step = np.where(gradient >= 0, 1.0, -1.0)
        else:
            step = np.sign(gradient)
        moved = inputs + direction * epsilon * step
        if clamp_rule == "always" or (clamp_rule == "as asked" and clamp):
            moved = np.clip(
                moved, 0.0 if clip_low else None, 1.0 if clip_high else None
            )
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


def _leaves(case: dict[str, Any]) -> set[str]:
    """Where the unclipped step goes outside [0, 1]: "below", "above" or both."""
    moved = np.asarray(case["x"], dtype=float) + case["epsilon"] * np.sign(
        _gradient(case)
    )
    sides = set()
    if moved.min() < 0:
        sides.add("below")
    if moved.max() > 1:
        sides.add("above")
    return sides


def _attack(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    epsilon: float,
    clamp: bool,
    span: tuple[float, float] = (0.15, 0.85),
    adjust: Callable[[dict[str, Any]], None] | None = None,
    leaves: set[str] | None = None,
) -> dict[str, Any]:
    """x uniform in `span`, random labels and model, redrawn until `_clear`
    (and, when `leaves` is given, until the unclipped step leaves [0, 1] on
    exactly those sides)."""
    while True:
        x = rng.uniform(*span, size=shape)
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
        if alive and _clear(case) and (leaves is None or _leaves(case) == leaves):
            return case


def _every_example_fires(case: dict[str, Any]) -> bool:
    x = np.asarray(case["x"], dtype=float).reshape(-1, np.shape(case["w1"])[1])
    pre = x @ np.asarray(case["w1"]).T + np.asarray(case["b1"])
    return bool((pre > 0).any(axis=1).all())


def _ignore_pixel_2(case: dict[str, Any]) -> None:
    case["w1"] = [[*row[:2], 0.0, *row[3:]] for row in case["w1"]]


def _kill_example_1(case: dict[str, Any]) -> None:
    """Positive W1, negative b1 and a black second image: no unit fires for it."""
    case["w1"] = [[abs(v) for v in row] for row in case["w1"]]
    case["b1"] = [-abs(v) - 0.05 for v in case["b1"]]
    case["x"][1] = [0.0] * len(case["x"][1])


@functools.cache
def _fixed_cases() -> tuple[Case, ...]:
    """The same at every seed: each drawn from its own fixed generator (made
    once, on first use, and copied for every seed)."""

    def rng(number: int) -> np.random.Generator:
        return np.random.default_rng(6500 + number)

    return (
        Case(
            "one example",
            _attack(rng(1), (4,), 0.05, False),
            "edge: a single example (1-D) and its label",
        ),
        Case(
            "batch of one",
            _attack(rng(2), (1, 5), 0.1, False),
            "edge: a batch of one, (1, D)",
        ),
        Case(
            "batch",
            _attack(rng(8), (5, 6), 0.05, False),
            "edge: a batch of five examples with their labels",
        ),
        Case(
            "ignored pixel",
            _attack(rng(3), (2, 5), 0.05, False, adjust=_ignore_pixel_2),
            "convention: the model ignores pixel 2 (a zero column of W1): its "
            "gradient is 0 and sign(0) = 0, so it stays",
        ),
        Case(
            "dead example",
            _attack(rng(4), (2, 4), 0.05, False, adjust=_kill_example_1),
            "edge: no hidden unit fires for example 1: zero gradient, it stays",
        ),
        Case(
            "no clamp",
            _attack(rng(5), (3, 4), 0.1, False, (0.0, 1.0), leaves={"below", "above"}),
            "convention: clamp=False: nothing is clipped, values go below 0 and "
            "above 1",
        ),
        Case(
            "clamp below 0",
            _attack(rng(6), (3, 4), 0.1, True, (0.0, 0.85), leaves={"below"}),
            "convention: clamp=True and some values of x + ε·sign(∇) fall below 0: "
            "they become 0 (none exceed 1)",
        ),
        Case(
            "clamp above 1",
            _attack(rng(7), (3, 4), 0.1, True, (0.15, 1.0), leaves={"above"}),
            "convention: clamp=True and some values of x + ε·sign(∇) exceed 1: "
            "they become 1 (none fall below 0)",
        ),
    )


def fgsm_cases(seed: int) -> list[Case]:
    cases = copy.deepcopy(list(_fixed_cases()))
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
    if not kwargs["clamp"]:
        return None
    values = np.asarray(got, dtype=float)
    problems = []
    if values.min() < 0:
        problems.append(f"a value below 0 ({values.min():g}) is not clipped to 0")
    if values.max() > 1:
        problems.append(f"a value above 1 ({values.max():g}) is not clipped to 1")
    return "with clamp=True " + " and ".join(problems) if problems else None


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


_ONE = "one example x of shape (D,) gives an array of shape (D,)"
_BATCH = "a batch x of shape (N, D) gives an array of shape (N, D), also for N = 1"

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
            "notes do not clip: only when clamp is True, clip the result to [0, 1] "
            "(values below 0 become 0, values above 1 become 1). Shapes: "
            f"{_ONE}; {_BATCH}. You may use torch autograd."
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
                point="How far does each value of x move in your step? Compare |x_adv − x| across the values of one example: what decides the size of each move?",
                fix="`x_adv = x + epsilon * np.sign(grad)` (torch: `x + epsilon * grad.sign()`), where `grad` is ∇ₓ of the loss",
            ),
            Mistake(
                "fgsm-descends",
                "Step against the gradient",
                "x − ε·sign(∇ₓL) lowers the loss of the true label and makes the model more confident. The attack goes up the loss: x + ε·sign(∇ₓL).",
                _fgsm_variant(direction=-1.0),
                point="Check the sign of your step: does it make the loss of the true label larger or smaller?",
                fix="`x_adv = x + epsilon * np.sign(grad)`: add the step, with `grad` the gradient of the true labels' cross-entropy with respect to x",
            ),
            Mistake(
                "fgsm-always-clamps",
                "Clipped to [0, 1] when clamp is False",
                "The notes' FGSM does not clip (PyTorch's tutorial and torchattacks do). Clip only when clamp is True.",
                _fgsm_variant(clamp_rule="always"),
                point="Where does your code look at the `clamp` argument before clipping? Try the visible case 'no clamp'.",
                fix="`if clamp: x_adv = np.clip(x_adv, 0.0, 1.0)`, and otherwise return `x_adv` as the step left it",
            ),
            Mistake(
                "fgsm-never-clamps",
                "Not clipped when clamp is True",
                "With clamp=True the adversarial image must stay a valid image: clip it to [0, 1] after the step.",
                _fgsm_variant(clamp_rule="never"),
                point="What does your function do with the `clamp` argument? Try the visible case 'clamp below 0'.",
                fix="After the step: `if clamp: x_adv = np.clip(x_adv, 0.0, 1.0)` (torch: `x_adv = x_adv.clamp(0.0, 1.0)`)",
            ),
            Mistake(
                "fgsm-clips-only-below",
                "Values above 1 not clipped",
                "With clamp=True you clipped at 0 only (e.g. np.maximum(x, 0) or clamp(min=0)). Clip on both sides: values above 1 become 1 as well, e.g. np.clip(x, 0, 1).",
                _fgsm_variant(clip_high=False),
                point="With clamp=True, look at the upper side of your clipping: what happens to a value the step pushes above 1? Try the visible case 'clamp above 1'.",
                fix="`if clamp: x_adv = np.clip(x_adv, 0.0, 1.0)` (torch: `x_adv.clamp(0.0, 1.0)`, with the max as well as the min)",
            ),
            Mistake(
                "fgsm-clips-only-above",
                "Values below 0 not clipped",
                "With clamp=True you clipped at 1 only (e.g. np.minimum(x, 1) or clamp(max=1)). Clip on both sides: values below 0 become 0 as well, e.g. np.clip(x, 0, 1).",
                _fgsm_variant(clip_low=False),
                point="With clamp=True, look at the lower side of your clipping: what happens to a value the step pushes below 0? Try the visible case 'clamp below 0'.",
                fix="`if clamp: x_adv = np.clip(x_adv, 0.0, 1.0)` (torch: `x_adv.clamp(0.0, 1.0)`, with the min as well as the max)",
            ),
            Mistake(
                "fgsm-predicted-label",
                "Loss of the predicted label, not the true one",
                "FGSM raises the loss of the TRUE label y. Using the model's own prediction changes the direction whenever the model is wrong.",
                _fgsm_variant(predicted=True),
                point="Which labels go into your loss: the y you were given, or the model's own argmax?",
                fix="`loss = torch.nn.functional.cross_entropy(logits, torch.as_tensor(y).reshape(-1))` with the given `y` (`logits` computed from x reshaped to an (N, D) batch), not `logits.argmax(dim=1)`",
            ),
            Mistake(
                "fgsm-zero-gradient-moved",
                "A zero gradient moved by +ε",
                "sign(0) = 0: a value whose gradient is exactly 0 (an ignored pixel, an example with no active unit) stays where it is. A test like gradient ≥ 0 → +1 moves it.",
                _fgsm_variant(zero_moves=True),
                point="How do you turn the gradient into ±1? Look at what your code gives where the gradient is exactly 0, as for pixel 2 in the visible case 'ignored pixel'.",
                fix="`step = np.sign(grad)` (torch: `grad.sign()`), which is 0 where `grad == 0`, in place of `np.where(grad >= 0, 1, -1)`",
            ),
        ),
        properties=tuple(_properties()),
        forbidden=("torchattacks", "cleverhans", "foolbox", "art", "advertorch"),
        shapes=(
            ShapePromise(
                _ONE,
                lambda kwargs: np.ndim(kwargs["x"]) == 1,
                lambda kwargs: (len(kwargs["x"]),),
            ),
            ShapePromise(
                _BATCH,
                lambda kwargs: np.ndim(kwargs["x"]) == 2,
                lambda kwargs: tuple(np.shape(kwargs["x"])),
            ),
        ),
    )
)
