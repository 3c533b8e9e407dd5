"""Broken (no named mistake): scikit-learn's sublinear TF 1 + ln(count)
(0 for an absent word) instead of count / len(d)."""

import math


def term_frequency(tokens, vocabulary):
    result = []
    for word in vocabulary:
        n = tokens.count(word)
        result.append(1 + math.log(n) if n else 0.0)
    return result
