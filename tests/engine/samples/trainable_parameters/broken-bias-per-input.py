"""Broken: gives each convolution one bias per INPUT channel (c_in) instead of
one per output channel (c_out)."""


def trainable_parameters(base_layers, num_classes):
    base = sum(c_in * c_out * kh * kw + c_in for c_in, c_out, kh, kw in base_layers)
    channels = base_layers[-1][1]
    head = channels * 256 + 256 + 256 * num_classes + num_classes
    return base + head, head
