"""Correct: pure Python, one pixel at a time, through any number of axes."""


def shift(value, delta):
    value = value + delta
    if value < 0:
        return 0.0
    if value > 1:
        return 1.0
    return value


def adjust_brightness(image, delta):
    if isinstance(image, list):
        return [adjust_brightness(part, delta) for part in image]
    return shift(image, delta)
