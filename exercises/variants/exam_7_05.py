"""Exam-level variants for lecture 7.5 (the maths of skip-gram): the
log-probability of a whole context window under the independence assumption,
the objective of code that adds the noise scores before the log-sigmoid, and
one step of gradient ascent on t (error carried forward where parts build on
each other)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch.nn import functional as F  # noqa: N812

from engine.reference import embeddings
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw, scalar, shaped, sigmoid

WINDOWS = (
    ("apricot", ("tablespoon", "of", "jam", "a")),
    ("tea", ("poured", "hot", "into", "two")),
    ("rain", ("heavy", "flooded", "every", "narrow")),
    ("robot", ("small", "a", "carried", "bright")),
)
SCORES = np.array([s for s in np.arange(-1.5, 2.75, 0.25) if abs(s) >= 0.25])
HALF_SCORES = np.array([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0])
HALVES = np.arange(-1.5, 1.75, 0.5)  # −1.5, −1, …, 1.5
ONE = np.array([1.0])  # a 1-D target: t · c is then the context's own number


def _log_probability(scores: np.ndarray) -> float:
    """log P(+ | t, c_1…c_L) = Σ_i log σ(t·c_i), from the engine's objective
    with no noise words (t = 1 in one dimension, so t·c_i is the score)."""
    return embeddings.skipgram_objective(ONE, scores[:, None], np.zeros((0, 1)))


# ------------------------------------------------ independence over a window


def _window_draw(rng: np.random.Generator) -> np.ndarray | None:
    scores = rng.choice(SCORES, size=4)
    product = float(np.exp(_log_probability(scores)))
    lumped = embeddings.positive_probability(ONE, [scores.sum()])
    if product < 0.02 or abs(product - lumped) < 0.05:
        return None
    if abs(product - float(sigmoid(scores).mean())) < 0.05:
        return None
    return scores


def _window_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if answer["product"] < 0.02:
        return f"the window's probability {answer['product']:g} is too small to read"
    if abs(answer["product"] - variant.values["lumped"]) < 0.05:
        return "σ of the summed scores is within 0.05 of the product"
    if abs(answer["log_p"] - float(np.log(answer["product"]))) > 1e-9:
        return "the log-probability is not the log of the product"
    return None


@generator(
    "exam_window_logprob",
    guarantees=(
        "a target and L = 4 context words with scores t·c_i in {−1.5, −1.25, …, 2.5}, none 0",
        "P(+ | t, c_1…c_4) ≥ 0.02",
        "σ(Σ_i t·c_i) and the mean of the σ(t·c_i) each miss the product by ≥ 0.05",
        "answers from the engine: positive_probability and skipgram_objective (no noise words)",
    ),
    holds=_window_holds,
)
def exam_window_logprob(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    target, contexts = WINDOWS[int(rng.integers(len(WINDOWS)))]
    scores = bounded_draw(rng, _window_draw)
    probabilities = np.array(
        [embeddings.positive_probability(ONE, [s]) for s in scores]
    )
    log_p = _log_probability(scores)
    answer = {
        "probabilities": probabilities,
        "product": float(np.exp(log_p)),
        "log_p": log_p,
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The product from the student's own σ values; its log from their own product."""
        if part == "product" and "probabilities" in earlier:
            own = shaped(earlier["probabilities"], (4,))
            return float(np.prod(own)) if own is not None else None
        if part == "log_p" and "product" in earlier:
            own_product = scalar(earlier["product"])
            return float(np.log(own_product)) if own_product > 0 else None
        return None

    values = {
        "target": target,
        "rows": [
            {"word": w, "score": s, "probability": p, "log": float(np.log(p))}
            for w, s, p in zip(contexts, scores, probabilities, strict=True)
        ],
        "scores": scores,
        "score_sum": float(scores.sum()),
        "lumped": embeddings.positive_probability(ONE, [scores.sum()]),
        **answer,
    }
    return Variant(values=values, answer=answer, follow=follow)


# --------------------------------- the noise scores added before the log-sigmoid


def _buggy(context: float, noise: np.ndarray) -> tuple[float, np.ndarray]:
    """What the snippet returns, log σ(t·c) + log σ(−Σ_j t·n_j), and its
    gradient with respect to each noise score (torch autograd)."""
    u = torch.tensor(noise, dtype=torch.float64, requires_grad=True)
    value = F.logsigmoid(torch.tensor(context, dtype=torch.float64)) + F.logsigmoid(
        -u.sum()
    )
    value.backward()
    assert u.grad is not None
    return float(value.detach()), u.grad.numpy().copy()


def _sum_bug_draw(rng: np.random.Generator) -> tuple[float, np.ndarray] | None:
    context = float(rng.choice(HALF_SCORES))
    noise = rng.choice(HALF_SCORES, size=3)
    right = embeddings.skipgram_objective(ONE, [[context]], noise[:, None])
    code, gradient = _buggy(context, noise)
    notes_gradient = -sigmoid(noise)
    if (
        abs(right - code) < 0.2
        or np.abs(gradient - notes_gradient).max() < 0.1
        or abs(noise.sum()) < 0.5
        or code < -12
    ):
        return None
    return context, noise


