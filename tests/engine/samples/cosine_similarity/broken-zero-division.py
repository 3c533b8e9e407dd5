"""Broken (no named mistake): pure Python with no zero check, so a zero vector
raises ZeroDivisionError."""

import math


def cosine_similarity(a, b):
    a = [float(x) for x in a]
    b = [float(y) for y in b]
    dot = sum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))
