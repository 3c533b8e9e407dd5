"""Variants for lecture 7.6: analogies a − b + c by cosine, in steps (error carried
forward) and as a ranking with the query words excluded.

A draw whose winner is not the analogy's intended word ("bigger − big + small"
giving "size") is rejected, with a bounded number of tries."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.reference import embeddings, text
from exercises.variants import Variant, generator
from exercises.variants._common import NEAR, bounded_draw

ANALOGIES = (
    ("king", "man", "woman", "queen", ("prince", "castle", "apple")),
    ("Paris", "France", "Italy", "Rome", ("Berlin", "pasta", "wine")),
    ("walked", "walk", "swim", "swam", ("run", "ran", "water")),
    ("bigger", "big", "small", "smaller", ("tiny", "huge", "size")),
)


def _cosines(query: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    return np.array([text.cosine_similarity(query, v) for v in vectors])


ROUNDING = 1e-9  # NumPy's cosines and the engine's agree far closer than this


def _rough_cosines(query: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Cosines by NumPy, to turn most draws away before the engine is asked.
    They only reject: a draw is kept when the engine's own values pass, so the
    variants are the ones the engine's checks alone would give."""
    norms = np.linalg.norm(vectors, axis=1) * np.linalg.norm(query)
    return (vectors @ query) / np.where(norms > 0, norms, 1.0)


OFFSETS = np.array([-0.5, 0.0, 0.5])
SCALES = (1.0, 2.0, 3.0)

Drawn = tuple[tuple[str, ...], str, np.ndarray, list[str], np.ndarray]


def _analogy_vectors(rng: np.random.Generator) -> Drawn:
    """Query words a, b, c, the intended word d, the query vectors, and three
    candidates (d among them)."""
    # Indices drawn with integers() are what choice() draws (the same stream,
    # so the same variants), without converting the lists on every try.
    a, b, c, d, others = ANALOGIES[int(rng.integers(len(ANALOGIES)))]
    queries = rng.integers(-2, 4, size=(3, 2)).astype(float)
    query = queries[0] - queries[1] + queries[2]
    while True:
        offset = OFFSETS[rng.integers(0, 3, size=2)]
        if offset.any():  # the answer is near a − b + c, not on it
            break
    answer = query + offset
    distractors = rng.integers(-2, 4, size=(2, 2)).astype(float)
    distractors[0] *= SCALES[int(rng.integers(0, 3))]
    order = rng.permutation(3)
    picked = [others[i] for i in rng.choice(3, size=2, replace=False)]
    names = [[d, *picked][i] for i in order]
    candidates = np.stack([answer, *distractors])[order]
    return (a, b, c), d, queries, names, candidates


def _analogy_clear(
    words: tuple[str, ...],
    intended: str,
    queries: np.ndarray,
    names: list[str],
    candidates: np.ndarray,
) -> bool:
    vectors = np.concatenate([queries, candidates])
    if (
        np.linalg.norm(vectors, axis=1).min() == 0
        or len(np.unique(vectors, axis=0)) < 6
    ):
        return False
    query = queries[0] - queries[1] + queries[2]
    if np.linalg.norm(query) < 1:
        return False
    rough = _rough_cosines(query, candidates)
    if (
        np.diff(np.sort(rough))[-1] < 0.05 - ROUNDING
        or names[int(np.argmax(rough))] != intended
    ):
        return False  # the engine's cosines would reject it too
    scores = np.sort(_cosines(query, candidates))
    vocabulary = [*words, *names]
    winner = embeddings.analogy(vectors, vocabulary, *words)
    return bool(scores[-1] - scores[-2] >= 0.05 and winner == intended == names[
        int(np.argmax(_cosines(query, candidates)))])  # fmt: skip


def _clear_draw(rng: np.random.Generator) -> Drawn | None:
    drawn = _analogy_vectors(rng)
    return drawn if _analogy_clear(*drawn) else None


def _analogy_steps_holds(variant: Variant) -> str | None:
    if variant.values["winner"] != variant.values["intended"]:
        return "the winner is not the analogy's intended word"
    scores = np.sort(variant.answer["cosines"])
    if scores[-1] - scores[-2] < 0.05:
        return "the two best candidates are within 0.05 in cosine"
    return None


