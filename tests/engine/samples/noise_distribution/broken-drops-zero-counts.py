"""Broken (no named mistake): leaves out the words that never occur, so the
list is shorter than the vocabulary and the order no longer matches it."""


def noise_distribution(counts):
    weights = [c**0.75 for c in counts if c > 0]
    total = sum(weights)
    return [w / total for w in weights]
