"""Variants for lecture 7.4–7.5: skip-gram pairs, the CBOW average, σ(t·c), the
objective J and its gradient (error carried forward)."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.reference import embeddings
from exercises.variants import Variant, generator
from exercises.variants._common import NEAR, differs, matrix_text

SENTENCES = (
    "my neighbour spreads apricot jam on warm toast",
    "the old fisherman mended his nets before dawn",
    "a small robot carried bright boxes across the hall",
    "heavy rain flooded every narrow street in town",
    "our team trained word vectors on news articles",
    "she poured hot tea into two blue cups",
)
PHRASES = (
    "spread apricot jam on toast",
    "a tablespoon of sugar please",
    "the cat chased red mice",
    "cold rain fell all night",
    "we trained dense word vectors",
)
HALVES = np.arange(-1.5, 1.75, 0.5)  # −1.5, −1, …, 1.5
TABLE_VALUES = np.arange(-1.0, 2.5, 0.5)  # −1, −0.5, …, 2


def _sigmoid(x: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def _sentence(rng: np.random.Generator) -> list[str]:
    return str(rng.choice(SENTENCES)).split()


# ------------------------------------------------------- 7.4 pairs and CBOW input


def _pair_count_holds(variant: Variant) -> str | None:
    if variant.answer == variant.values["no_edges"]:
        return "no position is near an edge of the sentence"
    return None


@generator(
    "skipgram_pair_count",
    guarantees=(
        "a sentence of 5 to 10 distinct words and a window of ±1, ±2 or ±3",
        "the window is cut at an edge somewhere (count < 2 · window · length)",
        "the count from the engine's skipgram_pairs (fixed window, every occurrence)",
    ),
    holds=_pair_count_holds,
)
def skipgram_pair_count(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    words = _sentence(rng)
    tokens = words[: int(rng.integers(5, len(words) + 1))]
    window = int(rng.integers(1, 4))
    count = len(embeddings.skipgram_pairs(tokens, window))
    values = {
        "sentence": " ".join(tokens),
        "length": len(tokens),
        "window": window,
        "count": count,
        "no_edges": 2 * window * len(tokens),
        "half": count / 2,
        "per_position": [
            str(min(i, window) + min(len(tokens) - 1 - i, window))
            for i in range(len(tokens))
        ],
    }
    return Variant(values=values, answer=count)


def _contexts_holds(variant: Variant) -> str | None:
    if sorted(variant.values["wider"]) == sorted(variant.answer):
        return "a window one wider gives the same contexts"
    return None


@generator(
    "skipgram_contexts",
    guarantees=(
        "a sentence of 8 or 9 distinct words, a window of ±1, ±2 or ±3, a target",
        "a window one position wider would add a context word",
        "the contexts from the engine's skipgram_pairs",
    ),
    holds=_contexts_holds,
)
def skipgram_contexts(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        tokens = _sentence(rng)
        window = int(rng.integers(1, 4))
        position = int(rng.integers(len(tokens)))
        target = tokens[position]
        answer = [
            c for t, c in embeddings.skipgram_pairs(tokens, window) if t == target
        ]
        wider = [
            c for t, c in embeddings.skipgram_pairs(tokens, window + 1) if t == target
        ]
        if sorted(wider) != sorted(answer):
            break
    values = {
        "sentence": " ".join(tokens),
        "target": target,
        "position": position + 1,
        "window": window,
        "contexts": answer,
        "answer_text": ", ".join(answer),
        "wider": wider,
        "wider_text": ", ".join(wider),
        "with_target_text": ", ".join([*answer, target]),
    }
    return Variant(values=values, answer=answer)


def _cbow_holds(variant: Variant) -> str | None:
    if not differs(variant.answer, variant.values["with_centre"], 0.01):
        return "including the centre word does not change the average"
    if np.abs(variant.answer).max() < 0.1:
        return "the average is (almost) zero"
    return None


@generator(
    "cbow_context_average",
    guarantees=(
        "a 5-word phrase; the centre is the middle word, the context the other four",
        "3-D embeddings with entries in {−1, −0.5, …, 2}; the average is not zero",
        "averaging in the centre word would change the answer",
        "the answer from the engine's cbow_average",
    ),
    holds=_cbow_holds,
)
def cbow_context_average(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        words = str(rng.choice(PHRASES)).split()
        table = rng.choice(TABLE_VALUES, size=(len(words), 3))
        context = words[:2] + words[3:]
        mean = embeddings.cbow_average(table, words, context).numpy()
        with_centre = table.mean(axis=0)
        if differs(mean, with_centre, 0.01) and np.abs(mean).max() >= 0.1:
            break
    values = {
        "phrase": " ".join(words),
        "centre": words[2],
        "context": context,
        "rows": [{"word": w, "vector": v} for w, v in zip(words, table, strict=True)],
        "total": table[[0, 1, 3, 4]].sum(axis=0),
        "mean": mean,
        "with_centre": with_centre,
        "sum_text": matrix_text(table[[0, 1, 3, 4]].sum(axis=0)),
        "with_centre_text": matrix_text(with_centre),
    }
    return Variant(values=values, answer=mean)


# ------------------------------------------------------------ 7.5 skip-gram maths


def _probability_holds(variant: Variant) -> str | None:
    score = variant.values["score"]
    if abs(score) < 0.25 or abs(_sigmoid(score) - score) < NEAR:
        return f"the score {score:g} is too close to 0 or to σ(score)"
    return None


@generator(
    "sgns_probability",
    guarantees=(
        "t and c in 3-D with entries in {−1.5, −1, …, 1.5}",
        "0.25 ≤ |t·c| ≤ 3, and t·c is not within 0.02 of σ(t·c)",
        "the answer from the engine's positive_probability",
    ),
    holds=_probability_holds,
)
def sgns_probability(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        t, c = rng.choice(HALVES, size=(2, 3))
        score = float(t @ c)
        if 0.25 <= abs(score) <= 3 and abs(_sigmoid(score) - score) >= NEAR:
            break
    probability = embeddings.positive_probability(t, c)
    values = {
        "t": t,
        "c": c,
        "score": score,
        "probability": probability,
        "complement": 1.0 - probability,
    }
    return Variant(values=values, answer=probability)


def _objective_holds(variant: Variant) -> str | None:
    if np.abs(variant.answer["scores"]).min() < 0.25:
        return "a score is within 0.25 of 0, where a sign slip would not show"
    return None


@generator(
    "sgns_objective",
    guarantees=(
        "t, one context c and two noise words n1, n2 in 3-D, entries in {−1.5, …, 1.5}",
        "every score |t·c|, |t·n_j| is between 0.25 and 3",
        "answers from the engine: positive_probability and skipgram_objective",
    ),
    holds=_objective_holds,
)
def sgns_objective(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        t, c, n1, n2 = rng.choice(HALVES, size=(4, 3))
        scores = np.array([t @ c, t @ n1, t @ n2])
        if np.all((np.abs(scores) >= 0.25) & (np.abs(scores) <= 3)):
            break
    probabilities = np.array(
        [
            embeddings.positive_probability(t, c),
            embeddings.positive_probability(t, -n1),
            embeddings.positive_probability(t, -n2),
        ]
    )
    objective = embeddings.skipgram_objective(t, c[None, :], np.stack([n1, n2]))
    answer = {"scores": scores, "probabilities": probabilities, "objective": objective}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """σ from the student's own scores; J from their own probabilities."""
        if part == "probabilities" and "scores" in earlier:
            own = np.asarray(earlier["scores"], dtype=float).reshape(-1)
            if own.shape == (3,):
                return _sigmoid(own * np.array([1.0, -1.0, -1.0]))
        if part == "objective" and "probabilities" in earlier:
            own = np.asarray(earlier["probabilities"], dtype=float).reshape(-1)
            if own.shape == (3,) and (own > 0).all():
                return float(np.log(own).sum())
        return None

    values = {"t": t, "c": c, "n1": n1, "n2": n2, "loss": -objective, **answer}
    return Variant(values=values, answer=answer, follow=follow)


