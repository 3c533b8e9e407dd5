"""Exercise specs for lecture 6.2: binary cross-entropy from probabilities
and, computed stably, from logits."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.compare import allclose
from engine.reference import training
from engine.specs import register
from engine.specs.base import Case, ExerciseSpec, Mistake, Property, as_lists, per_case

# -------------------------------------------------------------- cross-entropy


def _bce_terms(y: Any, p: Any) -> np.ndarray:
    y, p = np.asarray(y, float), np.asarray(p, float)
    return y * np.log(p) + (1 - y) * np.log(1 - p)


def _bce_log_likelihood(y: Any, p: Any) -> float:
    return float(np.mean(_bce_terms(y, p)))


def _bce_sum(y: Any, p: Any) -> float:
    return float(-np.sum(_bce_terms(y, p)))


def _bce_log2(y: Any, p: Any) -> float:
    return float(-np.mean(_bce_terms(y, p)) / np.log(2))


def _labels_and_probabilities(rng: np.random.Generator, shape: Any) -> dict[str, Any]:
    return {
        "y": rng.integers(0, 2, size=shape).astype(float),
        "p": np.round(rng.uniform(0.02, 0.98, size=shape), 3),
    }


# Float32 arithmetic: the fixed cases' probabilities are exact in float32
# (p = 2^-13 ≈ 1.2e-4, 1 − 2^-13, 1 − 2^-10, …), so a float32 solution sees the
# very inputs the reference sees; each element's loss then carries a relative
# error of a few float32 ulps (~1e-7), and a random p (≥ 0.02, given to three
# decimals) rounded to float32 moves log(1 − p) by at most ~3e-6 relatively.
# Every term is ≥ 0, so the mean cancels nothing. An absolute floor covers
# log(1 − p) computed as log of 1 − p rounded near 1: ~3e-8 per element. An
# epsilon inside the log, log(p + 1e-7), moves the loss of "confident and
# wrong" by 9e-5 relatively: nine times the tolerance.
BCE_TOLERANCE = allclose(rtol=1e-5, atol=1e-7)


def bce_cases(seed: int) -> list[Case]:
    def case(name: str, y: Any, p: Any, label: str) -> Case:
        return Case(name, {"y": np.asarray(y, float), "p": np.asarray(p, float)}, label)

    cases = [
        case("one prediction", [1.0], [0.5], "edge: a single prediction"),
        case("confident and right", [1, 0, 1], [1 - 2**-13, 2**-13, 1 - 2**-10],
             "edge: confident, correct predictions cost almost nothing"),
        case("confident and wrong", [1, 0], [2**-13, 1 - 2**-13],
             "edge: confident, wrong predictions cost a lot"),
        case("all negatives", [0, 0, 0, 0], [0.25, 0.5, 0.125, 0.75], "edge: every label 0"),
        case("multi-label", [[1, 0, 1], [0, 0, 1]], [[0.75, 0.125, 0.5], [0.25, 0.375, 0.875]],
             "edge: a (N, k) batch of multi-label targets, averaged over all N·k"),
        case("soft labels", [0.25, 0.75, 0.5], [0.5, 0.25, 0.875],
             "edge: soft labels in [0, 1], as with label smoothing"),
        case("one bit?", [1, 0], [0.5, 0.5], "convention: natural log, so p = 0.5 costs ln 2"),
    ]  # fmt: skip
    rng = np.random.default_rng(seed)
    for i, shape in enumerate([(4,), (7,), (2, 3), (5,), (8,), (3, 2)]):
        cases.append(
            Case(
                f"random {i + 1}",
                _labels_and_probabilities(rng, shape),
                "random",
                hidden=i >= 4,
            )
        )
    return as_lists(cases)


def _not_negative(kwargs: dict[str, Any], got: Any) -> str | None:
    value = float(got)
    # NaN and infinities are reported by the comparator; this law is about sign.
    return (
        None
        if not np.isfinite(value) or value >= 0
        else f"the loss {value:g} is negative"
    )


BINARY_CROSS_ENTROPY = register(
    ExerciseSpec(
        id="binary_cross_entropy",
        title="Binary cross-entropy",
        topic="6.2",
        entry_point="binary_cross_entropy",
        signature="def binary_cross_entropy(y, p) -> float",
        statement=(
            "y holds labels in [0, 1] (usually 0 or 1) and p the predicted probabilities "
            "P(y = 1), arrays of the same shape, with 0 < p < 1. Return the loss "
            "−mean(y·log p + (1 − y)·log(1 − p)) over every element, natural log. The "
            "notes write y log p + (1 − y) log(1 − p): that is the log-likelihood, which "
            "training maximises; the loss is its negative. The loss is compared within "
            "a relative 1e-5 (absolute 1e-7 near 0), which float32 arithmetic meets. Use "
            "p as given: clipping p to [1e-7, 1 − 1e-7] changes nothing here, but an "
            "epsilon added inside the log, log(p + 1e-7), shifts the loss of confident "
            "predictions (p = 2^-13 ≈ 1.2e-4) beyond the tolerance."
            " Arrays arrive as nested Python lists: convert them with np.asarray or "
            "torch.tensor."
        ),
        reference=training.binary_cross_entropy,
        make_cases=bce_cases,
        compare=BCE_TOLERANCE,
        mistakes=(
            Mistake(
                "bce-log-likelihood",
                "The log-likelihood, not the loss",
                "y log p + (1 − y) log(1 − p) is the log-likelihood: it is never positive "
                "and training maximises it. The loss is its negative, −mean(…), which is "
                "≥ 0 and minimised.",
                _bce_log_likelihood,
                point="What sign does your result have? A loss is ≥ 0: look at the sign in front of the average you take.",
                fix="`y, p = np.asarray(y, float), np.asarray(p, float)`; `return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))`",
            ),
            Mistake(
                "bce-summed",
                "Summed instead of averaged",
                "Average the per-element losses (divide by the number of elements), as "
                "PyTorch and Keras do, so the loss does not grow with the batch size.",
                _bce_sum,
                point="How would your loss change if the same predictions came twice in one batch? Look at how you combine the per-element terms.",
                fix="`return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))`: `np.mean`, not `np.sum`",
            ),
            Mistake(
                "bce-log2",
                "Logarithm in base 2",
                "Cross-entropy losses use the natural log: a prediction p = 0.5 costs "
                "ln 2 ≈ 0.693, not 1 bit.",
                _bce_log2,
                point="Which logarithm do you use? Check your loss for the visible case 'one bit?', where p = 0.5.",
                fix="`np.log` (natural log) in place of `np.log2`: `-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))`",
            ),
        ),
        properties=(
            Property("bce-not-negative", "the loss is ≥ 0", per_case(_not_negative)),
        ),
        forbidden=(
            "torch.nn.functional.binary_cross_entropy",
            "torch.nn.BCELoss",
            "sklearn",
            "tensorflow",
            "keras",
        ),
    )
)

# ------------------------------------------------------------ logits version


def _logits_naive(y: Any, z: Any) -> float:
    with np.errstate(all="ignore"):
        p = 1 / (1 + np.exp(-np.asarray(z, float)))
        return float(-np.mean(_bce_terms(y, p)))


def _logits_no_abs(y: Any, z: Any) -> float:
    y, z = np.asarray(y, float), np.asarray(z, float)
    with np.errstate(all="ignore"):
        return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-z))))


def _logits_sum(y: Any, z: Any) -> float:
    return training.bce_with_logits(y, z) * np.asarray(z).size


def bce_logits_cases(seed: int) -> list[Case]:
    def case(name: str, y: Any, z: Any, label: str) -> Case:
        return Case(name, {"y": np.asarray(y, float), "z": np.asarray(z, float)}, label)

    cases = [
        case("logit zero", [1.0], [0.0], "edge: one logit 0, p = 0.5"),
        case("large logits", [1, 0, 0, 1, 1], [50, 50, -30, 3, -40],
             "edge: large logits, σ(50) rounds to 1.0 in float64"),
        case("logit 800", [1, 0], [800, 800], "edge: large logits, e^800 overflows"),
        case("negative logits", [1, 1, 0], [-2.0, -0.5, -1.0], "edge: negative logits"),
        case("batch", [[1, 0, 1], [0, 1, 0]], [[2.5, -1.0, 0.25], [-3.0, 0.5, 1.5]],
             "edge: a (N, k) batch, averaged over all N·k"),
    ]  # fmt: skip
    rng = np.random.default_rng(seed)
    for i, shape in enumerate([(5,), (3, 2), (8,), (6,), (4,), (2, 4)]):
        y = rng.integers(0, 2, size=shape).astype(float)
        z = np.round(rng.normal(0.0, 3.0, size=shape), 3)
        cases.append(Case(f"random {i + 1}", {"y": y, "z": z}, "random", hidden=i >= 4))
    return as_lists(cases)


BCE_WITH_LOGITS = register(
    ExerciseSpec(
        id="bce_with_logits",
        title="Binary cross-entropy from logits, computed stably",
        topic="6.2",
        entry_point="bce_with_logits",
        signature="def bce_with_logits(y, z) -> float",
        statement=(
            "y holds labels in [0, 1] and z the logits (p = σ(z) = 1/(1 + e^(−z))), arrays "
            "of the same shape. Return the binary cross-entropy −mean(y·log σ(z) + "
            "(1 − y)·log(1 − σ(z))), natural log, without ever forming σ(z): use the "
            "equivalent mean(max(z, 0) − z·y + log(1 + e^(−|z|))), which stays finite for "
            "logits of any size. The loss is compared within a relative 1e-5 (absolute "
            "1e-7 near 0), which float32 arithmetic meets."
            " Arrays arrive as nested Python lists: convert them with np.asarray or "
            "torch.tensor."
        ),
        reference=training.bce_with_logits,
        make_cases=bce_logits_cases,
        # Float32: a random logit (three decimals) rounded to float32 moves each
        # term by ≤ 6e-8·|z|, relatively tiny; every term is ≥ 0, so the mean
        # cancels nothing. The floor covers log(1 + e^(−|z|)) written without
        # log1p: 1 + e^(−|z|) rounds in float32 with an error of up to 6e-8.
        compare=allclose(rtol=1e-5, atol=1e-7),
        mistakes=(
            Mistake(
                "bce-logits-naive-sigmoid",
                "Sigmoid first, then the log",
                "For z ≥ 37, σ(z) rounds to exactly 1.0 in float64, so log(1 − σ(z)) is "
                "−inf and 0·(−inf) is NaN (and e^(−z) overflows for very negative z). "
                "Work with the logits: max(z, 0) − z·y + log(1 + e^(−|z|)).",
                _logits_naive,
                point="Where do you turn z into a probability? Work out σ(z) and log(1 − σ(z)) in floating point for the visible 'logit 800' case.",
                fix="`y, z = np.asarray(y, float), np.asarray(z, float)`; `return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))`",
            ),
            Mistake(
                "bce-logits-no-abs",
                "e^(−z) where the stable form has e^(−|z|)",
                "max(z, 0) − z·y + log(1 + e^(−|z|)) needs the absolute value: for z < 0, "
                "log(1 + e^(−z)) is |z| too large (and overflows for very negative z).",
                _logits_no_abs,
                point="Look at the exponent inside your log term: what does it give for a negative logit such as z = −2, as in the visible 'negative logits' case?",
                fix="`np.log1p(np.exp(-np.abs(z)))` in place of `np.log1p(np.exp(-z))`: the loss is `np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))`",
            ),
            Mistake(
                "bce-logits-summed",
                "Summed instead of averaged",
                "Average the per-element losses over every element, as "
                "BCEWithLogitsLoss does by default.",
                _logits_sum,
                point="How do you combine the per-element terms: would your loss double if the batch were the same data twice over?",
                fix="`return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))`: `np.mean`, not `np.sum`",
            ),
        ),
        properties=(
            Property(
                "bce-logits-not-negative", "the loss is ≥ 0", per_case(_not_negative)
            ),
        ),
        forbidden=(
            "torch.nn.functional.binary_cross_entropy_with_logits",
            "torch.nn.functional.binary_cross_entropy",
            "torch.nn.BCEWithLogitsLoss",
            "torch.nn.BCELoss",
            "torch.nn.functional.logsigmoid",
            "torch.nn.functional.softplus",
            "sklearn",
            "tensorflow",
            "keras",
        ),
    )
)
