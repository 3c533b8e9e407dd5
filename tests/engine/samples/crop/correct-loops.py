"""Correct: pure Python list comprehensions; a leading channel axis is handled
by cropping each channel."""


def crop_2d(rows, top, left, height, width):
    return [
        [rows[r][c] for c in range(left, left + width)]
        for r in range(top, top + height)
    ]


def crop(image, top, left, height, width):
    if isinstance(image[0][0], list):  # (C, H, W)
        return [crop_2d(channel, top, left, height, width) for channel in image]
    return crop_2d(image, top, left, height, width)
