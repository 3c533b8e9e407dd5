"""Wrong (yolo-grid-first-box-only): decodes only the first five entries of
each cell, as if every cell predicted one box."""


def yolo_grid_boxes(output, threshold):
    S = len(output)
    found = []
    for row in range(S):
        for col in range(S):
            cell = output[row][col]
            probs = list(cell[10:])
            p = max(probs)
            pc, bx, by, bw, bh = cell[0:5]
            if pc * p >= threshold:
                cx, cy = (col + bx) / S, (row + by) / S
                w, h = bw / S, bh / S
                found.append(
                    (
                        pc * p,
                        [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2],
                        probs.index(p),
                    )
                )
    found.sort(key=lambda f: -f[0])
    return [f[1] for f in found], [f[0] for f in found], [f[2] for f in found]
