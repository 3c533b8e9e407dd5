"""Broken: the backward rule r ← (r − 1)·s + k applied from the input forwards,
r ← r·s + (k − 1)."""


def conv_stack_summary(layers, in_channels, size):
    field, params, c_in, side = 1, 0, in_channels, size
    for k, s, p, c_out, bias in layers:
        field = field * s + (k - 1)
        params += k * k * c_in * c_out + bias * c_out
        c_in = c_out
        side = (side + 2 * p - k) // s + 1
    return field, params, side
