"""Broken: the head reads the channels of the FIRST convolution instead of the
last one's c_out."""


def trainable_parameters(base_layers, num_classes):
    base = sum(a * b * h * w + b for a, b, h, w in base_layers)
    channels = base_layers[0][1]
    head = channels * 256 + 256 + 256 * num_classes + num_classes
    return base + head, head
