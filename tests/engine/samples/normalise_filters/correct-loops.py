"""Correct: one filter at a time with plain Python lists."""


def normalise_filters(weights):
    result = []
    for filt in weights:
        values = [v for channel in filt for row in channel for v in row]
        low, high = min(values), max(values)
        if high == low:
            result.append([[[0.0 for _ in row] for row in channel] for channel in filt])
        else:
            result.append(
                [
                    [[(v - low) / (high - low) for v in row] for row in channel]
                    for channel in filt
                ]
            )
    return result
