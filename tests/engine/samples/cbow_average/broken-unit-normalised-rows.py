"""Broken (no named mistake): unit-normalises each context vector before
averaging, as one would for cosine similarity; CBOW averages the raw vectors."""

import numpy as np


def cbow_average(embeddings, vocabulary, context):
    e = np.asarray(embeddings, dtype=float)
    rows = e[[vocabulary.index(word) for word in context]]
    rows = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return rows.mean(axis=0)
