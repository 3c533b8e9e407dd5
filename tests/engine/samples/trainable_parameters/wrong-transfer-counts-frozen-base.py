"""Wrong (named mistake transfer-counts-frozen-base): freezing is ignored, the
base is still counted afterwards."""


def trainable_parameters(base_layers, num_classes):
    base = 0
    for c_in, c_out, kh, kw in base_layers:
        base += c_in * c_out * kh * kw + c_out
    channels = base_layers[-1][1]
    head = channels * 256 + 256 + 256 * num_classes + num_classes
    return base + head, base + head
