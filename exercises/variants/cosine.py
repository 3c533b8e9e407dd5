"""Variants for lecture 7.3: cosine similarity by hand and in steps (with error
carried forward), a matrix of cosines, ranking words by cosine, not distance."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.reference import text
from exercises.variants import Variant, generator
from exercises.variants._common import NEAR, bounded_draw, matrix_text

SPACE_WORDS = (
    "digital", "information", "apricot", "cherry", "data", "sugar", "computer", "pie",
)  # fmt: skip


ROUNDING = 1e-9  # NumPy's cosines and the engine's agree far closer than this


def _integer_vectors(
    rng: np.random.Generator, count: int, size: int, low: int, high: int
) -> np.ndarray:
    """Integer vectors, none zero, no two parallel."""
    while True:
        vectors = rng.integers(low, high + 1, size=(count, size)).astype(float)
        norms = np.linalg.norm(vectors, axis=1)
        if norms.min() == 0:
            continue
        rough = (vectors @ vectors.T) / np.outer(norms, norms)
        if np.any(np.abs(rough[np.triu_indices(count, 1)]) >= 0.995 + ROUNDING):
            continue  # the engine's cosines below would reject it too
        cosines = text.pairwise_cosine(vectors).numpy()
        if np.all(np.abs(cosines[np.triu_indices(count, 1)]) < 0.995):
            return vectors


def _cosine_pair_holds(variant: Variant) -> str | None:
    cosine = variant.answer
    if abs(cosine) < 0.1 or abs(cosine - 0.5) < NEAR:
        return f"cos = {cosine:g} is too close to 0 or to 1/2"
    if abs(variant.values["dot"] - cosine) < NEAR:
        return "the dot product is as large as the cosine"
    return None


@generator(
    "cosine_pair",
    guarantees=(
        "two integer vectors of length 3 with entries −2…3, neither zero, not parallel",
        "|cos| ≥ 0.1, cos not within 0.02 of 1/2 (where 1 − cos = cos)",
        "the dot product differs from the cosine",
        "the answer from the engine's cosine_similarity",
    ),
    holds=_cosine_pair_holds,
)
def cosine_pair(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        v, w = _integer_vectors(rng, 2, 3, -2, 3)
        cosine = text.cosine_similarity(v, w)
        dot = float(v @ w)
        if (
            abs(cosine) >= 0.1
            and abs(cosine - 0.5) >= NEAR
            and abs(dot - cosine) >= NEAR
        ):
            break
    values = {
        "v": v,
        "w": w,
        "dot": dot,
        "norm_v": float(np.linalg.norm(v)),
        "norm_w": float(np.linalg.norm(w)),
        "squares_v": int(v @ v),
        "squares_w": int(w @ w),
        "cosine": cosine,
        "distance": 1.0 - cosine,
    }
    return Variant(values=values, answer=cosine)


def _cosine_steps_holds(variant: Variant) -> str | None:
    if not 0.05 < variant.answer["cos"] < 0.98:
        return f"cos = {variant.answer['cos']:g} is not a proper partial overlap"
    return None


@generator(
    "cosine_steps",
    guarantees=(
        "two count vectors of length 4 with entries 0…4, sharing a non-zero entry",
        "not parallel: 0.05 < cos < 0.98",
        "answers from the engine's cosine_similarity; norms and dot from NumPy",
    ),
    holds=_cosine_steps_holds,
)
def cosine_steps(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        v, w = _integer_vectors(rng, 2, 4, 0, 4)
        cosine = text.cosine_similarity(v, w)
        if 0.05 < cosine < 0.98:
            break
    answer = {
        "dot": float(v @ w),
        "norm_v": float(np.linalg.norm(v)),
        "norm_w": float(np.linalg.norm(w)),
        "cos": cosine,
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The cosine from the student's own dot product and norms."""
        if part == "cos" and {"dot", "norm_v", "norm_w"} <= earlier.keys():
            denominator = earlier["norm_v"] * earlier["norm_w"]
            return earlier["dot"] / denominator if denominator else None
        return None

    values = {
        "v": v,
        "w": w,
        "squares_v": int(v @ v),
        "squares_w": int(w @ w),
        **answer,
    }
    return Variant(values=values, answer=answer, follow=follow)


def _cosine_matrix_holds(variant: Variant) -> str | None:
    off = np.asarray(variant.answer)[np.triu_indices(3, 1)]
    if np.min(np.abs(np.subtract.outer(off, off))[np.triu_indices(3, 1)]) < 0.01:
        return "two off-diagonal cosines are (almost) equal"
    return None


