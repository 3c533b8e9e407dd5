"""Wrong (yolo-grid-offset-not-scaled): divides the cell index by S but adds
the offset bx as it is: cx = col/S + bx."""


def yolo_grid_boxes(output, threshold):
    S = len(output)
    found = []
    for row in range(S):
        for col in range(S):
            cell = output[row][col]
            probs = cell[10:]
            best = max(range(len(probs)), key=lambda k: probs[k])
            for b in range(2):
                pc, bx, by, bw, bh = cell[5 * b : 5 * b + 5]
                score = pc * probs[best]
                if score >= threshold:
                    cx, cy = col / S + bx, row / S + by
                    w, h = bw / S, bh / S
                    found.append(
                        (score, [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], best)
                    )
    found.sort(key=lambda item: item[0], reverse=True)
    return [f[1] for f in found], [f[0] for f in found], [f[2] for f in found]
