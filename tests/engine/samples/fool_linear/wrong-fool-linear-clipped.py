"""Wrong (fool-linear-clipped): the result is clipped to [0, 1] like an image,
although the notes' attack is x + α·w with no clipping."""

import numpy as np


def fool_linear(x, w, alpha):
    return np.clip(
        np.asarray(x, dtype=float) + alpha * np.asarray(w, dtype=float), 0, 1
    )
