"""Exercise specs for lecture 7.5: the skip-gram negative-sampling objective
J(t) and its gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.compare import allclose, fields
from engine.reference import embeddings
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    per_case,
)
from engine.specs.embeddings import NO_LIBRARIES


def sgns_cases(seed: int) -> list[Case]:
    """Cases with kwargs (target (D,), contexts (L, D), noises (k, D))."""
    edge = [
        ("one of each", [0.5, -1.0], [[1.0, 0.25]], [[2.0, 1.0]],
         "edge: one context and one noise word"),
        ("notes k=2", [0.5, 0.25, -0.5], [[1.0, 0.5, 0.0]],
         [[-0.5, 1.0, 0.5], [1.0, 1.0, 0.5]],
         "edge: the notes' k = 2 noise words for one context"),
        ("zero target", [0.0, 0.0, 0.0], [[1.0, 2.0, 0.0]],
         [[0.5, 0.0, 1.0], [-1.0, 1.0, 1.0]], "edge: every score is 0, σ = 1/2"),
        ("length one", [2.0], [[0.5], [1.5]], [[-1.0]], "edge: vectors of length 1"),
        ("large scores", [10.0, 0.0, 0.0], [[12.0, 1.0, 0.0]],
         [[-12.0, 0.0, 1.0], [12.0, 0.0, 0.0]],
         "edge: scores ±120; σ saturates, log σ must stay finite"),
    ]  # fmt: skip
    cases = [
        Case(
            name,
            {"target": np.array(t), "contexts": np.array(c), "noises": np.array(n)},
            label,
        )
        for name, t, c, n, label in edge
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        size = int(rng.integers(3, 7))
        shapes = {"target": (size,), "contexts": (int(rng.integers(1, 5)), size)}
        shapes["noises"] = (int(rng.integers(2, 6)), size)
        kwargs = {
            key: np.round(rng.normal(0.0, 0.7, size=shape), 3)
            for key, shape in shapes.items()
        }
        cases.append(Case(f"random {i + 1}", kwargs, "random", hidden=i >= 4))
    return cases


def _log_sigmoid(x: np.ndarray) -> np.ndarray:
    return -np.logaddexp(0.0, -x)


def _objective_variant(
    *, scale: str = "sum", sign: float = 1.0, noise_sign: float = -1.0,
    sum_first: bool = False,
) -> Any:  # fmt: skip
    def run(target: np.ndarray, contexts: np.ndarray, noises: np.ndarray) -> float:
        positive = _log_sigmoid(contexts @ target)
        scores = noises @ target
        negative = _log_sigmoid(
            noise_sign * (scores.sum(keepdims=True) if sum_first else scores)
        )
        total = float(positive.sum() + negative.sum())
        if scale == "mean":
            total /= len(contexts) + len(noises)
        return sign * total

    return run


def _at_most_zero(kwargs: dict[str, Any], got: Any) -> str | None:
    value = float(got)
    return None if value <= 1e-9 else f"J = {value:g} > 0"


SKIPGRAM_OBJECTIVE = register(
    ExerciseSpec(
        id="skipgram_objective",
        title="Skip-gram negative-sampling objective J(t)",
        topic="7.5",
        entry_point="skipgram_objective",
        signature="def skipgram_objective(target, contexts, noises) -> float",
        statement=(
            "target is the target word's vector t, shape (D,); contexts the L "
            "positive context vectors c_i, shape (L, D); noises the k noise vectors "
            "n_j, shape (k, D). Return the notes' objective (to be maximised) "
            "J = Σ_i log σ(t·c_i) + Σ_j log σ(−t·n_j), summed, natural log. Scores "
            "can be large: compute log σ(x) in a way that stays finite."
        ),
        reference=embeddings.skipgram_objective,
        make_cases=sgns_cases,
        compare=allclose(rtol=1e-5, atol=1e-6),
        mistakes=(
            Mistake(
                "skipgram-objective-loss",
                "The loss −J instead of J",
                "J is a sum of log-probabilities, so it is ≤ 0 and training maximises "
                "it. You returned the loss −J that PyTorch code minimises.",
                _objective_variant(sign=-1.0),
                point="Look at the sign of your result: can a sum of logarithms of "
                "probabilities be positive?",
                fix="`return log_sigmoid(contexts @ target).sum() + "
                "log_sigmoid(-(noises @ target)).sum()` with no minus in front, where "
                "`log_sigmoid(x) = -np.logaddexp(0, -x)`.",
            ),
            Mistake(
                "skipgram-objective-mean",
                "Terms averaged instead of summed",
                "The notes' J adds the L + k log-probabilities; do not divide by "
                "their number.",
                _objective_variant(scale="mean"),
                point="Look at the last operation before you return: does the "
                "statement's J divide by anything?",
                fix="Add the terms with `.sum()`: `log_sigmoid(contexts @ target).sum()"
                " + log_sigmoid(-(noises @ target)).sum()`, not `.mean()` or a "
                "division by `len(contexts) + len(noises)`.",
            ),
            Mistake(
                "skipgram-objective-sum-before-logsigmoid",
                "Noise scores summed inside log σ",
                "Each noise word is an independent negative example with its own "
                "term log σ(−t·n_j). log σ(−Σ_j t·n_j) is a different quantity.",
                _objective_variant(sum_first=True),
                point="Look at the noise term: k noise words should give k log σ "
                "terms; how many does your code compute?",
                fix="`log_sigmoid(-(noises @ target)).sum()`: the log σ of each score, "
                "then the sum, not `log_sigmoid(-(noises @ target).sum())`.",
            ),
            Mistake(
                "skipgram-objective-noise-sign",
                "log σ(t·n_j) for the noise words",
                "Noise words are negative examples: their probability is "
                "P(−|t, n) = 1 − σ(t·n) = σ(−t·n). Use log σ(−t·n_j).",
                _objective_variant(noise_sign=1.0),
                point="Compare the argument of log σ in your noise term with the one "
                "in the statement's J: which sign does t·n_j carry?",
                fix="`log_sigmoid(-(noises @ target)).sum()`, with the minus on the "
                "scores, for the noise term.",
            ),
        ),
        properties=(
            Property(
                "skipgram-objective-non-positive",
                "J ≤ 0 (a sum of log-probabilities)",
                per_case(_at_most_zero),
            ),
        ),
        forbidden=NO_LIBRARIES,
    )
)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.exp(_log_sigmoid(x))


def _gradients_variant(
    *, sign: float = 1.0, noise_in_target: bool = True, positive_sigma: bool = False
) -> Any:
    def run(target: np.ndarray, contexts: np.ndarray, noises: np.ndarray) -> Any:
        pos = contexts @ target
        pull = _sigmoid(pos) if positive_sigma else _sigmoid(-pos)
        push = _sigmoid(noises @ target)
        grad_t = pull @ contexts - (push @ noises if noise_in_target else 0.0)
        grads = (grad_t, np.outer(pull, target), -np.outer(push, target))
        return tuple(sign * g for g in grads)

    return run


def _ascent_directions(kwargs: dict[str, Any], got: Any) -> str | None:
    target = np.asarray(kwargs["target"], float)
    towards = np.asarray(got[1], float) @ target
    away = np.asarray(got[2], float) @ target
    if (towards >= -1e-12).all() and (away <= 1e-12).all():
        return None
    return "∂J/∂c_i must point along +t and ∂J/∂n_j along −t"


SGNS_INPUTS = ("target", "contexts", "noises")
GRADIENT_SHAPES = "three arrays of shapes (D,), (L, D) and (k, D)"
ONE_ROW = "a single context or noise word still gives a 2-D array of shape (1, D)"


def _gradient_shapes(kwargs: dict[str, Any]) -> tuple[tuple[int, ...], ...]:
    (size,), contexts, noises = (np.shape(kwargs[key]) for key in SGNS_INPUTS)
    return (size,), tuple(contexts), tuple(noises)


_GRADIENT = allclose(rtol=1e-5, atol=1e-6)
_AUTOGRAD = (
    "torch.autograd",
    "torch.Tensor.backward",
    "torch.func",
    "functorch",
    "jax",
)

SKIPGRAM_GRADIENTS = register(
    ExerciseSpec(
        id="skipgram_gradients",
        title="Gradients of the skip-gram objective",
        topic="7.5",
        entry_point="skipgram_gradients",
        signature="def skipgram_gradients(target, contexts, noises) -> tuple",
        statement=(
            "With t (D,), contexts c_i (L, D) and noises n_j (k, D) as in the "
            "objective J = Σ_i log σ(t·c_i) + Σ_j log σ(−t·n_j), return the tuple "
            f"(∂J/∂t, ∂J/∂C, ∂J/∂N) as {GRADIENT_SHAPES}: row i of ∂J/∂C is "
            f"∂J/∂c_i, row j of ∂J/∂N is ∂J/∂n_j, and {ONE_ROW}. These are the "
            "gradients of J itself (the quantity maximised), not of the loss −J. "
            "Derive them by hand; autograd is not allowed."
        ),
        reference=embeddings.skipgram_gradients,
        make_cases=sgns_cases,
        compare=fields(
            ("∂J/∂t", _GRADIENT), ("∂J/∂C", _GRADIENT), ("∂J/∂N", _GRADIENT)
        ),
        mistakes=(
            Mistake(
                "skipgram-grad-loss-sign",
                "Gradients of the loss −J",
                "These are the gradients of the loss −J, every sign flipped. The "
                "exercise asks for ∂J/∂·: gradient ascent on J moves c_i towards t, "
                "so ∂J/∂c_i = (1 − σ(t·c_i)) t points along t.",
                _gradients_variant(sign=-1.0),
                point="Look at the signs of your three gradients: does your ∂J/∂c_i "
                "point towards t or away from it, and which should it?",
                fix="`pull = 1 - sigmoid(contexts @ target)`, `push = "
                "sigmoid(noises @ target)`, then `return pull @ contexts - push @ "
                "noises, np.outer(pull, target), -np.outer(push, target)`.",
            ),
            Mistake(
                "skipgram-grad-target-without-noise",
                "∂J/∂t misses the noise words",
                "t appears in every term of J, the noise terms too: ∂J/∂t = "
                "Σ_i (1 − σ(t·c_i)) c_i − Σ_j σ(t·n_j) n_j.",
                _gradients_variant(noise_in_target=False),
                point="Look at your ∂J/∂t: which terms of J contain t, and did you "
                "differentiate every one of them?",
                fix="`grad_t = pull @ contexts - push @ noises` with `pull = 1 - "
                "sigmoid(contexts @ target)` and `push = sigmoid(noises @ target)`.",
            ),
            Mistake(
                "skipgram-grad-sigma-not-one-minus",
                "σ(t·c) where 1 − σ(t·c) belongs",
                "d/dx log σ(x) = 1 − σ(x), so each context term is weighted by "
                "1 − σ(t·c_i) = σ(−t·c_i): a context already predicted well moves "
                "little.",
                _gradients_variant(positive_sigma=True),
                point="Look at the weight you give each context vector: what is the "
                "derivative of log σ(x) with respect to x?",
                fix="`pull = 1 - sigmoid(contexts @ target)` (the same as "
                "`sigmoid(-(contexts @ target))`), used in both `pull @ contexts` and "
                "`np.outer(pull, target)`.",
            ),
        ),
        properties=(
            Property(
                "skipgram-grad-directions",
                "∂J/∂c_i points along t and ∂J/∂n_j against it",
                per_case(_ascent_directions),
            ),
        ),
        shapes=(
            ShapePromise(GRADIENT_SHAPES, lambda kwargs: True, _gradient_shapes),
            ShapePromise(
                ONE_ROW,
                lambda kw: len(kw["contexts"]) == 1 or len(kw["noises"]) == 1,
                _gradient_shapes,
            ),
        ),
        forbidden=NO_LIBRARIES + _AUTOGRAD,
    )
)
