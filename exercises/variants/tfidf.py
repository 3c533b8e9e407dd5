"""Variants for lecture 7.1–7.2: one-hot, bag-of-words and count vectors, TF-IDF
by hand (with error carried forward), IDF and its log base."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from engine.reference import text
from exercises.variants import Variant, generator
from exercises.variants._common import differs, matrix_text

WORDS = ("cat", "dog", "sat", "mat", "the", "on", "ran", "fast", "log", "sun")
SENTENCE_WORDS = ("dogs", "cats", "chase", "love", "birds", "and", "not", "fish")


def _vocabulary(rng: np.random.Generator, pool: Sequence[str], size: int) -> list[str]:
    """Distinct words in an order that is not alphabetical."""
    while True:
        words = [str(w) for w in rng.choice(pool, size=size, replace=False)]
        if words != sorted(words):
            return words


def _corpus(
    rng: np.random.Generator,
    vocabulary: list[str],
    count: int,
    lengths: tuple[int, int],
) -> list[list[str]]:
    return [
        [str(w) for w in rng.choice(vocabulary, size=int(rng.integers(*lengths)))]
        for _ in range(count)
    ]


# ----------------------------------------------------------- 7.1 vectors of words


def _one_hot_holds(variant: Variant) -> str | None:
    if not differs(variant.answer, variant.values["alphabetical"], 0.5):
        return "the word sits at the same index in alphabetical order"
    return None


@generator(
    "one_hot_vector",
    guarantees=(
        "a vocabulary of 6 words in a given, non-alphabetical order",
        "the asked word's index differs from its index in alphabetical order",
        "the answer from the engine's one_hot",
    ),
    holds=_one_hot_holds,
)
def one_hot_vector(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        vocabulary = _vocabulary(rng, SENTENCE_WORDS, 6)
        word = str(rng.choice(vocabulary))
        if vocabulary.index(word) != sorted(vocabulary).index(word):
            break
    answer = text.one_hot(word, vocabulary).numpy()
    alphabetical = text.one_hot(word, sorted(vocabulary)).numpy()
    values = {
        "vocabulary": vocabulary,
        "word": word,
        "position": vocabulary.index(word) + 1,
        "size": len(vocabulary),
        "alphabetical": alphabetical,
        "alphabetical_text": matrix_text(alphabetical),
        "one_hot": answer,
    }
    return Variant(values=values, answer=answer)


def _document_vectors_holds(variant: Variant) -> str | None:
    if not differs(variant.values["counts"], variant.values["bow"], 0.5):
        return "no word repeats inside a sentence, so counts equal the bag of words"
    if not differs(variant.answer, variant.values["sorted_columns"], 0.5):
        return "alphabetical columns give the same matrix"
    return None


@generator(
    "document_vectors",
    guarantees=(
        "3 sentences of 3 to 6 tokens over a 5-word vocabulary in non-alphabetical order",
        "every vocabulary word occurs somewhere and every token is in the vocabulary",
        "some word repeats inside a sentence, so counts and 0/1 differ",
        "params: {mode: bow} for the 0/1 bag of words, {mode: counts} for counts",
        "answers from the engine's bag_of_words / count_vector",
    ),
    holds=_document_vectors_holds,
)
def document_vectors(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    mode = params.get("mode", "counts")
    while True:
        vocabulary = _vocabulary(rng, SENTENCE_WORDS, 5)
        sentences = _corpus(rng, vocabulary, 3, (3, 7))
        counts = np.stack([text.count_vector(s, vocabulary).numpy() for s in sentences])
        bow = np.stack([text.bag_of_words(s, vocabulary).numpy() for s in sentences])
        answer = bow if mode == "bow" else counts
        sorted_columns = answer[:, np.argsort(vocabulary)]
        if (
            counts.sum(0).min() > 0
            and differs(counts, bow, 0.5)
            and differs(answer, sorted_columns, 0.5)
        ):
            break
    values = {
        "sentences": [" ".join(s) for s in sentences],
        "vocabulary": vocabulary,
        "counts": counts,
        "bow": bow,
        "sorted_columns": sorted_columns,
        "other_text": matrix_text(counts if mode == "bow" else bow),
        "sorted_text": matrix_text(sorted_columns),
        "answer": answer,
    }
    return Variant(values=values, answer=answer)


# --------------------------------------------------------------------- 7.2 TF-IDF


def _tfidf_holds(variant: Variant) -> str | None:
    if variant.answer["idf"] == 0:
        return "the word is in every document (IDF 0 makes the product trivially 0)"
    return None


@generator(
    "tfidf_by_hand",
    guarantees=(
        "3 or 4 short documents of 4 to 8 words from a 10-word vocabulary",
        "the asked word occurs in the asked document but not in every document (IDF > 0)",
        "answers from the engine: TF = count/len, IDF = ln(N/df), natural log",
    ),
    holds=_tfidf_holds,
)
def tfidf_by_hand(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        count = int(rng.integers(3, 5))
        documents = [
            [str(word) for word in rng.choice(WORDS, size=int(rng.integers(4, 9)))]
            for _ in range(count)
        ]
        target = int(rng.integers(count))
        word = str(rng.choice(documents[target]))
        frequency = sum(word in document for document in documents)
        if frequency < count:
            break
    vocabulary = sorted({w for document in documents for w in document})
    column = vocabulary.index(word)
    tf = float(text.term_frequency(documents[target], vocabulary)[column])
    idf = float(text.inverse_document_frequency(documents, vocabulary)[column])
    answer = {
        "tf": tf,
        "idf": idf,
        "tfidf": float(text.tf_idf(documents, vocabulary)[target, column]),
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The product of the student's own TF and IDF."""
        if part == "tfidf" and {"tf", "idf"} <= earlier.keys():
            return earlier["tf"] * earlier["idf"]
        return None

    values = {
        "documents": [" ".join(document) for document in documents],
        "document_number": target + 1,
        "word": word,
        "count_in_document": documents[target].count(word),
        "length": len(documents[target]),
        "n_documents": count,
        "df": frequency,
        **answer,
    }
    return Variant(values=values, answer=answer, follow=follow)


