"""Exercise specs for lecture 7.3: cosine similarity of two vectors and of the
rows of a matrix."""

from __future__ import annotations

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
    swapped_pairs_agree,
)

CLOSE = allclose(rtol=0.0, atol=1e-6)
# Laws are checked with the comparator's tolerance, so that a float32 solution
# failing elsewhere is not also told that its 1.0000001 breaks them.
LAW_TOLERANCE = 1e-6
NO_LIBRARIES = (
    "sklearn",
    "scipy",
    "gensim",
    "torch.nn.functional.cosine_similarity",
    "torch.nn.CosineSimilarity",
)
# The slides' 2-D example: dimensions 'large' and 'data'.
DIGITAL, INFORMATION, APRICOT = [1.0, 1.0], [2.0, 3.0], [6.0, 1.0]


def _random_vector(rng: np.random.Generator, size: int) -> np.ndarray:
    """Rounded Gaussian entries with a norm well away from zero."""
    while True:
        vector = np.round(rng.normal(0.0, 1.0, size=size), 3)
        if np.linalg.norm(vector) > 0.5:
            return vector


def cosine_cases(seed: int) -> list[Case]:
    edge = [
        ("parallel", [1.0, 2.0, 3.0], [2.0, 4.0, 6.0],
         "edge: same direction, different lengths"),
        ("opposite", [1.0, -2.0], [-2.0, 4.0], "edge: opposite directions"),
        ("orthogonal", [1.0, 0.0, 0.0], [0.0, 3.0, 0.0], "edge: orthogonal"),
        ("length one", [3.0], [-2.0], "edge: vectors with one entry"),
        ("zero vector", [0.0, 0.0, 0.0], [1.0, 2.0, 3.0],
         "edge: a is the zero vector, the cosine is defined as 0"),
        ("zero vector swapped", [1.0, 2.0, 3.0], [0.0, 0.0, 0.0],
         "edge: b is the zero vector, the cosine is defined as 0"),
        ("both zero", [0.0, 0.0], [0.0, 0.0],
         "edge: both vectors are zero, the cosine is defined as 0"),
        ("digital vs information", DIGITAL, INFORMATION, "edge: the slides' example"),
        ("digital vs information swapped", INFORMATION, DIGITAL,
         "edge: the slides' example, swapped"),
        ("digital vs apricot", DIGITAL, APRICOT, "edge: the slides' example"),
    ]  # fmt: skip
    cases = [
        Case(name, {"a": np.array(a), "b": np.array(b)}, label)
        for name, a, b, label in edge
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        size = int(rng.integers(2, 9))
        cases.append(
            Case(
                f"random {i + 1}",
                {"a": _random_vector(rng, size), "b": _random_vector(rng, size)},
                "random",
                hidden=i >= 4,
            )
        )
    return cases


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b))


def _distance(a: np.ndarray, b: np.ndarray) -> float:
    return 1.0 - text.cosine_similarity(a, b)


def _in_range(kwargs: dict[str, Any], got: Any) -> str | None:
    # nan and inf are the comparator's to report; this law is about numbers.
    values = np.asarray(got, float)
    values = values[np.isfinite(values)]
    if (np.abs(values) <= 1 + LAW_TOLERANCE).all():
        return None
    return f"a cosine of {values.flat[np.argmax(np.abs(values))]:g}"


_symmetric = swapped_pairs_agree(
    lambda value, twin: f"cos(a, b) = {value:g} but cos(b, a) = {twin:g}",
    tolerance=LAW_TOLERANCE,
)


COSINE_SIMILARITY = register(
    ExerciseSpec(
        id="cosine_similarity",
        title="Cosine similarity of two vectors",
        topic="7.3",
        entry_point="cosine_similarity",
        signature="def cosine_similarity(a, b) -> float",
        statement=(
            "a and b are 1-D arrays of the same length. Return cos(a, b) = "
            "a·b / (‖a‖ ‖b‖) with the Euclidean norm, a float in [−1, 1]. If either "
            "vector is all zeros, return 0."
        ),
        reference=text.cosine_similarity,
        make_cases=cosine_cases,
        compare=CLOSE,
        mistakes=(
            Mistake(
                "cosine-dot-product",
                "Dot product, not normalised",
                "a·b grows with the lengths of the vectors. Divide by ‖a‖ ‖b‖ so that "
                "only the angle counts: parallel vectors give 1 whatever their length.",
                _dot,
                point="Look at what you do after the dot product: in the case "
                "'parallel', b is 2a; should doubling a vector change the cosine?",
                fix="`norms = np.linalg.norm(a) * np.linalg.norm(b)`, then "
                "`return 0.0 if norms == 0 else float(np.dot(a, b) / norms)`.",
            ),
            Mistake(
                "cosine-distance",
                "Cosine distance 1 − cos",
                "You returned the cosine distance 1 − cos(a, b) (what scipy's "
                "distance.cosine computes). Return the similarity itself: 1 for the "
                "same direction, 0 for orthogonal vectors.",
                _distance,
                point="Look at the expression you return: what does it give for two "
                "vectors with the same direction, as in the case 'parallel'?",
                fix="Return `np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))` "
                "itself (0 when a norm is 0), not `1 -` that value.",
            ),
        ),
        properties=(
            Property("cosine-range", "cos(a, b) lies in [−1, 1]", per_case(_in_range)),
            Property("cosine-symmetric", "cos(a, b) = cos(b, a)", _symmetric),
        ),
        forbidden=NO_LIBRARIES,
    )
)


