"""Exercise spec for lecture 7.4: the CBOW context average, the mean of the
context words' embeddings that CBOW predicts the centre word from."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.compare import allclose
from engine.reference import embeddings
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    per_case,
)
from engine.specs.embeddings import NO_LIBRARIES
from engine.specs.embeddings_analogy import NAMES

APRICOT = ["lemon", "a", "tablespoon", "of", "apricot", "jam", "pinch"]


APRICOT_TABLE = np.array(
    [[0.5, -1.2, 0.3], [0.1, 0.2, -0.4], [-0.7, 0.9, 1.1], [0.3, 0.0, -0.2],
     [1.4, 0.8, -0.6], [1.2, 0.5, -0.9], [-0.3, -0.8, 0.6]]
)  # fmt: skip


def cbow_cases(seed: int) -> list[Case]:
    table = APRICOT_TABLE
    edge = [
        ("one word", table, APRICOT, ["jam"], "edge: a single context word"),
        ("notes", table, APRICOT, ["tablespoon", "of", "jam", "a"],
         "edge: the notes' ±2 window around 'apricot'"),
        ("repeated", table, APRICOT, ["a", "jam", "a"],
         "convention: a repeated context word counts twice"),
        ("length one", np.array([[1.0], [-2.0], [4.0]]), ["x", "y", "z"],
         ["z", "x"], "edge: vectors of length 1"),
    ]  # fmt: skip
    cases = [
        Case(name, {"embeddings": e, "vocabulary": v, "context": c}, label)
        for name, e, v, c, label in edge
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        size, dim = int(rng.integers(5, 9)), int(rng.integers(2, 6))
        vocabulary = [str(w) for w in rng.choice(NAMES, size=size, replace=False)]
        context = [str(w) for w in rng.choice(vocabulary, size=int(rng.integers(2, 5)))]
        kwargs = {
            "embeddings": np.round(rng.normal(0.0, 1.0, size=(size, dim)), 3),
            "vocabulary": vocabulary,
            "context": context,
        }
        cases.append(Case(f"random {i + 1}", kwargs, "random", hidden=i >= 4))
    return cases


def _cbow_sum(
    embeddings: np.ndarray, vocabulary: list[str], context: list[str]
) -> np.ndarray:
    return sum(np.asarray(embeddings)[vocabulary.index(w)] for w in context)


def _cbow_unique(
    embeddings: np.ndarray, vocabulary: list[str], context: list[str]
) -> np.ndarray:
    rows = sorted({vocabulary.index(w) for w in context})
    return np.asarray(embeddings)[rows].mean(axis=0)


CBOW_SHAPE = "a 1-D array of shape (D,) (one number per embedding dimension)"

# Float32 arithmetic: each value (|x| < 5, three decimals) rounds to float32
# with an error of up to 3e-7, and an average of opposite values cancels, so
# an absolute floor of 1e-6 with a relative 1e-5 (measured float32 errors:
# ≤ 2e-7 at seeds 0–199); every wrong variant in the bank is 0.1 or more off.
CBOW_RTOL, CBOW_ATOL = 1e-5, 1e-6


def _inside_context_box(kwargs: dict[str, Any], got: Any) -> str | None:
    rows = np.array(
        [kwargs["embeddings"][kwargs["vocabulary"].index(w)] for w in kwargs["context"]]
    )
    value = np.asarray(got, float)
    slack = CBOW_ATOL + CBOW_RTOL * np.abs(value)
    if ((rows.min(0) - slack <= value) & (value <= rows.max(0) + slack)).all():
        return None
    return "an average lies between the smallest and largest context values"


CBOW_AVERAGE = register(
    ExerciseSpec(
        id="cbow_average",
        title="CBOW: average of the context vectors",
        topic="7.4",
        entry_point="cbow_average",
        signature="def cbow_average(embeddings, vocabulary, context) -> np.ndarray",
        statement=(
            "embeddings is a (|V|, D) array whose row i is the vector of "
            "vocabulary[i]; context a list of the context words around a gap (at "
            "least one word). Return the average of their vectors, the input CBOW "
            f"uses to predict the centre word, as {CBOW_SHAPE}. A word that occurs "
            "twice in the context counts twice."
        ),
        reference=embeddings.cbow_average,
        make_cases=cbow_cases,
        compare=allclose(rtol=CBOW_RTOL, atol=CBOW_ATOL),
        mistakes=(
            Mistake(
                "cbow-sum",
                "Sum instead of average",
                "CBOW averages the context vectors: divide their sum by the number "
                "of context words.",
                _cbow_sum,
                point="Look at the last step of your function: the statement asks for "
                "an average of the context vectors; what have you computed so far?",
                fix="`rows = [embeddings[vocabulary.index(w)] for w in context]`, then "
                "`return np.mean(rows, axis=0)` (the sum divided by `len(context)`).",
            ),
            Mistake(
                "cbow-unique-words",
                "Repeated context words counted once",
                "Each position of the window contributes its word's vector, so a "
                "word that fills two positions counts twice in the average.",
                _cbow_unique,
                point="Look at how you turn the context into rows: in the case "
                "'repeated', 'a' fills two positions; how many of your rows are its?",
                fix="One row per position, duplicates kept: `np.mean([embeddings["
                "vocabulary.index(w)] for w in context], axis=0)`, not over "
                "`set(context)`.",
            ),
        ),
        properties=(
            Property(
                "cbow-inside-context",
                "each coordinate lies between the context vectors' smallest and largest",
                per_case(_inside_context_box),
            ),
        ),
        shapes=(
            ShapePromise(
                CBOW_SHAPE,
                lambda kwargs: True,
                lambda kw: (np.shape(kw["embeddings"])[1],),
            ),
        ),
        forbidden=(*NO_LIBRARIES, "torch.nn.EmbeddingBag"),
    )
)
