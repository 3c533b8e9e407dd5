"""Correct: plain Python lists and loops, no NumPy, no torch."""

import math


def flatten(image):
    return [value for channel in image for row in channel for value in row]


def reshape_like(values, image):
    out, i = [], 0
    for channel in image:
        rows = []
        for row in channel:
            rows.append(values[i : i + len(row)])
            i += len(row)
        out.append(rows)
    return out


def class_score_ascent_step(x, w1, b1, w2, b2, target, lam, lr):
    v = flatten(x)
    z = [sum(w * xi for w, xi in zip(row, v)) + b for row, b in zip(w1, b1)]
    h = [max(zi, 0.0) for zi in z]
    s = [sum(w * hi for w, hi in zip(row, h)) + b for row, b in zip(w2, b2)]
    top = max(s)
    e = [math.exp(si - top) for si in s]
    total = sum(e)
    p = [ei / total for ei in e]
    # derivative of log p[target] with respect to each score
    ds = [(1.0 if k == target else 0.0) - p[k] for k in range(len(s))]
    dh = [sum(w2[k][m] * ds[k] for k in range(len(s))) for m in range(len(h))]
    dz = [dh[m] if z[m] > 0 else 0.0 for m in range(len(z))]
    new = []
    for d in range(len(v)):
        g = sum(w1[m][d] * dz[m] for m in range(len(z))) - 2 * lam * v[d]
        new.append(v[d] + lr * g)
    return reshape_like(new, x)