@generator(
    "analogy_steps",
    guarantees=(
        "a − b + c with 2-D integer vectors, three candidates (the intended answer among them)",
        "the winner is the intended word (king − man + woman gives queen)",
        "six distinct non-zero vectors; ‖a − b + c‖ ≥ 1; the best cosine beats the second by ≥ 0.05",
        "the answer from the engine's analogy (query words excluded)",
    ),
    holds=_analogy_steps_holds,
)
def analogy_steps(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    words, intended, queries, names, candidates = bounded_draw(rng, _clear_draw)
    query = queries[0] - queries[1] + queries[2]
    cosines = _cosines(query, candidates)
    winner = embeddings.analogy(
        np.concatenate([queries, candidates]), [*words, *names], *words
    )
    answer = {"query": query, "cosines": cosines, "word": [winner]}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """Cosines with the student's own query; the word from their own cosines."""
        if part == "cosines" and "query" in earlier:
            own = np.asarray(earlier["query"], dtype=float).reshape(-1)
            if own.shape == (2,) and np.linalg.norm(own) > 0:
                return _cosines(own, candidates)
        if part == "word" and "cosines" in earlier:
            own = np.asarray(earlier["cosines"], dtype=float).reshape(-1)
            if own.shape == (3,):
                return [names[int(np.argmax(own))]]
        return None

    values = {
        "a": words[0], "b": words[1], "c": words[2],
        "va": queries[0], "vb": queries[1], "vc": queries[2],
        "candidates": [
            {"word": w, "vector": v, "cosine": s}
            for w, v, s in zip(names, candidates, cosines, strict=True)
        ],
        "names": ", ".join(names), "winner": winner, "intended": intended, **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


def _nearest_holds(variant: Variant) -> str | None:
    if variant.values["winner"] != variant.values["intended"]:
        return "the winner is not the analogy's intended word"
    words = {variant.values["a"], variant.values["b"], variant.values["c"]}
    if variant.values["no_exclusion"] not in words:
        return "without exclusion the winner is not a query word"
    if variant.values["by_dot"][0] == variant.answer[0]:
        return "the dot product picks the same word as the cosine"
    scores = np.sort(variant.values["candidate_cosines"])
    if scores[1] - scores[0] < NEAR:
        return "the last two candidates are within 0.02 in cosine"
    return None


def _may_rank(
    words: tuple[str, ...],
    intended: str,
    queries: np.ndarray,
    names: list[str],
    candidates: np.ndarray,
) -> bool:
    """False for a clear draw that cannot meet the ranking's conditions
    (NumPy's cosines; the engine's decide for the draws that remain)."""
    query = queries[0] - queries[1] + queries[2]
    rough = _rough_cosines(query, np.concatenate([queries, candidates]))
    by_dot = int(np.argsort(-(candidates @ query), kind="stable")[0])
    ordered = np.sort(rough[3:])
    return bool(
        rough[:3].max() >= rough.max() - ROUNDING
        and by_dot != int(np.argmax(rough[3:]))
        and ordered[1] - ordered[0] >= NEAR - ROUNDING
    )


def _ranking_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    drawn = _analogy_vectors(rng)
    if not (_may_rank(*drawn) and _analogy_clear(*drawn)):
        return None
    words, intended, queries, names, candidates = drawn
    query = queries[0] - queries[1] + queries[2]
    everything = np.concatenate([queries, candidates])
    vocabulary = [*words, *names]
    cosines = _cosines(query, everything)
    no_exclusion = vocabulary[int(np.argmax(cosines))]
    by_dot = [names[i] for i in np.argsort(-(candidates @ query), kind="stable")]
    winner = embeddings.analogy(everything, vocabulary, *words)
    ranking = [names[i] for i in np.argsort(-cosines[3:], kind="stable")]
    if not (
        no_exclusion in words
        and by_dot[0] != winner
        and np.sort(cosines[3:])[1] - np.sort(cosines[3:])[0] >= NEAR
    ):
        return None
    return {
        "a": words[0], "b": words[1], "c": words[2],
        "rows": [
            {"word": w, "vector": v, "cosine": s, "dot": float(v @ query)}
            for w, v, s in zip(vocabulary, everything, cosines, strict=True)
        ],
        "names": ", ".join(names), "candidate_cosines": cosines[3:],
        "query": query, "no_exclusion": no_exclusion, "by_dot": by_dot,
        "by_dot_text": ", ".join(by_dot),
        "no_exclusion_text": ", ".join([no_exclusion, *ranking[:2]]),
        "winner": winner, "intended": intended, "ranking": ranking,
        "ranking_text": ", ".join(ranking),
    }  # fmt: skip


@generator(
    "analogy_ranking",
    guarantees=(
        "a − b + c with 2-D integer vectors and three candidate words",
        "the winner is the intended word (king − man + woman gives queen)",
        "the best candidate beats the second by ≥ 0.05 in cosine, the second the third by ≥ 0.02",
        "without excluding a, b, c a query word would win",
        "the largest dot product picks a different candidate than the cosine",
        "the ranking from the engine's cosine_similarity; its first word is the engine's analogy",
    ),
    holds=_nearest_holds,
)
def analogy_ranking(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    values = bounded_draw(rng, _ranking_draw)
    ranking = values.pop("ranking")
    assert ranking[0] == values["winner"]
    return Variant(values=values, answer=ranking)
