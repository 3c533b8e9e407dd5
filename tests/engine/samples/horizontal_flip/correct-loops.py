"""Correct: pure Python, recursing through the leading axes and reversing each
row of the last axis with a loop."""


def mirror(block):
    if not isinstance(block[0], list):  # a row of pixels: reverse it
        width = len(block)
        return [block[width - 1 - c] for c in range(width)]
    return [mirror(part) for part in block]


def horizontal_flip(image):
    return mirror(image)
