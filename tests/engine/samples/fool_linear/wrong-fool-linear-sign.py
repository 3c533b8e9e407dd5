"""Wrong (fool-linear-sign): x + α·sign(w), the FGSM direction."""

import numpy as np


def fool_linear(x, w, alpha):
    return np.asarray(x, dtype=float) + alpha * np.sign(np.asarray(w, dtype=float))
