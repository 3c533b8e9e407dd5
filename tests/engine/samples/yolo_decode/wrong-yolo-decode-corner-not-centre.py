"""Wrong (yolo-decode-corner-not-centre): (bx, by) treated as the top-left corner."""


def yolo_decode(row, col, bx, by, bw, bh, grid):
    x1, y1 = (col + bx) / grid, (row + by) / grid
    return [x1, y1, x1 + bw / grid, y1 + bh / grid]
