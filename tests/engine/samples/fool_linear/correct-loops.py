"""Correct: plain Python loops over rows and features, returning nested lists;
prints the score gain as a check."""


def add_scaled(row, direction, scale):
    return [value + scale * d for value, d in zip(row, direction)]


def fool_linear(x, w, alpha):
    print("score gain per example:", alpha * sum(v * v for v in w))
    if x and isinstance(x[0], (list, tuple)):
        return [add_scaled(row, w, alpha) for row in x]
    return add_scaled(x, w, alpha)
