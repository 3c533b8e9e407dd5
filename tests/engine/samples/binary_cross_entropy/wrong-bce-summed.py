"""Wrong (named mistake bce-summed): the loss is summed over the elements."""

import math


def binary_cross_entropy(y, p):
    total = 0.0
    for label, prob in zip(_flat(y), _flat(p)):
        total -= label * math.log(prob) + (1 - label) * math.log(1 - prob)
    return total


def _flat(values):
    if isinstance(values, (list, tuple)):
        return [v for item in values for v in _flat(item)]
    return [float(values)]
