"""Broken: every layer's weights counted with the stack's in_channels as C_in,
instead of the previous layer's c_out."""


def conv_stack_summary(layers, in_channels, size):
    field, jump, params, side = 1, 1, 0, size
    for k, s, p, c_out, bias in layers:
        field += (k - 1) * jump
        jump *= s
        params += k * k * in_channels * c_out + bias * c_out
        side = (side + 2 * p - k) // s + 1
    return field, params, side
