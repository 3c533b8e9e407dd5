"""Broken: takes dL/dlogits = softmax(logits), forgetting to subtract the one-hot
label, so the step ignores which class is the true one."""

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
    grad = ((p @ w2) * (pre > 0)) @ w1 / len(labels)
    adversarial = batch + epsilon * np.sign(grad)
    if clamp:
        adversarial = np.clip(adversarial, 0.0, 1.0)
    return adversarial.reshape(x.shape)
