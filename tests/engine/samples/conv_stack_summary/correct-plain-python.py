"""Correct: one pass over the layers, carrying the jump (the product of the
strides so far), the channel count and the side."""


def conv_stack_summary(layers, in_channels, size):
    field, jump, params, c_in, side = 1, 1, 0, in_channels, size
    for k, s, p, c_out, bias in layers:
        field += (k - 1) * jump
        jump *= s
        params += k * k * c_in * c_out + (c_out if bias else 0)
        c_in = c_out
        side = (side + 2 * p - k) // s + 1
    return field, params, side
