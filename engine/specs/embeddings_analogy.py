"""Exercise spec for lecture 7.6: word analogies by vector arithmetic (the CBOW
context average of 7.4 is in `embeddings_cbow`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from engine.compare import equal
from engine.reference import embeddings
from engine.specs import register
from engine.specs.base import Case, ExerciseSpec, Mistake, Property, per_case
from engine.specs.embeddings import NO_LIBRARIES

ROYALS = {
    "man": [0.2, -1.0, 0.1],
    "woman": [0.2, 1.0, 0.1],
    "king": [2.0, -1.0, 0.3],
    "queen": [1.8, 1.1, 0.2],
    "prince": [1.5, -0.5, 0.8],
    "apple": [-0.5, 0.0, 2.0],
    "emperor": [6.0, 0.0, 3.0],
}
CAPITALS = {
    "France": [0.0, 2.0, 0.0, 0.2],
    "Paris": [0.6, 2.0, 0.0, 0.1],
    "Italy": [0.0, 0.0, 2.0, 0.2],
    "Rome": [0.9, 0.3, 1.6, -0.3],
    "Berlin": [0.8, 0.0, 0.0, 1.0],
    "pasta": [-0.5, 0.0, 1.0, -1.0],
}
VERBS = {
    "walk": [1.0, 0.0, 0.0],
    "walked": [1.0, 1.0, 0.0],
    "swam": [0.0, 1.0, 1.0],
    "swim": [0.3, 0.2, 3.0],
    "run": [0.9, 0.0, 0.6],
    "ran": [0.6, 1.0, 0.8],
}
# king and woman are both nearer to king − man + woman than queen is.
QUERY_NEAREST = {
    "man": [-0.1, -1.5, 0.0],
    "woman": [0.0, 2.7, -0.1],
    "king": [2.8, 0.3, -0.1],
    "queen": [2.2, -0.3, 0.6],
    "crown": [1.5, -1.4, 0.3],
    "apple": [-0.4, -0.2, 0.3],
}
# Every word but the query words has a negative cosine with the query.
ALL_NEGATIVE = {
    "hot": [1.1, 0.6, 0.4],
    "cold": [-1.0, 0.8, -0.8],
    "summer": [1.1, 0.8, -0.3],
    "winter": [-0.9, 1.1, 1.5],
    "sun": [1.4, 0.2, 2.0],
    "ice": [-0.4, -1.1, 1.1],
}
NAMES = ["sun", "moon", "star", "sky", "sea", "rock", "tree", "leaf", "bird", "fish"]
Score = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _cosine(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1) * np.linalg.norm(query)
    return vectors @ query / np.where(norms > 0, norms, 1.0)


def _ranked(
    scores: np.ndarray, vocabulary: list[str], exclude: Sequence[str]
) -> list[int]:
    order = [int(i) for i in np.argsort(-scores, kind="stable")]
    return [i for i in order if vocabulary[i] not in exclude]


def _analogy_variant(
    *, score: Score = _cosine, exclude: bool = True, reverse: bool = False,
    unit_inputs: bool = False,
) -> Any:  # fmt: skip
    def run(
        embeddings: np.ndarray, vocabulary: list[str], a: str, b: str, c: str
    ) -> str:
        vectors = np.asarray(embeddings, float)
        pick = {word: vectors[vocabulary.index(word)] for word in (a, b, c)}
        if unit_inputs:  # gensim's most_similar: unit vectors, then the average
            pick = {word: v / np.linalg.norm(v) for word, v in pick.items()}
        query = pick[b] - pick[a] + pick[c] if reverse else pick[a] - pick[b] + pick[c]
        ranked = _ranked(
            score(vectors, query), vocabulary, (a, b, c) if exclude else ()
        )
        return vocabulary[ranked[0]]

    return run


GENSIM_STYLE = _analogy_variant(unit_inputs=True)


def _margin(score: np.ndarray, vocabulary: list[str], exclude: Sequence[str]) -> float:
    ranked = _ranked(score, vocabulary, exclude)
    return float(score[ranked[0]] - score[ranked[1]])


def _random_analogy(rng: np.random.Generator) -> dict[str, Any]:
    """Embeddings on which raw and gensim-style arithmetic agree with a margin."""
    while True:
        size = int(rng.integers(6, 10))
        vocabulary = [str(w) for w in rng.choice(NAMES, size=size, replace=False)]
        vectors = rng.normal(0.0, 1.0, size=(size, int(rng.integers(3, 6))))
        vectors *= rng.uniform(0.5, 2.5, size=(size, 1)) / np.linalg.norm(
            vectors, axis=1, keepdims=True
        )
        a, b, c, d = (int(i) for i in rng.choice(size, size=4, replace=False))
        answer = (vectors[a] - vectors[b] + vectors[c]) * rng.uniform(0.6, 1.8)
        vectors[d] = answer + rng.normal(0.0, 0.25, size=answer.shape)
        vectors = np.round(vectors, 3)
        kwargs = {"embeddings": vectors, "vocabulary": vocabulary}
        kwargs.update(a=vocabulary[a], b=vocabulary[b], c=vocabulary[c])
        if _agrees_clearly(kwargs, vocabulary[d]):
            return kwargs


def _agrees_clearly(kwargs: dict[str, Any], answer: str) -> bool:
    vectors, vocabulary = kwargs["embeddings"], kwargs["vocabulary"]
    words = [kwargs["a"], kwargs["b"], kwargs["c"]]
    rows = np.array([vectors[vocabulary.index(w)] for w in words], float)
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    margins = [
        _margin(_cosine(vectors, m[0] - m[1] + m[2]), vocabulary, words)
        for m in (rows, unit)
    ]
    agree = embeddings.analogy(**kwargs) == answer == GENSIM_STYLE(**kwargs)
    return agree and min(margins) > 0.02


def _table_case(
    name: str, table: dict[str, list[float]], words: str, label: str
) -> Case:
    a, b, c = words.split()
    kwargs = {"embeddings": np.array(list(table.values())), "vocabulary": list(table)}
    return Case(name, {**kwargs, "a": a, "b": b, "c": c}, label)


def analogy_cases(seed: int) -> list[Case]:
    cases = [
        _table_case("king", ROYALS, "king man woman", "edge: king − man + woman"),
        _table_case(
            "rome",
            CAPITALS,
            "Paris France Italy",
            "convention: the query words are excluded (Italy itself is closest)",
        ),
        _table_case("reverse", ROYALS, "queen woman man", "edge: queen − woman + man"),
        _table_case(
            "swim",
            VERBS,
            "walk walked swam",
            "edge: the answer's vector is long, a short one is nearer in distance",
        ),
        _table_case(
            "query words nearest",
            QUERY_NEAREST,
            "king man woman",
            "convention: the query words are excluded (woman and king are the two "
            "nearest words)",
        ),
        _table_case(
            "negative cosines",
            ALL_NEGATIVE,
            "summer hot cold",
            "edge: every candidate has a negative cosine; the largest still wins",
        ),
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        cases.append(
            Case(f"random {i + 1}", _random_analogy(rng), "random", hidden=i >= 4)
        )
    return cases


def _dot(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    return vectors @ query


def _negative_distance(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    return -np.linalg.norm(vectors - query, axis=1)


ANALOGY = register(
    ExerciseSpec(
        id="analogy",
        title="Word analogy a − b + c",
        topic="7.6",
        entry_point="analogy",
        signature="def analogy(embeddings, vocabulary, a, b, c) -> str",
        statement=(
            "embeddings is a (|V|, D) array whose row i is the vector of "
            "vocabulary[i]. Return the word whose vector has the highest cosine "
            "similarity with v(a) − v(b) + v(c) (raw vectors, as in king − man + "
            "woman ≈ queen), never one of the three words a, b, c themselves: they "
            "are left out of the search, and the highest cosine among the other "
            "words wins even when it is negative."
        ),
        reference=embeddings.analogy,
        make_cases=analogy_cases,
        compare=equal(),
        mistakes=(
            Mistake(
                "analogy-no-exclusion",
                "Query words not excluded",
                "v(a) − v(b) + v(c) is often closest to v(c) or v(a) itself. Leave "
                "the three query words out of the search, as word2vec and gensim do.",
                _analogy_variant(exclude=False),
                point="Look at the words your search may return: can it pick a, b or "
                "c? Try the case 'rome'.",
                fix="Before the argmax, `for w in (a, b, c): scores["
                "vocabulary.index(w)] = -np.inf`, then `return "
                "vocabulary[int(np.argmax(scores))]`.",
            ),
            Mistake(
                "analogy-dot-product",
                "Largest dot product instead of cosine",
                "The dot product favours long vectors (frequent words). Rank by "
                "cosine similarity: divide by both vectors' norms.",
                _analogy_variant(score=_dot),
                point="Look at how you score a candidate: would a longer vector "
                "pointing the same way score higher? Should it?",
                fix="`scores = embeddings @ query / (np.linalg.norm(embeddings, "
                "axis=1) * np.linalg.norm(query))` with `query = v(a) - v(b) + v(c)`.",
            ),
            Mistake(
                "analogy-euclidean",
                "Nearest by Euclidean distance",
                "The notes compare embeddings by angle, not by distance: rank the "
                "words by cosine similarity with v(a) − v(b) + v(c).",
                _analogy_variant(score=_negative_distance),
                point="Look at the measure you rank the candidates by: is it the one "
                "the statement names? Try the case 'swim'.",
                fix="`np.argmax(embeddings @ query / (np.linalg.norm(embeddings, "
                "axis=1) * np.linalg.norm(query)))` (query words excluded), not "
                "`np.argmin(np.linalg.norm(embeddings - query, axis=1))`.",
            ),
            Mistake(
                "analogy-reversed",
                "v(b) − v(a) + v(c)",
                "The analogy 'a is to b as ? is to c' is v(a) − v(b) + v(c): "
                "king − man + woman. You subtracted the wrong word.",
                _analogy_variant(reverse=True),
                point="Look at the line that builds the query vector: which of the "
                "three words carries the minus sign?",
                fix="`query = embeddings[vocabulary.index(a)] - "
                "embeddings[vocabulary.index(b)] + embeddings[vocabulary.index(c)]`.",
            ),
        ),
        properties=(
            Property(
                "analogy-not-a-query-word",
                "the answer is a vocabulary word other than a, b and c",
                per_case(
                    lambda kwargs, got: (
                        None
                        if got in kwargs["vocabulary"]
                        and got not in (kwargs["a"], kwargs["b"], kwargs["c"])
                        else f"{got!r} is a query word or not in the vocabulary"
                    )
                ),
            ),
        ),
        forbidden=NO_LIBRARIES,
    )
)
