"""Wrong (named mistake transfer-head-without-hidden-layer): the head is GAP ->
Dense(num_classes) only, without Dense(256)."""


def trainable_parameters(base_layers, num_classes):
    base = 0
    for c_in, c_out, kh, kw in base_layers:
        base += c_in * c_out * kh * kw + c_out
    channels = base_layers[-1][1]
    head = channels * num_classes + num_classes
    return base + head, head
