"""Broken (no named mistake): squeezes the gradients, so a single context or
noise word comes back as shape (D,) instead of (1, D)."""

import numpy as np


def skipgram_gradients(target, contexts, noises):
    t = np.asarray(target, dtype=float)
    c = np.asarray(contexts, dtype=float)
    n = np.asarray(noises, dtype=float)
    pull = 1 / (1 + np.exp(c @ t))
    push = 1 / (1 + np.exp(-(n @ t)))
    return (
        pull @ c - push @ n,
        np.outer(pull, t).squeeze(),
        (-np.outer(push, t)).squeeze(),
    )
