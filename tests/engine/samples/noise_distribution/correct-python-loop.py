"""Correct: plain Python, frequencies first (the total cancels out after the
3/4 power and the renormalisation)."""


def noise_distribution(counts):
    total = sum(counts)
    powered = []
    for count in counts:
        powered.append((count / total) ** (3 / 4))
    norm = sum(powered)
    return [p / norm for p in powered]
