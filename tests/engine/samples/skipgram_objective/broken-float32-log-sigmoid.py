"""Broken (no named mistake): log(sigmoid(x)) in float32; at a score of 120,
exp overflows and the result is -inf."""

import numpy as np


def skipgram_objective(target, contexts, noises):
    t = np.asarray(target, dtype=np.float32)
    pos = np.asarray(contexts, dtype=np.float32) @ t
    neg = np.asarray(noises, dtype=np.float32) @ t
    with np.errstate(over="ignore", divide="ignore"):
        sig_pos = 1 / (1 + np.exp(-pos))
        sig_neg = 1 / (1 + np.exp(neg))
        return float(np.log(sig_pos).sum() + np.log(sig_neg).sum())
