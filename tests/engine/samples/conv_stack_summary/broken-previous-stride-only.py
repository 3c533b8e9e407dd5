"""Broken: the jump of a layer taken as the previous layer's stride alone,
not the product of every stride before it."""


def conv_stack_summary(layers, in_channels, size):
    field, previous, params, c_in, side = 1, 1, 0, in_channels, size
    for k, s, p, c_out, bias in layers:
        field += (k - 1) * previous
        previous = s
        params += k * k * c_in * c_out + bias * c_out
        c_in = c_out
        side = (side + 2 * p - k) // s + 1
    return field, params, side
