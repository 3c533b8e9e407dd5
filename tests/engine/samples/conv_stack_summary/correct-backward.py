"""Correct: the receptive field walked back from the output, r ← (r − 1)·s + k,
with helper functions and a printout of each layer."""

import math


def layer_parameters(k, c_in, c_out, has_bias):
    return k * k * c_in * c_out + (c_out if has_bias else 0)


def out_side(n, k, s, p):
    return math.floor((n + 2 * p - k) / s) + 1


def conv_stack_summary(layers, in_channels, size):
    r = 1
    for k, s, _, _, _ in reversed(layers):
        r = (r - 1) * s + k
    channels = [in_channels] + [layer[3] for layer in layers]
    total, n = 0, size
    for i, (k, s, p, c_out, has_bias) in enumerate(layers):
        total += layer_parameters(k, channels[i], c_out, has_bias)
        n = out_side(n, k, s, p)
        print(f"layer {i}: {channels[i]}->{c_out}, side {n}")
    return r, total, n