def pairwise_cases(seed: int) -> list[Case]:
    edge = [
        ("one row", [[1.0, 2.0, 2.0]], "edge: a single row"),
        ("one column", [[2.0], [-1.0], [0.5]], "edge: rows with one entry"),
        ("wide", [[1.0, 0.0, 2.0, -1.0], [0.5, 1.0, 1.0, 0.0]],
         "edge: more columns than rows"),
        ("zero row", [[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]],
         "edge: a zero row has similarity 0 with every row, itself included"),
        ("slides", [DIGITAL, INFORMATION, APRICOT],
         "edge: the slides' digital, information, apricot"),
    ]  # fmt: skip
    cases = [
        Case(name, {"matrix": np.array(matrix)}, label) for name, matrix, label in edge
    ]
    rng = np.random.default_rng(seed)
    for i, (rows, columns) in enumerate([(3, 3), (4, 2), (2, 5), (4, 4), (5, 3)]):
        matrix = np.stack([_random_vector(rng, columns) for _ in range(rows)])
        cases.append(
            Case(f"random {i + 1}", {"matrix": matrix}, "random", hidden=i >= 3)
        )
    return cases


def _pairwise_columns(matrix: np.ndarray) -> Any:
    return text.pairwise_cosine(np.asarray(matrix).T)


def _pairwise_dot(matrix: np.ndarray) -> np.ndarray:
    return np.asarray(matrix) @ np.asarray(matrix).T


def _pairwise_distance(matrix: np.ndarray) -> Any:
    return 1.0 - text.pairwise_cosine(matrix)


def _matrix_symmetric(kwargs: dict[str, Any], got: Any) -> str | None:
    values = np.asarray(got, float)
    if values.ndim == 2 and np.allclose(
        values, values.T, rtol=0, atol=LAW_TOLERANCE, equal_nan=True
    ):
        return None
    return "the matrix is not symmetric"


def _unit_diagonal(kwargs: dict[str, Any], got: Any) -> str | None:
    values = np.asarray(got, float)
    nonzero = np.linalg.norm(np.asarray(kwargs["matrix"]), axis=1) > 0
    diagonal = np.diagonal(values)
    if np.allclose(diagonal[nonzero], 1.0, atol=1e-6):
        return None
    return f"diagonal {np.round(diagonal, 4).tolist()} is not 1 for non-zero rows"


PAIRWISE_SAYS = "an (n, d) matrix gives an array of shape (n, n)"

PAIRWISE_COSINE = register(
    ExerciseSpec(
        id="pairwise_cosine",
        title="Pairwise cosine similarity of the rows of a matrix",
        topic="7.3",
        entry_point="pairwise_cosine",
        signature="def pairwise_cosine(matrix) -> np.ndarray",
        statement=(
            "matrix is a 2-D array whose ROWS are n vectors of length d: "
            f"{PAIRWISE_SAYS}, whose entry [i, j] is the cosine similarity of row i "
            "and row j. A zero row has similarity 0 with every row, itself included."
        ),
        reference=text.pairwise_cosine,
        make_cases=pairwise_cases,
        compare=CLOSE,
        mistakes=(
            Mistake(
                "pairwise-cosine-columns",
                "Similarities between columns, not rows",
                "The vectors are the rows of the matrix: the answer is n × n for an "
                "n × d input. Normalise each row and multiply by the transpose, "
                "X̂ X̂ᵀ, not X̂ᵀ X̂.",
                _pairwise_columns,
                point="Check the shape of your result on the case 'wide', 2 rows of "
                "length 4: should it be 2 × 2 or 4 × 4?",
                fix="`norms = np.linalg.norm(matrix, axis=1, keepdims=True)`, "
                "`unit = matrix / np.where(norms > 0, norms, 1.0)`, then "
                "`return unit @ unit.T`.",
            ),
            Mistake(
                "pairwise-cosine-dot-product",
                "Dot products, not normalised",
                "X Xᵀ holds the dot products of the rows. Divide each row by its norm "
                "first so that every non-zero row has similarity 1 with itself.",
                _pairwise_dot,
                point="Look at the diagonal of your result: what should a non-zero "
                "row's similarity with itself be, whatever its length?",
                fix="Normalise the rows before the product: `norms = "
                "np.linalg.norm(matrix, axis=1, keepdims=True)`, `unit = matrix / "
                "np.where(norms > 0, norms, 1.0)`, `return unit @ unit.T`.",
            ),
            Mistake(
                "pairwise-cosine-distance",
                "Cosine distances 1 − cos",
                "You returned distances (0 on the diagonal). Return the similarities "
                "themselves.",
                _pairwise_distance,
                point="Look at the last operation on your matrix: which value does it "
                "put where a row meets itself, and which value belongs there?",
                fix="Return `unit @ unit.T` (rows divided by their norms) as it is, "
                "not `1 - unit @ unit.T`.",
            ),
        ),
        properties=(
            Property(
                "pairwise-cosine-range", "entries lie in [−1, 1]", per_case(_in_range)
            ),
            Property(
                "pairwise-cosine-symmetric",
                "the matrix is symmetric",
                per_case(_matrix_symmetric),
            ),
            Property(
                "pairwise-cosine-unit-diagonal",
                "a non-zero row has similarity 1 with itself",
                per_case(_unit_diagonal),
            ),
        ),
        forbidden=NO_LIBRARIES,
        shapes=(
            ShapePromise(
                says=PAIRWISE_SAYS,
                applies=lambda kwargs: np.ndim(kwargs["matrix"]) == 2,
                shape=lambda kwargs: (len(kwargs["matrix"]),) * 2,
            ),
        ),
    )
)
