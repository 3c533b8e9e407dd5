"""Broken: the output side without the + 1 (the number of steps, not positions)."""


def conv_stack_summary(layers, in_channels, size):
    field, jump, params, c_in, side = 1, 1, 0, in_channels, size
    for k, s, p, c_out, bias in layers:
        field += (k - 1) * jump
        jump *= s
        params += k * k * c_in * c_out + bias * c_out
        c_in = c_out
        side = (side + 2 * p - k) // s
    return field, params, side
