"""One GRU step in the notes' form: reset before the matrix, z weighting the new candidate."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="gru_cell",
    entry_point="gru_cell",
    source="""
import numpy as np


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def gru_cell(x, h_prev, W_z, W_r, W_h):
    # § Inputs as arrays
    x, h_prev = np.asarray(x, dtype=float), np.asarray(h_prev, dtype=float)  # why: lists become float arrays, for one sample or a batch of rows
    W_z, W_r, W_h = (np.asarray(m, dtype=float) for m in (W_z, W_r, W_h))  # why: the same for the three weight matrices
    # § The two gates
    hx = np.concatenate([h_prev, x], axis=-1)  # why: both gates read [h_prev, x], the state first, along the last axis
    z = sigmoid(hx @ W_z.T)  # why: the update gate; with samples as rows W_z [h, x] is [h, x] @ W_zᵀ
    r = sigmoid(hx @ W_r.T)  # why: the reset gate, from the same input
    # § The candidate state
    h_tilde = np.tanh(np.concatenate([r * h_prev, x], axis=-1) @ W_h.T)  # why: the reset gate scales h_prev BEFORE the matrix, deciding how much of the past the candidate sees
    # § Mix the old state and the candidate
    return (1 - z) * h_prev + z * h_tilde  # why: z weights the new candidate and 1 − z keeps the old state, as in the notes
""",
    blanks=(
        BlankSpec(
            "(1 - z) * h_prev + z * h_tilde",
            "the new state, mixing the old one and the candidate as the notes do",
            ("gru-z-swapped",),
        ),
        BlankSpec(
            "np.concatenate([r * h_prev, x], axis=-1)",
            "what the candidate's matrix multiplies, the reset gate acting where the notes put it",
            ("gru-no-reset", "gru-reset-after"),
        ),
        BlankSpec(
            "np.concatenate([h_prev, x], axis=-1)",
            "the vector both gates read, in the notes' order",
            ("gru-input-first-concat",),
            on="hx =",
        ),
    ),
    distractors=(
        DistractorSpec(
            "return (1 - z) * h_prev + z * h_tilde",
            "return z * h_prev + (1 - z) * h_tilde",
            "gru-z-swapped",
        ),
        DistractorSpec(
            "h_tilde = np.tanh(np.concatenate([r * h_prev, x], axis=-1) @ W_h.T)",
            "h_tilde = np.tanh(np.concatenate([h_prev, x], axis=-1) @ W_h.T)",
            "gru-no-reset",
        ),
    ),
)
