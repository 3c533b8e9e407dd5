"""Correct: plain Python, own parameter names, returns a list."""


def yolo_decode(r, c, off_x, off_y, cells_w, cells_h, s):
    centre_x = (c + off_x) / s
    centre_y = (r + off_y) / s
    half_w = cells_w / s / 2
    half_h = cells_h / s / 2
    return [centre_x - half_w, centre_y - half_h, centre_x + half_w, centre_y + half_h]
