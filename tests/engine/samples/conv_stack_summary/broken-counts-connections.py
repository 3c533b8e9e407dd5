"""Broken: counts multiply-adds (weights times output positions) instead of
parameters, confusing the cost of a layer with its size."""


def conv_stack_summary(layers, in_channels, size):
    field, jump, params, c_in, side = 1, 1, 0, in_channels, size
    for k, s, p, c_out, bias in layers:
        field += (k - 1) * jump
        jump *= s
        side = (side + 2 * p - k) // s + 1
        params += (k * k * c_in * c_out + bias * c_out) * side * side
        c_in = c_out
    return field, params, side
