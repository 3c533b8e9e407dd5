"""The notes' simple RNN unrolled over a time-first sequence, the same weights at every step."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="rnn_sequence",
    entry_point="rnn_sequence",
    source="""
import numpy as np


def rnn_sequence(xs, h0, W, U, V):
    # § Inputs as arrays
    xs, h, W, U, V = (np.asarray(v, dtype=float) for v in (xs, h0, W, U, V))  # why: lists become float arrays; the state h starts as the given h0
    hs, outputs = [], []  # why: the states and the outputs of every step, collected in time order
    # § One step per input, the same weights each time
    for x in xs:  # why: xs is time-first, so the loop meets x_1, …, x_T in order, each one sample or a batch of rows
        h = np.tanh(h @ W.T + x @ U.T)  # why: the new state from the previous one and this input; with samples as rows W h is h @ Wᵀ
        scores = h @ V.T  # why: V h_t for every row: one score per class
        exp = np.exp(scores - scores.max())  # why: subtracting the largest score keeps exp finite, and a constant shift cancels in the ratio
        hs.append(h)  # why: h_t joins the result; h0 itself does not
        outputs.append(exp / exp.sum(axis=-1, keepdims=True))  # why: a softmax over the classes of each row, so each sample's probabilities sum to 1
    # § The steps stacked, time first
    return np.stack(hs), np.stack(outputs)  # why: stacking puts time first: (T, N, H) and (T, N, K) for a batch, (T, H) and (T, K) for one sequence
""",
    blanks=(
        BlankSpec(
            "h @ W.T + x @ U.T",
            "the notes' W h_{t−1} + U x_t, with samples as rows",
            ("rnn-seq-recurrent-weight-transposed",),
        ),
        BlankSpec(
            "exp / exp.sum(axis=-1, keepdims=True)",
            "this step's probabilities, summing to 1 for each sample",
            ("rnn-seq-softmax-over-batch", "rnn-seq-logits"),
        ),
    ),
    distractors=(
        DistractorSpec(
            "h = np.tanh(h @ W.T + x @ U.T)",
            "h = np.tanh(h @ W + x @ U.T)",
            "rnn-seq-recurrent-weight-transposed",
        ),
        DistractorSpec(
            "outputs.append(exp / exp.sum(axis=-1, keepdims=True))",
            "outputs.append(exp / exp.sum(axis=0, keepdims=True))",
            "rnn-seq-softmax-over-batch",
        ),
        DistractorSpec(
            "outputs.append(exp / exp.sum(axis=-1, keepdims=True))",
            "outputs.append(scores)",
            "rnn-seq-logits",
        ),
    ),
)
