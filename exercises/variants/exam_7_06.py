"""Exam-level variants for lecture 7.6 (embedding properties): an analogy with
raw and with unit-normalised inputs that disagree, the analogy's error as the
difference of two offsets, and how the window changes which words look alike
(error carried forward where parts build on each other)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from engine.reference import embeddings, text
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw, shaped
from exercises.variants.analogy import ANALOGIES

CANDIDATES = ("X", "Y", "Z")
OFFSET_STEPS = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
HALVES = np.arange(-2.0, 2.5, 0.5)  # −2, −1.5, …, 2


def _cosines(query: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    return np.array([text.cosine_similarity(query, v) for v in vectors])


# --------------------------------------------- raw against normalised inputs


def _quick_cosines(query: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Cosines by NumPy, to reject most draws cheaply; every accepted draw is
    then recomputed with the engine."""
    return (vectors @ query) / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(query))


def _normalised_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    """Query words a, b, c and candidates X, Y, Z (2-D integers −3…4) on which
    the raw and the unit-normalised analogy pick different candidates, each
    with a cosine of at least 0.6 and a margin of at least 0.03; None otherwise."""
    a, b, c, _, _ = ANALOGIES[int(rng.integers(len(ANALOGIES)))]
    vectors = rng.integers(-3, 5, size=(6, 2)).astype(float)
    if np.linalg.norm(vectors, axis=1).min() == 0:
        return None
    candidates = vectors[3:]
    raw = vectors[0] - vectors[1] + vectors[2]
    units = vectors[:3] / np.linalg.norm(vectors[:3], axis=1, keepdims=True)
    unit = units[0] - units[1] + units[2]
    if np.linalg.norm(raw) < 1 or np.linalg.norm(unit) < 0.3:
        return None
    quick_raw = _quick_cosines(raw, candidates)
    quick_unit = _quick_cosines(unit, candidates)
    if np.argmax(quick_raw) == np.argmax(quick_unit):
        return None
    quick_raw, quick_unit = np.sort(quick_raw), np.sort(quick_unit)
    if (
        min(quick_raw[-1], quick_unit[-1]) < 0.6
        or min(quick_raw[-1] - quick_raw[-2], quick_unit[-1] - quick_unit[-2]) < 0.03
        or len(np.unique(vectors, axis=0)) < 6
    ):
        return None
    if (
        np.abs(text.pairwise_cosine(candidates).numpy()[np.triu_indices(3, 1)]).max()
        > 0.99
    ):
        return None
    vocabulary = [a, b, c, *CANDIDATES]
    winner_raw = embeddings.analogy(vectors, vocabulary, a, b, c)
    winner_unit = embeddings.analogy(
        np.vstack([units, candidates]), vocabulary, a, b, c
    )
    raw_scores = np.sort(_cosines(raw, candidates))
    unit_scores = np.sort(_cosines(unit, candidates))
    if (
        winner_raw == winner_unit
        or raw_scores[-1] - raw_scores[-2] < 0.03
        or unit_scores[-1] - unit_scores[-2] < 0.03
        or min(raw_scores[-1], unit_scores[-1]) < 0.6
    ):
        return None
    return {
        "words": (a, b, c), "vectors": vectors, "units": units, "raw": raw,
        "unit": unit, "winner_raw": winner_raw, "winner_unit": winner_unit,
    }  # fmt: skip


def _normalised_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if answer["word_raw"] == answer["word_unit"]:
        return "the two conventions pick the same word"
    for key in ("raw_cosines", "unit_cosines"):
        scores = np.sort(variant.values[key])
        if scores[-1] - scores[-2] < 0.03:
            return f"the best two {key} are within 0.03"
        if scores[-1] < 0.6:
            return f"the best of the {key} is below 0.6"
    return None


