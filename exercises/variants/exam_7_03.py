"""Exam-level variants for lecture 7.3 (cosine similarity): the cosine of two
documents on raw counts and on TF-IDF weights, and cosine against the distance
of unit vectors and of raw vectors (error carried forward in both)."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.reference import text
from exercises.variants import Variant, generator
from exercises.variants._common import NEAR, bounded_draw, shaped

STOP_WORDS = ("the", "a", "of", "and")
CONTENT_WORDS = (
    "data", "large", "apricot", "jam", "sugar", "digital", "cherry", "pie",
    "network", "bread",
)  # fmt: skip
QUERY_WORDS = ("digital", "information", "apricot", "cherry", "data", "sugar", "pie")


# ------------------------------------------------------ counts against TF-IDF


def _tokens(counts: np.ndarray, vocabulary: list[str]) -> list[str]:
    return [word for word, n in zip(vocabulary, counts, strict=True) for _ in range(n)]


TfidfDraw = tuple[list[str], np.ndarray, np.ndarray, float, float]


def _tfidf_draw(rng: np.random.Generator) -> TfidfDraw | None:
    """A vocabulary (a stop word first, in every document), a 3 × 4 count
    table, the TF-IDF matrix and the two cosines of documents 1 and 2; None
    for a draw where TF-IDF barely changes the cosine or empties a row."""
    vocabulary = [
        str(rng.choice(STOP_WORDS)),
        *(str(w) for w in rng.choice(CONTENT_WORDS, size=3, replace=False)),
    ]
    counts = rng.integers(0, 4, size=(3, 4))
    counts[:, 0] = rng.integers(1, 4, size=3)  # the stop word is in every document
    if counts.sum(axis=1).max() > 8:
        return None
    df = (counts[:, 1:] > 0).sum(axis=0)
    if df.min() == 0 or df.max() == 3:  # each content word in one or two documents
        return None
    documents = [_tokens(row, vocabulary) for row in counts]
    weights = text.tf_idf(documents, vocabulary).numpy()
    if np.abs(weights[:2]).sum(axis=1).min() == 0:
        return None
    on_counts = text.cosine_similarity(counts[0], counts[1])
    on_tfidf = text.cosine_similarity(weights[0], weights[1])
    if not (
        0.05 <= on_tfidf <= 0.95
        and on_counts <= 0.98
        and abs(on_counts - on_tfidf) >= 0.1
    ):
        return None
    return vocabulary, counts.astype(float), weights, on_counts, on_tfidf


def _tfidf_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if abs(answer["cos_counts"] - answer["cos_tfidf"]) < 0.1:
        return "TF-IDF changes the cosine by less than 0.1"
    if not 0.05 <= answer["cos_tfidf"] <= 0.95:
        return f"the TF-IDF cosine {answer['cos_tfidf']:g} is 0, 1 or near them"
    if np.abs(answer["tfidf"]).sum(axis=1).min() == 0:
        return "a TF-IDF row is zero"
    return None


@generator(
    "exam_cosine_tfidf",
    guarantees=(
        "3 documents over a 4-word vocabulary, at most 8 words each, all in the vocabulary",
        "the first (a stop word) is in every document; each other word in one or two",
        "documents 1 and 2 have non-zero TF-IDF rows; their TF-IDF cosine is in [0.05, 0.95]",
        "TF-IDF changes the cosine of documents 1 and 2 by at least 0.1",
        "answers from the engine's tf_idf (natural log) and cosine_similarity",
    ),
    holds=_tfidf_holds,
)
def exam_cosine_tfidf(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    vocabulary, counts, weights, on_counts, on_tfidf = bounded_draw(rng, _tfidf_draw)
    answer = {
        "cos_counts": on_counts,
        "tfidf": weights[:2],
        "cos_tfidf": on_tfidf,
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The TF-IDF cosine from the student's own two TF-IDF rows."""
        if part == "cos_tfidf" and "tfidf" in earlier:
            own = shaped(earlier["tfidf"], (2, 4))
            if own is not None and np.abs(own).sum(axis=1).min() > 0:
                return text.cosine_similarity(own[0], own[1])
        return None

    df = (counts > 0).sum(axis=0)
    values = {
        "vocabulary": vocabulary,
        "stop": vocabulary[0],
        "rows": [
            {
                "label": f"d{i + 1}",
                "counts": [int(n) for n in row],
                "length": int(row.sum()),
            }
            for i, row in enumerate(counts)
        ],
        "df_text": ", ".join(str(int(n)) for n in df),
        "idf": np.log(3 / df),
        "lengths": [int(n) for n in counts.sum(axis=1)],
        **answer,
    }
    return Variant(values=values, answer=answer, follow=follow)