def _sum_bug_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if abs(answer["notes"] - answer["code"]) < 0.2:
        return "the buggy objective is within 0.2 of the right one"
    gap = np.abs(answer["gradient"] - variant.values["notes_gradient"]).max()
    if gap < 0.1:
        return "the buggy gradient is within 0.1 of the right one"
    return None


@generator(
    "exam_noise_sum_bug",
    guarantees=(
        "one context score and k = 3 noise scores in {±0.5, ±1, ±1.5, ±2}",
        "|Σ_j t·n_j| ≥ 0.5; the snippet's value misses J by ≥ 0.2",
        "the snippet's gradient misses −σ(t·n_j) by ≥ 0.1 for some noise word",
        "J from the engine's skipgram_objective; the snippet's value and gradient from torch",
    ),
    holds=_sum_bug_holds,
)
def exam_noise_sum_bug(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    context, noise = bounded_draw(rng, _sum_bug_draw)
    code, gradient = _buggy(context, noise)
    answer = {
        "notes": embeddings.skipgram_objective(ONE, [[context]], noise[:, None]),
        "code": code,
        "gradient": gradient,
    }
    values = {
        "context": context,
        "noise": noise,
        "noise_sum": float(noise.sum()),
        "log_context": float(F.logsigmoid(torch.tensor(context, dtype=torch.float64))),
        "noise_terms": [
            float(F.logsigmoid(torch.tensor(-u, dtype=torch.float64))) for u in noise
        ],
        "sigma_sum": float(sigmoid(np.array(noise.sum()))),
        "notes_gradient": -sigmoid(noise),
        **answer,
    }
    return Variant(values=values, answer=answer)


# ------------------------------------------------- one step of gradient ascent


def _update_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    t, c, n1, n2 = rng.choice(HALVES, size=(4, 2))
    rate = float(rng.choice([0.5, 1.0]))
    scores = np.array([t @ c, t @ n1, t @ n2])
    if not np.all((np.abs(scores) >= 0.25) & (np.abs(scores) <= 3)):
        return None
    gradient = embeddings.skipgram_gradients(t, c[None, :], np.stack([n1, n2]))[0]
    grad = gradient.numpy()
    updated = t + rate * grad
    before = embeddings.positive_probability(t, c)
    after = embeddings.positive_probability(updated, c)
    if np.abs(grad).max() < 0.2 or after - before < 0.03:
        return None
    return {
        "t": t, "c": c, "n1": n1, "n2": n2, "rate": rate, "scores": scores,
        "grad": grad, "updated": updated, "before": before, "after": after,
    }  # fmt: skip


def _update_holds(variant: Variant) -> str | None:
    values = variant.values
    if np.abs(variant.answer["grad_t"]).max() < 0.2:
        return "the gradient is ~0"
    if values["after"] - values["before"] < 0.03:
        return "the step does not raise σ(t·c) by 0.03"
    if np.abs(values["scores"]).min() < 0.25:
        return "a score is within 0.25 of 0"
    return None


@generator(
    "exam_sgns_update",
    guarantees=(
        "t, one context c and two noise words n1, n2 in 2-D, entries in {−1.5, …, 1.5}",
        "every score |t·c|, |t·n_j| is between 0.25 and 3; learning rate 0.5 or 1",
        "the gradient has an entry ≥ 0.2 in size; the step raises σ(t·c) by ≥ 0.03",
        "answers from the engine's skipgram_gradients and positive_probability",
    ),
    holds=_update_holds,
)
def exam_sgns_update(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    drawn = bounded_draw(rng, _update_draw)
    t, c, rate = drawn["t"], drawn["c"], drawn["rate"]
    answer = {
        "grad_t": drawn["grad"],
        "t_new": drawn["updated"],
        "p_new": drawn["after"],
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The new t from the student's own gradient; σ from their own new t."""
        if part == "t_new" and "grad_t" in earlier:
            own = shaped(earlier["grad_t"], (2,))
            return t + rate * own if own is not None else None
        if part == "p_new" and "t_new" in earlier:
            own = shaped(earlier["t_new"], (2,))
            return embeddings.positive_probability(own, c) if own is not None else None
        return None

    sigmas = sigmoid(drawn["scores"])
    values = {
        **{key: drawn[key] for key in ("t", "c", "n1", "n2", "rate", "scores")},
        "sigma_c": float(sigmas[0]),
        "sigma_n1": float(sigmas[1]),
        "sigma_n2": float(sigmas[2]),
        "score_c": float(drawn["scores"][0]),
        "score_n1": float(drawn["scores"][1]),
        "score_n2": float(drawn["scores"][2]),
        "before": drawn["before"],
        "after": drawn["after"],
        "score_after": float(drawn["updated"] @ c),
        **answer,
    }
    return Variant(values=values, answer=answer, follow=follow)
