"""Broken (no named mistake): averages each context word's vector over its
D coordinates (axis 1) instead of averaging the words (axis 0)."""

import numpy as np


def cbow_average(embeddings, vocabulary, context):
    rows = [vocabulary.index(word) for word in context]
    return np.asarray(embeddings, dtype=float)[rows].mean(axis=1)
