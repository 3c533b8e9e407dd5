"""Exam-level variants for lecture 7.2, TF-IDF: ranking documents for a query
(length-normalised TF against raw counts), solving IDF = ln(N/df) for N and df,
and an IDF function that counts occurrences instead of documents."""

from __future__ import annotations

import inspect
import math
from typing import Any

import numpy as np

from engine.reference import text
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw, shaped

WORDS = ("cat", "dog", "sat", "mat", "the", "on", "ran", "fast", "log", "sun")
DOCUMENT_LABELS = ("1", "2", "3")


def _ranking(scores: np.ndarray) -> list[str] | None:
    """Document numbers by decreasing score; None when two scores tie."""
    values = np.asarray(scores, dtype=float)
    if np.any(np.diff(np.sort(values)) < 1e-9):
        return None
    return [DOCUMENT_LABELS[i] for i in np.argsort(-values)]


# ------------------------------------------------------- ranking for a query


def _screen(documents: list[list[str]], query: list[str]) -> bool:
    """A quick check in plain Python, before the engine computes the answers:
    TF and raw counts rank the documents differently, without ties."""
    weights = [math.log(3 / sum(w in d for d in documents)) for w in query]
    pairs = list(zip(query, weights, strict=True))
    normalised = np.array(
        [sum(d.count(w) / len(d) * v for w, v in pairs) for d in documents]
    )
    raw = np.array([sum(d.count(w) * v for w, v in pairs) for d in documents])
    quick, quick_raw = _ranking(normalised), _ranking(raw)
    return quick is not None and quick_raw is not None and quick != quick_raw


def _query_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    lengths = [
        int(rng.integers(4, 6)),
        int(rng.integers(7, 10)),
        int(rng.integers(11, 15)),
    ]
    documents = [
        [str(w) for w in rng.choice(WORDS, size=lengths[int(i)])]
        for i in rng.permutation(3)
    ]
    rare = [w for w in WORDS if 1 <= sum(w in d for d in documents) <= 2]
    if len(rare) < 2:
        return None
    query = [str(w) for w in rng.choice(rare, size=2, replace=False)]
    if not _screen(documents, query):
        return None
    idf = text.inverse_document_frequency(documents, query).numpy()
    tf = np.stack([text.term_frequency(d, query).numpy() for d in documents])
    counts = np.stack([text.count_vector(d, query).numpy() for d in documents])
    # The query words' TF-IDF, added up per document.
    scores = text.tf_idf(documents, query).numpy().sum(axis=1)
    raw = counts @ idf
    ranking, raw_ranking = _ranking(scores), _ranking(raw)
    if ranking is None or raw_ranking is None or ranking == raw_ranking:
        return None
    if np.diff(np.sort(scores)).min() < 0.02 or np.count_nonzero(scores) < 2:
        return None
    return {"documents": documents, "query": query, "idf": idf, "tf": tf,
            "counts": counts, "scores": scores, "raw": raw, "ranking": ranking,
            "raw_ranking": raw_ranking}  # fmt: skip


def _query_holds(variant: Variant) -> str | None:
    if variant.answer["ranking"] == variant.values["raw_ranking"]:
        return "raw counts give the same ranking"
    if np.diff(np.sort(variant.answer["scores"])).min() < 0.02:
        return "two scores are within 0.02"
    return None


