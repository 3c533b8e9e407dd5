"""Correct: NumPy float32, a counter-clockwise quarter turn as 'transpose the
last two axes, then reverse the rows', applied to the whole batch; the four
turns interleaved so that the output is grouped by image."""

import numpy as np


def quarter_turn(batch):
    return np.swapaxes(batch, -1, -2)[..., ::-1, :]


def rotation_pretext(images):
    batch = np.asarray(images, dtype=np.float32)
    turns = [batch]
    for _ in range(3):
        turns.append(quarter_turn(turns[-1]))
    rotated = np.stack(turns, axis=1).reshape(4 * len(batch), *batch.shape[1:])
    labels = np.tile(np.arange(4), len(batch))
    return rotated, labels
