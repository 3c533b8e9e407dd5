"""Wrong (noise-no-power): the plain unigram distribution, no 3/4 power."""


def noise_distribution(counts):
    total = sum(counts)
    return [c / total for c in counts]