def _gradient_holds(variant: Variant) -> str | None:
    if min(abs(variant.values["score_c"]), abs(variant.values["score_n"])) < 0.25:
        return "a score is within 0.25 of 0"
    return None


@generator(
    "sgns_gradient",
    guarantees=(
        "t, one context c and one noise word n in 2-D, entries in {−1.5, …, 1.5}",
        "0.25 ≤ |t·c|, |t·n| ≤ 3 and the gradient ∂J/∂t is not ~0",
        "answers from the engine's skipgram_gradients (of J, the maximised objective)",
    ),
    holds=_gradient_holds,
)
def sgns_gradient(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        t, c, n = rng.choice(HALVES, size=(3, 2))
        score_c, score_n = float(t @ c), float(t @ n)
        if (
            min(abs(score_c), abs(score_n)) >= 0.25
            and max(abs(score_c), abs(score_n)) <= 3
        ):
            grad_t, grad_c, _ = embeddings.skipgram_gradients(t, c[None, :], n[None, :])
            if float(grad_t.abs().max()) > 0.05:
                break
    answer = {
        "sigma_c": embeddings.positive_probability(t, c),
        "sigma_n": embeddings.positive_probability(t, n),
        "grad_t": grad_t.numpy(),
        "grad_c": grad_c.numpy().reshape(-1),
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The gradients from the student's own σ values."""
        if part == "grad_t" and {"sigma_c", "sigma_n"} <= earlier.keys():
            return (1 - earlier["sigma_c"]) * c - earlier["sigma_n"] * n
        if part == "grad_c" and "sigma_c" in earlier:
            return (1 - earlier["sigma_c"]) * t
        return None

    values = {"t": t, "c": c, "n": n, "score_c": score_c, "score_n": score_n, **answer}
    return Variant(values=values, answer=answer, follow=follow)
