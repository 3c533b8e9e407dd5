"""One LSTM step with the notes' six equations, gates stacked f, i, C̃, o, acting on [h, x]."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="lstm_cell",
    entry_point="lstm_cell",
    source="""
import numpy as np


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def lstm_cell(x, h_prev, C_prev, W, b):
    # § Inputs as arrays
    x, h_prev, C_prev, W, b = (np.asarray(v, dtype=float) for v in (x, h_prev, C_prev, W, b))  # why: lists become float arrays, so @, slicing and .T work
    H = h_prev.shape[-1]  # why: the hidden size: each gate owns H rows of W and H entries of b
    # § All four gates in one product
    a = np.concatenate([h_prev, x], axis=-1) @ W.T + b  # why: the gates read [h, x], h first; with samples as rows W [h, x] is [h, x] @ Wᵀ, and the stacked W gives all four pre-activations at once
    # § The gates, in the notes' order f, i, C̃, o
    f = sigmoid(a[..., :H])  # why: the first H pre-activations belong to the forget gate, squashed into (0, 1)
    i = sigmoid(a[..., H : 2 * H])  # why: the next H belong to the input gate
    C_tilde = np.tanh(a[..., 2 * H : 3 * H])  # why: the third block is the candidate, squashed into (−1, 1) by tanh
    o = sigmoid(a[..., 3 * H :])  # why: the last block is the output gate
    # § The new cell state and hidden state
    C = f * C_prev + i * C_tilde  # why: keep what the forget gate keeps of the old cell, and write what the input gate lets in of the candidate
    h = o * np.tanh(C)  # why: the output gate picks from the cell state squashed by tanh, so h stays in (−1, 1)
    return h, C  # why: the hidden state first, then the cell state
""",
    blanks=(
        BlankSpec(
            "np.concatenate([h_prev, x], axis=-1)",
            "the vector every gate reads, in the notes' order",
            ("lstm-input-first-concat",),
        ),
        BlankSpec(
            "f * C_prev + i * C_tilde",
            "the new cell state from the old one and the candidate, each through its own gate",
            ("lstm-no-input-gate",),
        ),
        BlankSpec(
            "a[..., :H]",
            "the forget gate's block of pre-activations",
            ("lstm-pytorch-gate-order",),
        ),
        BlankSpec(
            "o * np.tanh(C)",
            "the new hidden state from the output gate and the cell state",
            ("lstm-no-tanh-on-cell",),
        ),
    ),
    distractors=(
        DistractorSpec(
            "a = np.concatenate([h_prev, x], axis=-1) @ W.T + b",
            "a = np.concatenate([x, h_prev], axis=-1) @ W.T + b",
            "lstm-input-first-concat",
        ),
        DistractorSpec(
            "C = f * C_prev + i * C_tilde",
            "C = f * C_prev + C_tilde",
            "lstm-no-input-gate",
        ),
        DistractorSpec("h = o * np.tanh(C)", "h = o * C", "lstm-no-tanh-on-cell"),
    ),
)
