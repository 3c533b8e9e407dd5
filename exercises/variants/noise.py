"""Variants for lecture 7.5: the 3/4-power noise distribution of negative sampling,
by hand from word counts and for two words (error carried forward)."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.reference import embeddings
from exercises.variants import Variant, generator

FOURTH_POWERS = (1, 16, 81, 256, 625, 1296)
NOISE_WORDS = ("the", "of", "jam", "apricot", "aardvark", "pinch")


def _noise_steps_holds(variant: Variant) -> str | None:
    if variant.answer["boost"] <= 1.0:
        return "the rarest word is not boosted"
    return None


@generator(
    "noise_steps",
    guarantees=(
        "3 or 4 words with distinct counts among 1, 16, 81, 256, 625, 1296 (4th powers)",
        "so count^(3/4) is a whole number (1, 8, 27, 64, 125, 216)",
        "p_α from the engine's noise_distribution; the rarest word is boosted (> 1)",
    ),
    holds=_noise_steps_holds,
)
def noise_steps(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    size = int(rng.integers(3, 5))
    counts = np.sort(rng.choice(FOURTH_POWERS, size=size, replace=False))[::-1].copy()
    words = [str(w) for w in NOISE_WORDS[:size]]
    weights = np.rint(counts.astype(float) ** 0.75)
    probabilities = embeddings.noise_distribution(counts).numpy()
    unigram = counts / counts.sum()
    rare = size - 1
    answer = {
        "weights": weights,
        "probabilities": probabilities,
        "boost": float(probabilities[rare] / unigram[rare]),
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """p_α from the student's own weights; the boost from their own p_α."""
        if part == "probabilities" and "weights" in earlier:
            own = np.asarray(earlier["weights"], dtype=float).reshape(-1)
            if own.shape == weights.shape and own.sum() > 0:
                return own / own.sum()
        if part == "boost" and "probabilities" in earlier:
            own = np.asarray(earlier["probabilities"], dtype=float).reshape(-1)
            if own.shape == probabilities.shape:
                return float(own[rare] / unigram[rare])
        return None

    values = {
        "rows": [
            {"word": w, "count": int(n)} for w, n in zip(words, counts, strict=True)
        ],
        "words": words,
        "rare_word": words[rare],
        "total": int(counts.sum()),
        "weight_total": int(weights.sum()),
        "unigram": unigram,
        "rare_unigram": float(unigram[rare]),
        **answer,
    }
    return Variant(values=values, answer=answer, follow=follow)


def _two_words_holds(variant: Variant) -> str | None:
    answer, rare = variant.answer, variant.values["rare_p"]
    if not 1 < answer["after"] < answer["before"]:
        return "the power 3/4 does not shrink the ratio (or reverses it)"
    if not rare < answer["rare"] < 0.5:
        return "the rare word is not boosted, or is no longer the rarer"
    return None


@generator(
    "noise_two_words",
    guarantees=(
        "two words with P(b) in {0.02, …, 0.30} and P(a) = 1 − P(b)",
        "answers from the engine's noise_distribution (α = 3/4)",
        "the ratio shrinks but stays above 1: P(b) < p_α(b) < 1/2",
    ),
    holds=_two_words_holds,
)
def noise_two_words(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    rare = round(float(rng.integers(2, 31)) / 100, 2)
    common = round(1 - rare, 2)
    probabilities = embeddings.noise_distribution([common, rare]).numpy()
    answer = {
        "before": common / rare,
        "after": float(probabilities[0] / probabilities[1]),
        "rare": float(probabilities[1]),
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The new ratio from the student's own old ratio, p_α(b) from their own."""
        if part == "after" and "before" in earlier and earlier["before"] > 0:
            return earlier["before"] ** 0.75
        if part == "rare" and "after" in earlier and earlier["after"] > -1:
            return 1 / (1 + earlier["after"])
        return None

    values = {
        "common": common,
        "rare_p": rare,
        "common_weight": common**0.75,
        "rare_weight": rare**0.75,
        **answer,
    }
    return Variant(values=values, answer=answer, follow=follow)
