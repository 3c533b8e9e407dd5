"""Broken: counts the head's biases but forgets the convolutions' biases
(c_out per layer)."""


def trainable_parameters(base_layers, num_classes):
    base = sum(c_in * c_out * kh * kw for c_in, c_out, kh, kw in base_layers)
    channels = base_layers[-1][1]
    head = channels * 256 + 256 + 256 * num_classes + num_classes
    return base + head, head
