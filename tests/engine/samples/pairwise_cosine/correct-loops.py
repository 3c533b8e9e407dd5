"""Correct: nested loops over pairs of rows with a helper, returning a
nested list; a zero row gives 0 everywhere."""

import math


def _cos(u, v):
    nu = math.sqrt(sum(x * x for x in u))
    nv = math.sqrt(sum(y * y for y in v))
    if nu == 0 or nv == 0:
        return 0.0
    return sum(x * y for x, y in zip(u, v)) / (nu * nv)


def pairwise_cosine(X):
    rows = [list(map(float, row)) for row in X]
    return [[_cos(r, s) for s in rows] for r in rows]
