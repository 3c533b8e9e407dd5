"""Cosine similarity: the dot product with both lengths divided out, 0 for a zero vector."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="cosine_similarity",
    entry_point="cosine_similarity",
    source="""
import numpy as np


def cosine_similarity(a, b):
    # § The vectors and their lengths
    a = np.asarray(a, dtype=float)  # why: as an array, a vector's dot product and norm are one call each
    b = np.asarray(b, dtype=float)  # why: the same for the second vector
    norms = np.linalg.norm(a) * np.linalg.norm(b)  # why: the product of the two Euclidean lengths, the denominator
    # § The cosine of the angle
    cosine = a @ b / norms if norms > 0 else 0.0  # why: dividing the dot product by both lengths leaves only the angle; a zero vector has none, and the statement asks for 0
    return float(cosine)  # why: the similarity itself, a plain float in [−1, 1]
""",
    blanks=(
        BlankSpec(
            "a @ b / norms",
            "the dot product with the vectors' lengths taken out",
            ("cosine-dot-product",),
        ),
        BlankSpec(
            "float(cosine)",
            "the similarity, as a float",
            ("cosine-distance",),
        ),
        BlankSpec(
            "np.linalg.norm(a) * np.linalg.norm(b)",
            "the denominator that takes both vectors' lengths out of the dot product",
            ("cosine-dot-product",),
        ),
    ),
    distractors=(
        DistractorSpec(
            "cosine = a @ b / norms if norms > 0 else 0.0",
            "cosine = a @ b if norms > 0 else 0.0",
            "cosine-dot-product",
        ),
        DistractorSpec(
            "return float(cosine)", "return float(1 - cosine)", "cosine-distance"
        ),
    ),
)
