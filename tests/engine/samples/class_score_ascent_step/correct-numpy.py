"""Correct: the gradient derived by hand and vectorised in NumPy.

d log p_t / ds = onehot(t) − p; back through W2, the ReLU mask and W1; the
penalty −λ Σ x² contributes −2λx."""

import numpy as np


def class_score_ascent_step(x, w1, b1, w2, b2, target, lam, lr):
    x = np.asarray(x, dtype=float)
    w1, b1 = np.asarray(w1, dtype=float), np.asarray(b1, dtype=float)
    w2, b2 = np.asarray(w2, dtype=float), np.asarray(b2, dtype=float)
    v = x.reshape(-1)
    z = w1 @ v + b1
    s = w2 @ np.maximum(z, 0.0) + b2
    p = np.exp(s - s.max())
    p /= p.sum()
    d_scores = -p
    d_scores[target] += 1.0
    d_hidden = (w2.T @ d_scores) * (z > 0)
    grad = (w1.T @ d_hidden).reshape(x.shape) - 2.0 * lam * x
    return x + lr * grad
