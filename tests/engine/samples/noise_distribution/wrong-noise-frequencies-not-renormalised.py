"""Wrong (noise-frequencies-not-renormalised): P(w)^(3/4) from the frequencies,
as in the notes' worked example, without dividing by the new sum."""

import numpy as np


def noise_distribution(counts):
    p = np.asarray(counts, dtype=float)
    p = p / p.sum()
    return p**0.75
