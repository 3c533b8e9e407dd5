"""Wrong (yolo-decode-row-col-swapped): the row offsets x and the column offsets y."""


def yolo_decode(row, col, bx, by, bw, bh, grid):
    cx, cy = (row + bx) / grid, (col + by) / grid
    return [
        cx - bw / grid / 2,
        cy - bh / grid / 2,
        cx + bw / grid / 2,
        cy + bh / grid / 2,
    ]
