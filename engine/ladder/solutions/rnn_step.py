"""One step of the notes' simple RNN with samples as rows: h = tanh(W h_prev + U x), o = softmax(V h)."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="rnn_step",
    entry_point="rnn_step",
    source="""
import numpy as np


def rnn_step(x, h_prev, W, U, V):
    # § Inputs as arrays
    x, h_prev, W, U, V = (np.asarray(v, dtype=float) for v in (x, h_prev, W, U, V))  # why: lists become float arrays, so @ and .T work on every input
    # § The new hidden state
    h = np.tanh(h_prev @ W.T + x @ U.T)  # why: with samples as rows the notes' W h_prev + U x is h_prev @ Wᵀ + x @ Uᵀ, squashed by tanh
    # § Scores over the classes
    scores = h @ V.T  # why: V h for every row: one score per class
    # § Softmax over each row
    exp = np.exp(scores - scores.max())  # why: subtracting the largest score keeps exp from overflowing, and a constant shift cancels in the ratio
    o = exp / exp.sum(axis=-1, keepdims=True)  # why: the last axis holds the classes, so each sample's row sums to 1, for a batch and for one vector alike
    return h, o  # why: the statement's order: the new state, then the probabilities
""",
    blanks=(
        BlankSpec(
            "h_prev @ W.T + x @ U.T",
            "the notes' W h_prev + U x, with samples as rows",
            ("rnn-recurrent-weight-transposed",),
        ),
        BlankSpec(
            "exp / exp.sum(axis=-1, keepdims=True)",
            "normalise so that each sample's probabilities sum to 1",
            ("rnn-softmax-over-batch",),
        ),
        BlankSpec(
            "return h, o",
            "return the statement's pair",
            ("rnn-logits",),
        ),
    ),
    distractors=(
        DistractorSpec(
            "h = np.tanh(h_prev @ W.T + x @ U.T)",
            "h = np.tanh(h_prev @ W + x @ U.T)",
            "rnn-recurrent-weight-transposed",
        ),
        DistractorSpec(
            "o = exp / exp.sum(axis=-1, keepdims=True)",
            "o = exp / exp.sum(axis=0, keepdims=True)",
            "rnn-softmax-over-batch",
        ),
        DistractorSpec("return h, o", "return h, scores", "rnn-logits"),
    ),
)
