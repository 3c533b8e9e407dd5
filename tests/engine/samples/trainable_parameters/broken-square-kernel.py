"""Broken: assumes square kernels and counts kh * kh weights per filter, so a
1x3 or 3x1 kernel is counted wrongly."""


def trainable_parameters(base_layers, num_classes):
    base = sum(c_in * c_out * kh * kh + c_out for c_in, c_out, kh, kw in base_layers)
    channels = base_layers[-1][1]
    head = channels * 256 + 256 + 256 * num_classes + num_classes
    return base + head, head
