"""Broken: freezing read backwards: after freezing it reports the base's
parameters as the trainable ones instead of the head's."""


def trainable_parameters(base_layers, num_classes):
    base = sum(a * b * h * w + b for a, b, h, w in base_layers)
    channels = base_layers[-1][1]
    head = channels * 256 + 256 + 256 * num_classes + num_classes
    return base + head, base