def _tfidf_row_holds(variant: Variant) -> str | None:
    idf = variant.values["idf"]
    if not (
        np.isclose(idf, 0).any() and (np.asarray(variant.answer) > 0.05).sum() >= 2
    ):
        return "the row needs a word in every document and two positive entries"
    return None


@generator(
    "tfidf_row",
    guarantees=(
        "3 documents of 4 or 5 tokens over a 4-word vocabulary (non-alphabetical order)",
        "every vocabulary word occurs; exactly one word is in every document (IDF 0)",
        "the asked document has at least two entries above 0.05",
        "answers from the engine's tf_idf (TF = count/len, natural-log IDF, no norm)",
    ),
    holds=_tfidf_row_holds,
)
def tfidf_row(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        vocabulary = _vocabulary(rng, WORDS, 4)
        documents = _corpus(rng, vocabulary, 3, (4, 6))
        df = text.document_frequency(documents, vocabulary).numpy()
        if df.min() == 0 or (df == 3).sum() != 1:
            continue
        target = int(rng.integers(3))
        row = text.tf_idf(documents, vocabulary)[target].numpy()
        if (row > 0.05).sum() >= 2:
            break
    idf = text.inverse_document_frequency(documents, vocabulary).numpy()
    tf = text.term_frequency(documents[target], vocabulary).numpy()
    counts = text.count_vector(documents[target], vocabulary).numpy()
    values = {
        "documents": [" ".join(d) for d in documents],
        "vocabulary": vocabulary,
        "document_number": target + 1,
        "length": len(documents[target]),
        "df": df,
        "idf": idf,
        "tf": tf,
        "row": row,
        "everywhere": vocabulary[int(np.argmax(df))],
        "log10_text": matrix_text(tf * idf / math.log(10)),
        "counts_text": matrix_text(counts * idf),
    }
    return Variant(values=values, answer=row)


def _idf_steps_holds(variant: Variant) -> str | None:
    if not variant.answer["zero"]:
        return "no word is in every document"
    if variant.values["per_occurrence_differs"] is False:
        return "no word repeats inside a document"
    return None


@generator(
    "idf_steps",
    guarantees=(
        "4 documents of 3 to 6 tokens over a 5-word vocabulary",
        "every vocabulary word occurs; at least one word is in every document, not all",
        "some word repeats inside a document (df counts documents, not occurrences)",
        "answers from the engine: document_frequency, IDF = ln(N/df)",
    ),
    holds=_idf_steps_holds,
)
def idf_steps(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        vocabulary = _vocabulary(rng, WORDS, 5)
        documents = _corpus(rng, vocabulary, 4, (3, 7))
        df = text.document_frequency(documents, vocabulary).numpy()
        occurrences = sum(text.count_vector(d, vocabulary).numpy() for d in documents)
        if df.min() > 0 and 1 <= (df == 4).sum() < 5 and differs(occurrences, df, 0.5):
            break
    idf = text.inverse_document_frequency(documents, vocabulary).numpy()
    answer = {
        "df": df,
        "idf": idf,
        "zero": [w for w, value in zip(vocabulary, idf, strict=True) if value == 0],
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """IDF from the student's own df; the zero words from their own IDF."""
        if part == "idf" and "df" in earlier:
            own = np.asarray(earlier["df"], dtype=float).reshape(-1)
            if own.shape == df.shape and (own > 0).all():
                return np.log(len(documents) / own)
        if part == "zero" and "idf" in earlier:
            own = np.asarray(earlier["idf"], dtype=float).reshape(-1)
            if own.shape == idf.shape:
                return [
                    w for w, v in zip(vocabulary, own, strict=True) if abs(v) < 5e-4
                ]
        return None

    values = {
        "documents": [" ".join(d) for d in documents],
        "vocabulary": vocabulary,
        "n_documents": len(documents),
        "per_occurrence_differs": differs(occurrences, df, 0.5),
        **answer,
    }
    return Variant(values=values, answer=answer, follow=follow)


def _idf_value_holds(variant: Variant) -> str | None:
    if variant.answer < 0.1:
        return f"IDF {variant.answer:g} is too close to 0 to tell log bases apart"
    return None


@generator(
    "idf_value",
    guarantees=(
        "N documents from 4 to 200, the word in df of them with IDF = ln(N/df) ≥ 0.1",
        "the answer from the engine's inverse_document_frequency (natural log)",
    ),
    holds=_idf_value_holds,
)
def idf_value(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        n = int(rng.choice([4, 5, 6, 8, 10, 12, 20, 25, 40, 50, 100, 200]))
        df = int(rng.integers(1, n))
        if math.log(n / df) >= 0.1:
            break
    documents = [["great"]] * df + [["fine"]] * (n - df)
    idf = float(text.inverse_document_frequency(documents, ["great"])[0])
    return Variant(values={"n": n, "df": df, "idf": idf}, answer=idf)
