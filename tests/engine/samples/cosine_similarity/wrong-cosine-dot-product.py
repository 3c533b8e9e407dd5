"""Wrong (cosine-dot-product): the dot product, never normalised."""


def cosine_similarity(a, b):
    return sum(x * y for x, y in zip(a, b))
