"""Wrong (named mistake clr-shifted-by-one): the iteration counter starts at 1."""

import math


def cyclical_lr(steps, lr_min, lr_max, step_size):
    rates = []
    for step in steps:
        iteration = step + 1
        cycle = math.floor(1 + iteration / (2 * step_size))
        x = abs(iteration / step_size - 2 * cycle + 1)
        rates.append(lr_min + (lr_max - lr_min) * max(0.0, 1 - x))
    return rates