@generator(
    "exam_tfidf_query_rank",
    guarantees=(
        "3 documents of 4–5, 7–9 and 11–14 words (in random order) over a 10-word vocabulary",
        "a 2-word query; both words occur somewhere and neither in every document",
        "the scores differ by at least 0.02 and at least two are positive",
        "raw counts times IDF rank the documents differently",
        "answers from the engine's inverse_document_frequency, term_frequency and tf_idf",
        "follow: the scores from the student's IDFs, the ranking from their scores",
    ),
    holds=_query_holds,
)
def exam_tfidf_query_rank(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    draw = bounded_draw(rng, _query_draw)
    tf = draw["tf"]
    answer = {"idf": draw["idf"], "scores": draw["scores"], "ranking": draw["ranking"]}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """Scores from the student's IDFs; the ranking from the student's scores."""
        if part == "scores" and "idf" in earlier:
            own = shaped(earlier["idf"], (2,))
            return None if own is None else tf @ own
        if part == "ranking" and "scores" in earlier:
            own = shaped(earlier["scores"], (3,))
            return None if own is None else _ranking(own)
        return None

    frequencies = text.document_frequency(draw["documents"], draw["query"])
    values = {
        **draw,
        "texts": [" ".join(d) for d in draw["documents"]],
        "lengths": [len(d) for d in draw["documents"]],
        "df": [int(v) for v in frequencies],
        "ranking_text": ", ".join(draw["ranking"]),
        "raw_text": ", ".join(draw["raw_ranking"]),
    }
    return Variant(values=values, answer=answer, follow=follow)


# ---------------------------------------------- solving IDF = ln(N/df) backwards


def _idf(n: int, df: int) -> float:
    """The engine's IDF of a word found in df of n one-word documents."""
    documents = [["word"]] * df + [["other"]] * (n - df)
    return float(text.inverse_document_frequency(documents, ["word"])[0])


def _idf_growth_holds(variant: Variant) -> str | None:
    values, answer = variant.values, variant.answer
    n, df = values["n"], values["df"]
    if not math.isclose(math.log(answer["n_double"] / df), 2 * answer["idf"]):
        return "the collection size does not double the IDF"
    if not math.isclose(math.log(n / answer["df_half"]), answer["idf"] / 2):
        return "the document frequency does not halve the IDF"
    return None


@generator(
    "exam_tfidf_idf_growth",
    guarantees=(
        "df in 1…5 and N = df·m² with m in 2…5, so both answers are whole numbers",
        "IDF from the engine's inverse_document_frequency on a collection of N documents",
        "the new N and df solve the two equations exactly (whole numbers, checked with ln)",
    ),
    holds=_idf_growth_holds,
)
def exam_tfidf_idf_growth(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    df = int(rng.integers(1, 6))
    m = int(rng.integers(2, 6))
    n = df * m * m
    idf = _idf(n, df)
    # ln(N'/df) = 2 ln(N/df)  ⇒  N' = N²/df;  ln(N/df') = ½ ln(N/df)  ⇒  df' = √(N·df).
    answer = {"idf": idf, "n_double": n * n // df, "df_half": math.isqrt(n * df)}
    values = {
        "n": n,
        "df": df,
        "ratio": n // df,
        "added": answer["n_double"] - n,
        "log10_idf": idf / math.log(10),
        **answer,
    }
    return Variant(values=values, answer=answer)


# ----------------------------------------- df counted per occurrence: a bug


# Shown to students exactly as written (inspect.getsource), bug included; the
# generator runs it to find what it returns.
def idf(documents: list[list[str]], word: str) -> float:
    df = sum(doc.count(word) for doc in documents)
    return math.log(len(documents) / df)


OCCURRENCE_IDF_CODE = inspect.getsource(idf)


def _occurrence_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    count = int(rng.integers(4, 7))
    documents = [
        [str(w) for w in rng.choice(WORDS, size=int(rng.integers(4, 8)))]
        for _ in range(count)
    ]
    vocabulary = sorted({w for d in documents for w in d})

    def most(word: str) -> int:
        return max(d.count(word) for d in documents)

    def spread(word: str) -> int:
        return sum(word in d for d in documents)

    repeated = [w for w in vocabulary if most(w) >= 2 and spread(w) < count]
    single = [w for w in vocabulary if most(w) == 1 and spread(w) < count]
    if not repeated or not single:
        return None
    first, second = str(rng.choice(repeated)), str(rng.choice(single))
    true = text.inverse_document_frequency(documents, [first, second]).numpy()
    returned = [idf(documents, first), idf(documents, second)]
    if abs(returned[0] - true[0]) < 0.05 or abs(returned[1] - true[1]) > 1e-12:
        return None
    # The three answers apart, so that no two parts can be swapped unnoticed.
    if min(abs(returned[1] - returned[0]), abs(returned[1] - true[0])) < 0.05:
        return None
    return {"documents": documents, "first": first, "second": second,
            "true": true, "returned": returned}  # fmt: skip


def _occurrence_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if abs(answer["buggy_repeat"] - answer["correct_repeat"]) < 0.05:
        return "the bug does not show"
    single = answer["buggy_single"]
    if (
        min(
            abs(single - answer["buggy_repeat"]), abs(single - answer["correct_repeat"])
        )
        < 0.05
    ):
        return "the value for word 2 is close to a value for word 1"
    return None


@generator(
    "exam_tfidf_df_occurrences",
    guarantees=(
        "4 to 6 documents of 4 to 7 words over a 10-word vocabulary",
        "word 1 repeats inside a document, word 2 never does; neither is in every document",
        "the code's value for word 1 differs from the right IDF by at least 0.05",
        "the value for word 2 is at least 0.05 from both values for word 1",
        "the code's values by running the shown function; the right IDF from the engine",
    ),
    holds=_occurrence_holds,
)
def exam_tfidf_df_occurrences(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    draw = bounded_draw(rng, _occurrence_draw)
    documents, first, second = draw["documents"], draw["first"], draw["second"]
    answer = {
        "buggy_repeat": draw["returned"][0],
        "buggy_single": draw["returned"][1],
        "correct_repeat": float(draw["true"][0]),
    }
    values = {
        **draw,
        **answer,
        "code": OCCURRENCE_IDF_CODE,
        "texts": [" ".join(d) for d in documents],
        "n": len(documents),
        "occurrences": sum(d.count(first) for d in documents),
        "df_first": sum(first in d for d in documents),
        "df_second": sum(second in d for d in documents),
    }
    return Variant(values=values, answer=answer)
