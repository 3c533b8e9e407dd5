"""Exercise specs for lecture 7.1–7.2: bag of words, count vector, term frequency.

IDF and TF-IDF are in `engine.specs.text_tfidf`, cosine similarity in
`engine.specs.text_cosine`; they share this module's case builders.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from engine.compare import allclose
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

POOL = [
    "cat", "dog", "fish", "bird", "tree", "sun", "moon", "star", "rain", "snow",
    "wind", "fire", "stone", "leaf", "road", "ship",
]  # fmt: skip
OUTSIDE = ("the", "a", "of")
CLOSE = allclose(rtol=1e-6, atol=1e-7)
NO_LIBRARIES = ("sklearn", "gensim", "nltk", "torchtext")
# Every per-document vector: one entry per vocabulary word.
PER_WORD = "one entry per vocabulary word, shape (len(vocabulary),)"
VECTOR = ShapePromise(
    says=PER_WORD,
    applies=lambda kwargs: True,
    shape=lambda kwargs: (len(kwargs["vocabulary"]),),
)


def counts(tokens: list[str], vocabulary: list[str]) -> np.ndarray:
    found = Counter(tokens)
    return np.array([float(found[word]) for word in vocabulary])


def shuffled_vocabulary(rng: np.random.Generator, size: int) -> list[str]:
    """Distinct pool words in an order that is not alphabetical."""
    while True:
        words = [str(w) for w in rng.choice(POOL, size=size, replace=False)]
        if words != sorted(words):
            return words


def document(rng: np.random.Generator, vocabulary: list[str]) -> list[str]:
    """A document with at least one repeated word and, usually, a word outside
    the vocabulary."""
    while True:
        length = int(rng.integers(4, 11))
        choices = [*vocabulary, *OUTSIDE[: int(rng.integers(0, 3))]]
        tokens = [str(w) for w in rng.choice(choices, size=length)]
        if max(Counter(tokens).values()) > 1:
            return tokens


# ----------------------------------------------------- bag of words, counts, TF

_REORDERED = (
    ["I", "love", "dogs", "not", "cats"],
    ["I", "love", "cats", "not", "dogs"],
)


OUTSIDE_LABEL = "convention: tokens outside the vocabulary get no entry"


def document_cases(
    seed: int, *, empty: bool = True, outside: str = OUTSIDE_LABEL
) -> list[Case]:
    """Cases with kwargs (tokens, vocabulary), shared by BOW, counts and TF.

    `empty` keeps the empty document (TF requires a non-empty one); `outside`
    labels the case whose document holds tokens outside the vocabulary."""
    pets = ["love", "cats", "dogs", "hate"]
    edge = [
        ("one word", ["cat"], ["cat", "dog"], "edge: a one-word document"),
        ("repeats", ["the", "cat", "the", "the"], ["the", "cat", "sat"],
         "edge: a word repeated three times"),
        ("empty", [], ["a", "b"], "edge: an empty document"),
        ("outside", _REORDERED[0], pets, outside),
        ("outside reordered", _REORDERED[1], pets,
         "convention: the same words in another order"),
        ("order", ["apple", "zebra", "zebra", "mango", "zebra"],
         ["zebra", "apple", "mango", "kiwi"],
         "convention: columns in the vocabulary's order, not alphabetical"),
        ("case", ["The", "cat", "The"], ["the", "The", "cat"],
         "convention: tokens match exactly, 'The' is not 'the'"),
        ("whole tokens", ["cats", "category", "dog", "cat"], ["cat", "dog", "at"],
         "convention: whole tokens only, a word inside a longer token does not count"),
        ("punctuation", ["dogs", "dogs,", "cats.", "!"], ["dogs", "cats", "!"],
         "convention: punctuation is part of a token, 'dogs,' is not 'dogs'"),
    ]  # fmt: skip
    cases = [
        Case(name, {"tokens": tokens, "vocabulary": vocabulary}, label)
        for name, tokens, vocabulary, label in edge
        if empty or tokens
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        vocabulary = shuffled_vocabulary(rng, int(rng.integers(3, 8)))
        cases.append(
            Case(
                f"random {i + 1}",
                {"tokens": document(rng, vocabulary), "vocabulary": vocabulary},
                "random",
                hidden=i >= 4,
            )
        )
    return cases


def _order_free(cases: Sequence[Case], outputs: Sequence[Any]) -> str | None:
    by_name = dict(zip((case.name for case in cases), outputs, strict=True))
    for name, value in by_name.items():
        twin = by_name.get(f"{name} reordered")
        if value is None or twin is None:
            continue
        first, second = np.asarray(value, float), np.asarray(twin, float)
        if not np.allclose(first, second, equal_nan=True):
            return f"{name}: reordering the tokens changed the vector"
    return None


ORDER_FREE = Property(
    "text-order-free",
    "the vector does not depend on the order of the tokens",
    _order_free,
)


def _sorted_columns(
    function: Callable[[list[str], list[str]], Any],
) -> Callable[[list[str], list[str]], Any]:
    def run(tokens: list[str], vocabulary: list[str]) -> Any:
        return function(tokens, sorted(vocabulary))

    return run


def _presence(tokens: list[str], vocabulary: list[str]) -> np.ndarray:
    return (counts(tokens, vocabulary) > 0).astype(float)


def tf(tokens: list[str], vocabulary: list[str]) -> np.ndarray:
    return counts(tokens, vocabulary) / len(tokens)


def _zero_or_one(kwargs: dict[str, Any], got: Any) -> str | None:
    values = np.asarray(got, float)
    return None if np.isin(values, (0.0, 1.0)).all() else f"{values} is not 0/1"


BAG_OF_WORDS = register(
    ExerciseSpec(
        id="bag_of_words",
        title="Bag of words (0/1)",
        topic="7.1",
        entry_point="bag_of_words",
        signature="def bag_of_words(tokens, vocabulary) -> list[float]",
        statement=(
            "tokens is a document as a list of strings; vocabulary a list of distinct "
            f"words. Return a vector with {PER_WORD}, in the vocabulary's order: 1 "
            "if the word occurs in the document as a whole token (once or more), "
            "else 0. Tokens match exactly (case-sensitive, punctuation included); "
            "tokens outside the vocabulary are ignored. The document may be empty."
        ),
        reference=text.bag_of_words,
        make_cases=document_cases,
        compare=CLOSE,
        mistakes=(
            Mistake(
                "bow-counts",
                "Counts instead of 0/1",
                "You returned how many times each word occurs. The bag of words here "
                "only records presence: a word that occurs three times still gives 1.",
                counts,
                point="Look at what you store for a word that occurs several times: "
                "what should 'the' get in the case 'repeats', where it occurs three "
                "times?",
                fix="`present = set(tokens)`, then `return [1.0 if word in present "
                "else 0.0 for word in vocabulary]`.",
            ),
            Mistake(
                "bow-sorted-vocabulary",
                "Columns in alphabetical order",
                "Entry j belongs to vocabulary[j], in the order you were given. "
                "Sorting the vocabulary (as scikit-learn's vectorisers do) moves the "
                "columns.",
                _sorted_columns(_presence),
                point="Look at the order in which you walk through the vocabulary: "
                "does anything sort it before you build the vector?",
                fix="Loop over `vocabulary` exactly as given, not `sorted(vocabulary)`: "
                "`[1.0 if word in present else 0.0 for word in vocabulary]`.",
            ),
        ),
        properties=(
            Property("bow-binary", "entries are 0 or 1", per_case(_zero_or_one)),
            ORDER_FREE,
        ),
        forbidden=NO_LIBRARIES,
        shapes=(VECTOR,),
    )
)

COUNT_VECTOR = register(
    ExerciseSpec(
        id="count_vector",
        title="Count vector of a document",
        topic="7.1",
        entry_point="count_vector",
        signature="def count_vector(tokens, vocabulary) -> list[float]",
        statement=(
            "tokens is a document as a list of strings; vocabulary a list of distinct "
            "words. Return how many times each vocabulary word occurs in the "
            f"document as a whole token: {PER_WORD}, in the vocabulary's order. "
            "Tokens match exactly (case-sensitive, punctuation included); tokens "
            "outside the vocabulary are ignored. The document may be empty."
        ),
        reference=text.count_vector,
        make_cases=document_cases,
        compare=CLOSE,
        mistakes=(
            Mistake(
                "count-presence-only",
                "0/1 presence instead of counts",
                "You returned the 0/1 bag of words. The count vector records how many "
                "times each word occurs.",
                _presence,
                point="Look at the line that fills an entry: does it record whether "
                "the word occurs, or how often?",
                fix="`found = Counter(tokens)`, then `return [float(found[word]) for "
                "word in vocabulary]`.",
            ),
            Mistake(
                "count-sorted-vocabulary",
                "Columns in alphabetical order",
                "Entry j belongs to vocabulary[j], in the order you were given, not "
                "to the j-th word in alphabetical order.",
                _sorted_columns(counts),
                point="Look at the case 'order': which word does your first entry "
                "belong to, and which word should it?",
                fix="`[float(found[word]) for word in vocabulary]` with "
                "`found = Counter(tokens)`: the vocabulary as given, never "
                "`sorted(vocabulary)`.",
            ),
            Mistake(
                "count-divided-by-length",
                "Counts divided by the document length",
                "count / len(document) is the term frequency. The count vector holds "
                "the raw counts.",
                lambda tokens, vocabulary: (
                    counts(tokens, vocabulary) / max(1, len(tokens))
                ),
                point="Look at the last operation before you return: what does it do to "
                "the counts, and what does the statement say each entry holds?",
                fix="Return the counts unscaled: `[float(tokens.count(word)) for word "
                "in vocabulary]`, without `/ len(tokens)`.",
            ),
        ),
        properties=(ORDER_FREE,),
        forbidden=NO_LIBRARIES,
        shapes=(VECTOR,),
    )
)


def _tf_sums_to_one(kwargs: dict[str, Any], got: Any) -> str | None:
    if not set(kwargs["tokens"]) <= set(kwargs["vocabulary"]):
        return None
    total = float(np.sum(np.asarray(got, float)))
    return None if abs(total - 1) < 1e-6 else f"the TF values sum to {total:g}"


def _tf_in_vocabulary_length(tokens: list[str], vocabulary: list[str]) -> np.ndarray:
    found = counts(tokens, vocabulary)
    return found / found.sum()


TERM_FREQUENCY = register(
    ExerciseSpec(
        id="term_frequency",
        title="Term frequency TF(w, d)",
        topic="7.2",
        entry_point="term_frequency",
        signature="def term_frequency(tokens, vocabulary) -> list[float]",
        statement=(
            "tokens is a non-empty document as a list of strings; vocabulary a list "
            "of distinct words. Return TF(w, d) = count of w in d / number of tokens "
            f"in d for every vocabulary word: {PER_WORD}, in the vocabulary's order. "
            "The document length counts every token, including tokens outside the "
            "vocabulary. Tokens match exactly (case-sensitive, punctuation included)."
        ),
        reference=text.term_frequency,
        make_cases=lambda seed: document_cases(
            seed,
            empty=False,
            outside="convention: tokens outside the vocabulary get no entry but "
            "count in the length",
        ),
        compare=CLOSE,
        mistakes=(
            Mistake(
                "tf-raw-count",
                "Raw count, not divided by the document length",
                "The notes' TF is count / len(d), a fraction. The raw count is "
                "scikit-learn's TF, not this course's.",
                counts,
                point="Compare your value with the statement's TF(w, d) = count of w "
                "in d / number of tokens in d: which part is missing from your code?",
                fix="`n = len(tokens)`, then `return [tokens.count(word) / n for word "
                "in vocabulary]`.",
            ),
            Mistake(
                "tf-max-normalised",
                "Divided by the largest count",
                "You divided by the count of the most frequent word (the 'maximum "
                "TF normalisation' of some textbooks). The notes divide by the number "
                "of words in the document.",
                lambda tokens, vocabulary: (
                    counts(tokens, vocabulary) / max(Counter(tokens).values())
                ),
                point="Look at the denominator of your TF: which number of the "
                "document does the statement divide by, and which did you use?",
                fix="`[tokens.count(word) / len(tokens) for word in vocabulary]`, not "
                "a division by `max(Counter(tokens).values())`.",
            ),
            Mistake(
                "tf-in-vocabulary-length",
                "Length counts only vocabulary words",
                "len(d) is the number of tokens in the document, all of them: words "
                "outside the vocabulary make the document longer too.",
                _tf_in_vocabulary_length,
                point="Look at how you compute the document length: which tokens does "
                "it count? The case 'outside' has tokens that are not in the "
                "vocabulary.",
                fix="`n = len(tokens)` (every token), not the sum of the vocabulary "
                "words' counts; then `[tokens.count(word) / n for word in "
                "vocabulary]`.",
            ),
        ),
        properties=(
            Property(
                "tf-sums-to-one",
                "TF sums to 1 when the vocabulary covers every token",
                per_case(_tf_sums_to_one),
            ),
            ORDER_FREE,
        ),
        forbidden=NO_LIBRARIES,
        shapes=(VECTOR,),
    )
)
