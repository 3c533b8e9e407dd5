"""Correct: a triangle wave written with a modulo: the position in the cycle,
then up for step_size steps and down for step_size steps."""


def cyclical_lr(steps, lr_min, lr_max, step_size):
    rates = []
    for step in steps:
        position = step % (2 * step_size)
        fraction = (
            position / step_size if position <= step_size else 2 - position / step_size
        )
        rates.append(lr_min + (lr_max - lr_min) * fraction)
    return rates