# ------------------------------------------ cosine, unit distance, raw distance


UnitDraw = tuple[list[str], np.ndarray, np.ndarray]


def _unit_draw(rng: np.random.Generator) -> UnitDraw | None:
    """A query and three candidates (2-D, integer entries 0…6), or None when
    two cosines or two distances are within 0.02, two vectors are parallel, or
    the nearest candidate by raw distance is also the most similar by cosine."""
    words = [str(w) for w in rng.choice(QUERY_WORDS, size=4, replace=False)]
    vectors = rng.integers(0, 7, size=(4, 2)).astype(float)
    if np.linalg.norm(vectors, axis=1).min() == 0:
        return None
    cosines = text.pairwise_cosine(vectors).numpy()
    if np.abs(cosines[np.triu_indices(4, 1)]).max() > 0.995:
        return None
    query, candidates = vectors[0], vectors[1:]
    scores = cosines[0, 1:]
    raw = np.linalg.norm(candidates - query, axis=1)
    if (
        np.diff(np.sort(scores)).min() < NEAR
        or np.diff(np.sort(raw)).min() < 0.1
        or int(np.argmin(raw)) == int(np.argmax(scores))
    ):
        return None
    return words, query, candidates


def _unit_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if np.diff(np.sort(answer["cosines"])).min() < NEAR:
        return "two cosines are within 0.02"
    if int(np.argmin(answer["raw"])) == int(np.argmax(answer["cosines"])):
        return "the nearest by raw distance is also the most similar"
    expected = np.sqrt(2 - 2 * np.asarray(answer["cosines"]))
    if not np.allclose(expected, answer["unit"], atol=1e-9):
        return "the unit distances do not follow from the cosines"
    return None


@generator(
    "exam_cosine_unit_distance",
    guarantees=(
        "a query and three candidate words in 2-D with integer entries 0…6, none zero",
        "no two vectors parallel; the candidates' cosines differ pairwise by ≥ 0.02",
        "the raw distances differ pairwise by ≥ 0.1",
        "the nearest candidate by raw distance is not the most similar by cosine",
        "cosines from the engine's pairwise_cosine; distances from NumPy norms",
    ),
    holds=_unit_holds,
)
def exam_cosine_unit_distance(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    words, query, candidates = bounded_draw(rng, _unit_draw)
    cosines = text.pairwise_cosine(np.vstack([query, candidates])).numpy()[0, 1:]
    unit_query = query / np.linalg.norm(query)
    units = candidates / np.linalg.norm(candidates, axis=1, keepdims=True)
    answer = {
        "cosines": cosines,
        "unit": np.linalg.norm(units - unit_query, axis=1),
        "raw": np.linalg.norm(candidates - query, axis=1),
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """Unit distances from the student's own cosines, √(2 − 2 cos)."""
        if part == "unit" and "cosines" in earlier:
            own = shaped(earlier["cosines"], (3,))
            if own is not None and np.all(np.abs(own) <= 1):
                return np.sqrt(2 - 2 * own)
        return None

    names = words[1:]
    by_cosine = [names[i] for i in np.argsort(-cosines, kind="stable")]
    by_raw = [names[i] for i in np.argsort(answer["raw"], kind="stable")]
    values = {
        "query": words[0],
        "query_vector": query,
        "query_squares": int(query @ query),
        "rows": [
            {
                "word": w,
                "vector": v,
                "squares": int(v @ v),
                "cosine": c,
                "unit": u,
                "raw": r,
            }
            for w, v, c, u, r in zip(
                names, candidates, cosines, answer["unit"], answer["raw"], strict=True
            )
        ],
        "names": ", ".join(names),
        "best": by_cosine[0],
        "nearest_raw": by_raw[0],
        "by_cosine_text": ", ".join(by_cosine),
        **answer,
    }
    return Variant(values=values, answer=answer, follow=follow)
