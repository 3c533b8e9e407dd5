"""Correct: pure Python loops and math.sqrt, 0.0 for a zero vector, clipped to
[-1, 1]."""

import math


def cosine_similarity(u, v):
    dot = norm_u = norm_v = 0.0
    for x, y in zip(u, v):
        dot += x * y
        norm_u += x * x
        norm_v += y * y
    if norm_u == 0.0 or norm_v == 0.0:
        return 0.0
    return max(-1.0, min(1.0, dot / math.sqrt(norm_u * norm_v)))
