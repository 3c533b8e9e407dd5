"""Exercise specs for lecture 7.2: inverse document frequency and TF-IDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from engine.reference import text
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    per_case,
)
from engine.specs.text import (
    CLOSE,
    NO_LIBRARIES,
    PER_WORD,
    VECTOR,
    counts,
    document,
    shuffled_vocabulary,
    tf,
)

Docs = list[list[str]]


NOTES_DOCS = [
    ["This", "is", "a", "a", "sample", "sample", "sample", "sample"],
    ["This", "another", "another", "example", "text"],
]
NOTES_VOCABULARY = ["This", "is", "a", "sample", "another", "example", "text"]


SUBSET_LABEL = "convention: the vocabulary's order, and words outside it are ignored"


def corpus_cases(seed: int, *, subset: str = SUBSET_LABEL) -> list[Case]:
    """Cases with kwargs (documents, vocabulary), shared by IDF and TF-IDF.

    `subset` labels the case whose vocabulary is a reordered part of the
    words (for TF-IDF, the words outside it still count in len(d))."""
    edge = [
        ("notes", NOTES_DOCS, NOTES_VOCABULARY,
         "edge: the notes' example, 'This' is in every document"),
        ("one document", [["x", "y", "x"]], ["x", "y"],
         "edge: a single document, every IDF is 0"),
        ("ratio", [["rain", "snow"], ["rain", "sun"], ["sun"]],
         ["rain", "sun", "snow"], "edge: N / df is not a whole number, ln(3 / 2)"),
        ("repeats", [["spam", "spam", "spam", "eggs"], ["eggs", "ham"],
                     ["ham", "toast"]], ["spam", "eggs", "ham", "toast"],
         "convention: a word repeated in one document counts once in df"),
        ("subset", [["a", "b", "c"], ["b", "c", "d"], ["c", "d", "e"]],
         ["e", "c", "a"], subset),
        ("case", [["The", "cat", "sat"], ["the", "dog", "sat"]],
         ["sat", "The", "the", "cat"],
         "convention: tokens match exactly, 'The' is not 'the'"),
    ]  # fmt: skip
    cases = [
        Case(name, {"documents": docs, "vocabulary": vocabulary}, label)
        for name, docs, vocabulary, label in edge
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        words = shuffled_vocabulary(rng, int(rng.integers(4, 8)))
        docs = [document(rng, words) for _ in range(int(rng.integers(2, 6)))]
        present = {word for doc in docs for word in doc}
        vocabulary = [word for word in words if word in present]
        cases.append(
            Case(
                f"random {i + 1}",
                {"documents": docs, "vocabulary": vocabulary},
                "random",
                hidden=i >= 4,
            )
        )
    return cases


def _df(docs: Docs, vocabulary: list[str]) -> np.ndarray:
    return np.array([float(sum(w in doc for doc in docs)) for w in vocabulary])


def _occurrences(docs: Docs, vocabulary: list[str]) -> np.ndarray:
    return sum((counts(doc, vocabulary) for doc in docs), np.zeros(len(vocabulary)))


IdfRule = Callable[[float, np.ndarray], np.ndarray]
IDF_RULES: dict[str, IdfRule] = {
    "ln": lambda n, df: np.log(n / df),
    "log10": lambda n, df: np.log10(n / df),
    "log2": lambda n, df: np.log2(n / df),
    "sklearn-smooth": lambda n, df: np.log((1 + n) / (1 + df)) + 1,
    "sklearn-no-smooth": lambda n, df: np.log(n / df) + 1,
    "plus-one-df": lambda n, df: np.log(n / (1 + df)),
}


def _idf_variant(rule: str = "ln", *, per_occurrence: bool = False) -> Any:
    def run(documents: Docs, vocabulary: list[str]) -> np.ndarray:
        df = (_occurrences if per_occurrence else _df)(documents, vocabulary)
        return IDF_RULES[rule](len(documents), df)

    return run


def _tfidf_variant(
    rule: str = "ln", *, per_occurrence: bool = False, raw_tf: bool = False,
    l2: bool = False,
) -> Any:  # fmt: skip
    def run(documents: Docs, vocabulary: list[str]) -> np.ndarray:
        weight = counts if raw_tf else tf
        rows = np.array([weight(doc, vocabulary) for doc in documents])
        matrix = rows * _idf_variant(rule, per_occurrence=per_occurrence)(
            documents, vocabulary
        )
        if l2:
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            matrix = matrix / np.where(norms > 0, norms, 1.0)
        return matrix

    return run


_LOG_BASE = (
    "The notes' IDF uses the natural logarithm: IDF(w) = ln(N / df(w)). "
    "Another base multiplies every IDF by a constant ({factor})."
)
_LOG_POINT = (
    "Look at the logarithm you call: which base does the statement's ln stand for? "
    "Divide your non-zero values by the expected ones: is the ratio the same "
    "everywhere?"
)
# Each named IDF mistake: key, title, explanation (teach), point, fix of the
# IDF line, and the options of the wrong variant.
_IDF_MISTAKES: list[tuple[str, str, str, str, str, dict[str, Any]]] = [
    (
        "log10",
        "IDF with log base 10",
        _LOG_BASE.format(factor="1 / ln 10 ≈ 0.434"),
        _LOG_POINT,
        "`idf = math.log(N / df)` (or `np.log`), not `math.log10(N / df)`.",
        {"rule": "log10"},
    ),
    (
        "log2",
        "IDF with log base 2",
        _LOG_BASE.format(factor="1 / ln 2 ≈ 1.443"),
        _LOG_POINT,
        "`idf = math.log(N / df)` (or `np.log`), not `math.log2(N / df)`.",
        {"rule": "log2"},
    ),
    (
        "sklearn-smooth",
        "scikit-learn's smoothed IDF",
        (
            "ln((1 + N) / (1 + df)) + 1 is scikit-learn's default IDF. The notes use "
            "ln(N / df), so a word in every document gets IDF 0, not 1."
        ),
        (
            "Compare your IDF line with ln(N / df(w)) term by term: is anything "
            "added to N, to df or to the logarithm?"
        ),
        "`idf = math.log(N / df)` in place of `math.log((1 + N) / (1 + df)) + 1`.",
        {"rule": "sklearn-smooth"},
    ),
    (
        "sklearn-no-smooth",
        "scikit-learn's IDF ln(N / df) + 1",
        (
            "ln(N / df) + 1 is scikit-learn's IDF with smooth_idf=False: its + 1 "
            "keeps a word that occurs in every document from vanishing. The notes' "
            "IDF has no + 1, so such a word gets 0."
        ),
        (
            "What IDF does your code give 'This' in the case 'notes', a word in "
            "every document, and what is ln(N / df) for it?"
        ),
        "`idf = math.log(N / df)`, without the trailing `+ 1`.",
        {"rule": "sklearn-no-smooth"},
    ),
    (
        "plus-one-df",
        "IDF ln(N / (1 + df))",
        (
            "You added 1 to df. The notes' IDF is ln(N / df): with 1 + df a word in "
            "every document gets a negative IDF instead of 0."
        ),
        (
            "Look at the denominator inside your logarithm: what does it give a "
            "word that occurs in all N documents?"
        ),
        "`idf = math.log(N / df)`, not `math.log(N / (1 + df))`.",
        {"rule": "plus-one-df"},
    ),
    (
        "df-per-occurrence",
        "df counted per occurrence",
        (
            "df(w) is the number of DOCUMENTS that contain w; a word repeated inside "
            "one document still counts once."
        ),
        (
            "Look at how you compute df(w): in the case 'repeats', 'spam' occurs "
            "three times in one document; how much should it add to df('spam')?"
        ),
        (
            "`df = sum(1 for doc in documents if word in doc)`, not "
            "`sum(doc.count(word) for doc in documents)`."
        ),
        {"per_occurrence": True},
    ),
]


def _idf_non_negative(kwargs: dict[str, Any], got: Any) -> str | None:
    values = np.asarray(got, float)
    values = values[~np.isnan(values)]  # nan is the comparator's to report
    return None if (values >= -1e-9).all() else f"negative value {values.min():g}"


INVERSE_DOCUMENT_FREQUENCY = register(
    ExerciseSpec(
        id="inverse_document_frequency",
        title="Inverse document frequency IDF(w)",
        topic="7.2",
        entry_point="inverse_document_frequency",
        signature="def inverse_document_frequency(documents, vocabulary) -> list[float]",
        statement=(
            "documents is a list of N documents, each a list of string tokens; "
            "vocabulary a list of distinct words, each in at least one document. "
            f"Return IDF(w) = ln(N / df(w)) for every vocabulary word: {PER_WORD}, "
            "in the vocabulary's order, where df(w) is the number of documents "
            "containing w and ln the natural logarithm. A word in every document gets "
            "0. Tokens match exactly (case-sensitive)."
        ),
        reference=text.inverse_document_frequency,
        make_cases=corpus_cases,
        compare=CLOSE,
        mistakes=tuple(
            Mistake(
                f"idf-{key}",
                title,
                explanation,
                _idf_variant(**options),
                point=point,
                fix=fix,
            )
            for key, title, explanation, point, fix, options in _IDF_MISTAKES
        ),
        properties=(
            Property(
                "idf-non-negative", "IDF ≥ 0 since df ≤ N", per_case(_idf_non_negative)
            ),
        ),
        forbidden=NO_LIBRARIES,
        shapes=(VECTOR,),
    )
)

MATRIX_SAYS = "a matrix of shape (len(documents), len(vocabulary))"
# The product that follows a corrected IDF line, in TF-IDF's bottom-out hints.
_TFIDF_PRODUCT = (
    " Then, with `doc = documents[d]`, `word = vocabulary[j]` and `idf[j]` the "
    "IDF of that word, entry [d][j] is `doc.count(word) / len(doc) * idf[j]`."
)

TF_IDF = register(
    ExerciseSpec(
        id="tf_idf",
        title="TF-IDF matrix",
        topic="7.2",
        entry_point="tf_idf",
        signature="def tf_idf(documents, vocabulary) -> list[list[float]]",
        statement=(
            "documents is a list of N documents, each a list of string tokens; "
            "vocabulary a list of distinct words, each in at least one document. "
            f"Return {MATRIX_SAYS}, one row per document, whose entry [d][j] is "
            "TF(w, d) · IDF(w) for w = vocabulary[j]: TF(w, d) = count of w in d / "
            "number of tokens in d (all tokens), IDF(w) = ln(N / df(w)) with the "
            "natural log and df(w) the number of documents containing w. Do not "
            "normalise the rows. Tokens match exactly (case-sensitive)."
        ),
        reference=text.tf_idf,
        make_cases=lambda seed: corpus_cases(
            seed,
            subset="convention: the vocabulary's order; words outside it still "
            "count in len(d)",
        ),
        compare=CLOSE,
        mistakes=(
            *(
                Mistake(
                    f"tfidf-{key}",
                    title,
                    explanation,
                    _tfidf_variant(**options),
                    point=point,
                    fix=fix + _TFIDF_PRODUCT,
                )
                for key, title, explanation, point, fix, options in _IDF_MISTAKES
            ),
            Mistake(
                "tfidf-raw-count-tf",
                "Raw counts as TF",
                "TF is count / len(d) in the notes, not the raw count (scikit-learn's "
                "choice). Divide each count by the number of tokens in the document.",
                _tfidf_variant(raw_tf=True),
                point="Look at your TF factor: the statement defines it as a "
                "fraction; what does your code multiply the IDF by?",
                fix="`tf = doc.count(word) / len(doc)`, then the entry is "
                "`tf * idf[j]`, not `doc.count(word) * idf[j]`.",
            ),
            Mistake(
                "tfidf-l2-rows",
                "Rows normalised to unit length",
                "scikit-learn divides each TF-IDF row by its L2 norm by default. The "
                "notes' TF-IDF is the plain product TF · IDF, not normalised.",
                _tfidf_variant(l2=True),
                point="Look at what happens to each row after you multiply TF by "
                "IDF: does the statement ask for any further step?",
                fix="Return the products `tf * idf` as they are: remove the division "
                "of each row by its norm (`row / np.linalg.norm(row)`).",
            ),
            Mistake(
                "tfidf-sklearn-defaults",
                "scikit-learn's TfidfVectorizer defaults",
                "Raw-count TF, IDF ln((1 + N) / (1 + df)) + 1 and L2-normalised rows "
                "are scikit-learn's defaults. The notes use TF = count / len(d), "
                "IDF = ln(N / df) and no normalisation.",
                _tfidf_variant("sklearn-smooth", raw_tf=True, l2=True),
                point="Check the three parts of your code against the statement one "
                "by one: the TF, the IDF, and what you do to each row at the end.",
                fix="`tf = doc.count(word) / len(doc)`, `idf = math.log(N / df)`, "
                "entry `tf * idf`, and no division of the rows by their norms.",
            ),
        ),
        properties=(
            Property(
                "tfidf-non-negative",
                "TF-IDF ≥ 0 since df ≤ N",
                per_case(_idf_non_negative),
            ),
        ),
        forbidden=NO_LIBRARIES,
        shapes=(
            ShapePromise(
                says=MATRIX_SAYS,
                applies=lambda kwargs: True,
                shape=lambda kwargs: (
                    len(kwargs["documents"]),
                    len(kwargs["vocabulary"]),
                ),
            ),
        ),
    )
)
