"""The skip-gram negative-sampling objective J, to be maximised, with a log-sigmoid that stays finite."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="skipgram_objective",
    entry_point="skipgram_objective",
    source="""
import numpy as np


def skipgram_objective(target, contexts, noises):
    # § One score per word
    t = np.asarray(target, dtype=float)  # why: the target word's vector, as an array for the products below
    positive = np.asarray(contexts, dtype=float) @ t  # why: one score t·c_i per context word, all at once
    negative = np.asarray(noises, dtype=float) @ t  # why: one score t·n_j per noise word
    # § Log-sigmoids that stay finite
    log_pos = -np.logaddexp(0.0, -positive)  # why: log σ(s) = −log(1 + e^(−s)), and logaddexp computes log(e^0 + e^(−s)) without overflow for large scores
    log_neg = -np.logaddexp(0.0, negative)  # why: a noise word is a negative example, so its term is log σ(−t·n_j) = −log(1 + e^(t·n_j)), one per noise word
    # § The objective
    return float(log_pos.sum() + log_neg.sum())  # why: J adds every term, L + k of them; it is maximised, so no minus sign
""",
    blanks=(
        BlankSpec(
            "-np.logaddexp(0.0, negative)",
            "one log-probability per noise word that it is NOT a context word, stable for large scores",
            (
                "skipgram-objective-noise-sign",
                "skipgram-objective-sum-before-logsigmoid",
            ),
        ),
        BlankSpec(
            "log_pos.sum() + log_neg.sum()",
            "the objective J from all its terms",
            ("skipgram-objective-loss", "skipgram-objective-mean"),
        ),
        BlankSpec(
            "-np.logaddexp(0.0, -positive)",
            "log σ of each context score, stable for large scores",
            ("skipgram-objective-loss",),
        ),
    ),
    distractors=(
        DistractorSpec(
            "log_neg = -np.logaddexp(0.0, negative)",
            "log_neg = -np.logaddexp(0.0, -negative)",
            "skipgram-objective-noise-sign",
        ),
        DistractorSpec(
            "log_neg = -np.logaddexp(0.0, negative)",
            "log_neg = -np.logaddexp(0.0, negative.sum())",
            "skipgram-objective-sum-before-logsigmoid",
        ),
        DistractorSpec(
            "return float(log_pos.sum() + log_neg.sum())",
            "return float(-(log_pos.sum() + log_neg.sum()))",
            "skipgram-objective-loss",
        ),
    ),
)