@generator(
    "exam_analogy_normalised",
    guarantees=(
        "a − b + c and three candidates X, Y, Z, 2-D integer vectors −3…4, six distinct, none zero",
        "‖a − b + c‖ ≥ 1 and ‖â − b̂ + ĉ‖ ≥ 0.3; no two candidates parallel",
        "the raw and the unit-normalised analogy pick different candidates",
        "in each, the best cosine is ≥ 0.6 and beats the second by ≥ 0.03",
        "both winners from the engine's analogy (query words excluded)",
    ),
    holds=_normalised_holds,
)
def exam_analogy_normalised(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    drawn = bounded_draw(rng, _normalised_draw)
    vectors, candidates = drawn["vectors"], drawn["vectors"][3:]
    a, b, c = drawn["words"]
    answer = {
        "q_raw": drawn["raw"],
        "word_raw": [drawn["winner_raw"]],
        "q_unit": drawn["unit"],
        "word_unit": [drawn["winner_unit"]],
    }

    def pick(own: Any) -> list[str] | None:
        query = shaped(own, (2,))
        if query is None or not np.linalg.norm(query) > 0:
            return None
        return [CANDIDATES[int(np.argmax(_cosines(query, candidates)))]]

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """Each winner from the student's own query vector."""
        if part == "word_raw" and "q_raw" in earlier:
            return pick(earlier["q_raw"])
        if part == "word_unit" and "q_unit" in earlier:
            return pick(earlier["q_unit"])
        return None

    raw_cosines = _cosines(drawn["raw"], candidates)
    unit_cosines = _cosines(drawn["unit"], candidates)
    values = {
        "a": a, "b": b, "c": c,
        "va": vectors[0], "vb": vectors[1], "vc": vectors[2],
        "norms": [f"\\sqrt{{{int(v @ v)}}}" for v in vectors[:3]],
        "ua": drawn["units"][0], "ub": drawn["units"][1], "uc": drawn["units"][2],
        "candidates": [
            {"word": w, "vector": v, "raw": r, "unit": u}
            for w, v, r, u in zip(CANDIDATES, candidates, raw_cosines, unit_cosines, strict=True)
        ],
        "raw_cosines": raw_cosines, "unit_cosines": unit_cosines,
        "winner_raw": drawn["winner_raw"], "winner_unit": drawn["winner_unit"],
        **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


# ------------------------------------------------ the error of an analogy


def _offset_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    a, b, c, d, _ = ANALOGIES[int(rng.integers(len(ANALOGIES)))]
    va, vb = rng.choice(HALVES, size=(2, 2))
    first = rng.choice(HALVES, size=2)  # the offset b → c
    second = first + rng.choice(OFFSET_STEPS, size=2)  # the offset a → d
    vc, vd = vb + first, va + second
    vectors = np.stack([va, vb, vc, vd])
    if (
        np.linalg.norm(vectors, axis=1).min() == 0
        or len(np.unique(vectors, axis=0)) < 4
        or np.linalg.norm(first) < 1
        or np.linalg.norm(second) < 1
    ):
        return None
    cosine = text.cosine_similarity(first, second)
    error = float(np.linalg.norm((va - vb + vc) - vd))
    if not (0.3 <= cosine <= 0.985 and error >= 0.4):
        return None
    return {"words": (a, b, c, d), "vectors": vectors, "cosine": cosine, "error": error}


def _offset_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if not 0.3 <= answer["cosine"] <= 0.985:
        return f"the offsets' cosine {answer['cosine']:g} is not a near-parallel pair"
    gap = np.linalg.norm(np.asarray(answer["first"]) - np.asarray(answer["second"]))
    if abs(gap - answer["error"]) > 1e-9:
        return "the analogy's error is not the gap between the offsets"
    return None


@generator(
    "exam_analogy_offset",
    guarantees=(
        "a, b, c, d of one analogy (a − b + c ≈ d) in 2-D, entries multiples of 0.5, four distinct",
        "the offsets c − b and d − a have length ≥ 1 and cosine in [0.3, 0.985]",
        "‖(a − b + c) − d‖ ≥ 0.4, and it equals ‖(c − b) − (d − a)‖",
        "the cosine from the engine's cosine_similarity; lengths from NumPy",
    ),
    holds=_offset_holds,
)
def exam_analogy_offset(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    drawn = bounded_draw(rng, _offset_draw)
    va, vb, vc, vd = drawn["vectors"]
    a, b, c, d = drawn["words"]
    answer = {
        "first": vc - vb,
        "second": vd - va,
        "cosine": drawn["cosine"],
        "error": drawn["error"],
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The cosine and the error from the student's own two offsets."""
        if {"first", "second"} <= earlier.keys():
            first = shaped(earlier["first"], (2,))
            second = shaped(earlier["second"], (2,))
            if first is None or second is None:
                return None
            if part == "cosine":
                return text.cosine_similarity(first, second)
            if part == "error":
                return float(np.linalg.norm(first - second))
        return None

    query = va - vb + vc
    values = {
        "a": a, "b": b, "c": c, "d": d,
        "va": va, "vb": vb, "vc": vc, "vd": vd,
        "query": query, "gap": answer["first"] - answer["second"],
        **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


# -------------------------------------- window size and which words look alike

PAIRS = (("cat", "dog"), ("boy", "girl"), ("robot", "drone"), ("nurse", "doctor"))
DETERMINERS = ("the", "a", "my")
VERBS = ("saw", "chased", "found", "liked")
OBJECTS = ("ball", "mouse", "box", "bird", "stick")
ENDINGS = ("today", "outside", "again", "there")


def _sentence(rng: np.random.Generator, word: str) -> list[str]:
    return [
        str(rng.choice(DETERMINERS)),
        word,
        str(rng.choice(VERBS)),
        str(rng.choice(DETERMINERS)),
        str(rng.choice(OBJECTS)),
        str(rng.choice(ENDINGS)),
    ]


def _contexts(sentences: list[list[str]], word: str, window: int) -> Counter[str]:
    """How often each word is a context of `word`, over all its occurrences
    (pairs never cross a sentence boundary)."""
    return Counter(
        c
        for sentence in sentences
        for t, c in embeddings.skipgram_pairs(sentence, window)
        if t == word
    )


def _window_cosine(first: Counter[str], second: Counter[str]) -> float:
    vocabulary = sorted(set(first) | set(second))
    return text.cosine_similarity(
        [first[w] for w in vocabulary], [second[w] for w in vocabulary]
    )


def _window_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    x, y = PAIRS[int(rng.integers(len(PAIRS)))]
    xs = [_sentence(rng, x) for _ in range(2)]
    ys = [_sentence(rng, y) for _ in range(2)]
    if len({" ".join(s) for s in xs + ys}) < 4:
        return None
    near = (_contexts(xs, x, 1), _contexts(ys, y, 1))
    wide = (_contexts(xs, x, 3), _contexts(ys, y, 3))
    small, large = _window_cosine(*near), _window_cosine(*wide)
    if not (0.4 <= small <= 0.99 and 0.1 <= large <= small - 0.1):
        return None
    return {"x": x, "y": y, "xs": xs, "ys": ys, "near": near, "wide": wide,
            "small": small, "large": large}  # fmt: skip


def _window_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if answer["large"] > answer["small"] - 0.1:
        return "the small window does not make the two words clearly more alike"
    if not 0.4 <= answer["small"] <= 0.99:
        return f"the ±1 cosine {answer['small']:g} is not a partial overlap"
    return None


@generator(
    "exam_window_cosine",
    guarantees=(
        "four distinct 6-word sentences, x in the first two and y in the last two, always word 2",
        "with window ±1 the count vectors of x and y partly overlap: 0.4 ≤ cosine ≤ 0.99",
        "with window ±3 the cosine is at least 0.1 and at least 0.1 lower than with ±1",
        "counts from the engine's skipgram_pairs (no pairs across sentences); cosines from its cosine_similarity",
    ),
    holds=_window_holds,
)
def exam_window_cosine(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    drawn = bounded_draw(rng, _window_draw)
    answer = {"small": drawn["small"], "large": drawn["large"]}

    def listed(counts: Counter[str]) -> str:
        return ", ".join(
            f"{word} ×{n}" if n > 1 else word for word, n in sorted(counts.items())
        )

    values = {
        "x": drawn["x"],
        "y": drawn["y"],
        "sentences": [" ".join(s) for s in drawn["xs"] + drawn["ys"]],
        "near_x": listed(drawn["near"][0]),
        "near_y": listed(drawn["near"][1]),
        "wide_x": listed(drawn["wide"][0]),
        "wide_y": listed(drawn["wide"][1]),
        **answer,
    }
    return Variant(values=values, answer=answer)
