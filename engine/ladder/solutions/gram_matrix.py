"""The Gram matrix of one (C, H, W) feature map: M = features as (C, H·W), GM = M Mᵀ."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="gram_matrix",
    entry_point="gram_matrix",
    source="""
import numpy as np


def gram_matrix(features):
    # § One row per channel
    f = np.asarray(features, dtype=float)  # why: nested lists become a (C, H, W) float array
    C, H, W = f.shape  # why: channels come first in (C, H, W), then the rows and columns of positions
    M = f.reshape(C, H * W)  # why: one row per channel holding its H·W values, read in the array's own order
    # § Every channel against every channel
    gram = M @ M.T  # why: entry (i, j) is the dot product of channels i and j over every position, a C × C matrix
    return gram  # why: the statement asks for the sums themselves: no division by a size
""",
    blanks=(
        BlankSpec(
            "M @ M.T",
            "sum channel i times channel j over all positions, for every pair",
            ("gram-positions-by-positions",),
        ),
        BlankSpec(
            "f.reshape(C, H * W)",
            "one row per channel, one column per position",
            ("gram-channels-last-reshape",),
        ),
        BlankSpec(
            "return gram",
            "return the Gram matrix as the statement defines it",
            ("gram-normalised-chw", "gram-normalised-hw"),
        ),
    ),
    distractors=(
        DistractorSpec(
            "gram = M @ M.T", "gram = M.T @ M", "gram-positions-by-positions"
        ),
        DistractorSpec("return gram", "return gram / f.size", "gram-normalised-chw"),
    ),
)
