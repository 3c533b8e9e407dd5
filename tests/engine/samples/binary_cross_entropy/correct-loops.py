"""Correct: pure Python with math.log, flattening any nesting first."""

import math


def flatten(values):
    if isinstance(values, list):
        out = []
        for item in values:
            out.extend(flatten(item))
        return out
    return [float(values)]


def binary_cross_entropy(y, p):
    labels, probs = flatten(y), flatten(p)
    total = 0.0
    for t, q in zip(labels, probs):
        total += t * math.log(q) + (1 - t) * math.log(1 - q)
    return -total / len(labels)
