"""Wrong (fgsm-clips-only-below): with clamp=True only values below 0 are clipped
(np.maximum(·, 0)); values pushed above 1 stay there."""

import numpy as np


def fgsm(x, y, w1, b1, w2, b2, epsilon, clamp):
    x = np.asarray(x, dtype=float)
    w1, b1, w2, b2 = (np.asarray(v, dtype=float) for v in (w1, b1, w2, b2))
    batch = x.reshape(-1, x.shape[-1])
    labels = np.asarray(y).reshape(-1)
    pre = batch @ w1.T + b1
    logits = np.maximum(pre, 0) @ w2.T + b2
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1  # dL/dlogits of the cross-entropy
    grad = ((p @ w2) * (pre > 0)) @ w1 / len(labels)
    adversarial = batch + epsilon * np.sign(grad)
    if clamp:
        adversarial = np.maximum(adversarial, 0.0)
    return adversarial.reshape(x.shape)
