"""Correct: one element at a time with math, choosing the branch that never
exponentiates a positive number."""

import math


def flatten(values):
    if isinstance(values, list):
        return [v for item in values for v in flatten(item)]
    return [float(values)]


def loss_of(label, logit):
    if logit >= 0:  # log(1 + e^-z) is safe
        return logit * (1 - label) + math.log1p(math.exp(-logit))
    return -logit * label + math.log1p(math.exp(logit))


def bce_with_logits(y, z):
    labels, logits = flatten(y), flatten(z)
    return sum(loss_of(t, s) for t, s in zip(labels, logits)) / len(labels)