@generator(
    "cosine_matrix",
    guarantees=(
        "three integer vectors of length 2 with entries −1…4, none zero, none parallel",
        "the three off-diagonal cosines differ from each other by at least 0.01",
        "the answer from the engine's pairwise_cosine (3 × 3, rows as vectors)",
    ),
    holds=_cosine_matrix_holds,
)
def cosine_matrix(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        vectors = _integer_vectors(rng, 3, 2, -1, 4)
        answer = text.pairwise_cosine(vectors).numpy()
        off = answer[np.triu_indices(3, 1)]
        gaps = np.abs(np.subtract.outer(off, off))[np.triu_indices(3, 1)]
        if gaps.min() >= 0.01:
            break
    rows = [
        {"label": label, "vector": vector, "squares": int(vector @ vector)}
        for label, vector in zip("ABC", vectors, strict=True)
    ]
    values = {
        "rows": rows,
        "matrix": vectors,
        "cosines": answer,
        "dots_text": matrix_text(vectors @ vectors.T),
        "distances_text": matrix_text(1.0 - answer),
    }
    return Variant(values=values, answer=answer)


def _ranking(scores: np.ndarray, words: list[str]) -> list[str]:
    return [words[i] for i in np.argsort(-scores, kind="stable")]


def _cosine_ranking_holds(variant: Variant) -> str | None:
    if variant.answer[0] == variant.values["by_distance"][0]:
        return "the nearest word by distance is also the most similar by cosine"
    if np.min(np.abs(np.diff(np.sort(variant.values["cosines"])))) < NEAR:
        return "two cosines are within 0.02"
    distances = [row["distance"] for row in variant.values["rows"]]
    if np.min(np.diff(np.sort(distances))) < NEAR:
        return "two distances are within 0.02"
    return None


RankingDraw = tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _cosine_ranking_draw(rng: np.random.Generator) -> RankingDraw | None:
    """Words, query, candidates, cosines and distances, or None for a draw with
    ties (two cosines or two distances within 0.02) or with the nearest
    candidate also the most similar."""
    words = [str(w) for w in rng.choice(SPACE_WORDS, size=5, replace=False)]
    vectors = _integer_vectors(rng, 5, 2, 0, 6)
    query, candidates = vectors[0], vectors[1:]
    distances = np.linalg.norm(candidates - query, axis=1)
    nearest = int(np.argmin(distances))
    norms = np.linalg.norm(candidates, axis=1) * np.linalg.norm(query)
    rough = (candidates @ query) / norms
    # Cosines 0.02 apart: the engine's ranking is NumPy's, so is its first word.
    if np.diff(np.sort(rough)).min() < NEAR - ROUNDING or nearest == np.argmax(rough):
        return None  # the engine's cosines below would reject it too
    cosines = np.array([text.cosine_similarity(query, c) for c in candidates])
    if (
        np.diff(np.sort(cosines)).min() >= NEAR
        and np.diff(np.sort(distances)).min() >= NEAR
        and nearest != int(np.argmax(cosines))
        and np.sort(distances)[1] - distances[nearest] > 0.05
    ):
        return words, query, candidates, cosines, distances
    return None


@generator(
    "cosine_ranking",
    guarantees=(
        "a query word and 4 candidates in 2-D with integer entries 0…6 (count-like)",
        "the candidates' cosines with the query differ pairwise by at least 0.02",
        "the nearest candidate by Euclidean distance is not the most similar by cosine",
        "the distances differ pairwise by at least 0.02 (one ranking by distance)",
        "the ranking from the engine's cosine_similarity",
    ),
    holds=_cosine_ranking_holds,
)
def cosine_ranking(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    words, query, candidates, cosines, distances = bounded_draw(
        rng, _cosine_ranking_draw
    )
    labels = words[1:]
    rows = [
        {"word": word, "vector": vector, "cosine": cosine, "distance": distance}
        for word, vector, cosine, distance in zip(
            labels, candidates, cosines, distances, strict=True
        )
    ]
    answer = _ranking(cosines, labels)
    values = {
        "query": words[0],
        "query_vector": query,
        "query_squares": int(query @ query),
        "rows": rows,
        "cosines": cosines,
        "by_distance": _ranking(-distances, labels),
        "by_distance_text": ", ".join(_ranking(-distances, labels)),
        "answer_text": ", ".join(answer),
    }
    return Variant(values=values, answer=answer)
