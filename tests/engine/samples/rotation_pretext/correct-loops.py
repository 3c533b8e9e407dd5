"""Correct: pure Python, one quarter turn by the index formula
out[r][c] = image[c][W - 1 - r], applied through any leading channel axis."""


def quarter_turn(block):
    if isinstance(block[0][0], list):  # a channel axis in front
        return [quarter_turn(channel) for channel in block]
    w = len(block)
    return [[block[c][w - 1 - r] for c in range(w)] for r in range(w)]


def rotation_pretext(images):
    rotated, labels = [], []
    for image in images:
        turned = image
        for k in range(4):
            rotated.append(turned)
            labels.append(k)
            turned = quarter_turn(turned)
    return rotated, labels
