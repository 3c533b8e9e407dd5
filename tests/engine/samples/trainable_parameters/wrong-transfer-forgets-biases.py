"""Wrong (named mistake transfer-forgets-biases): only weight matrices and kernels
are counted, no biases."""


def trainable_parameters(base_layers, num_classes):
    base = 0
    for c_in, c_out, kh, kw in base_layers:
        base += c_in * c_out * kh * kw
    channels = base_layers[-1][1]
    head = channels * 256 + 256 * num_classes
    return base + head, head
