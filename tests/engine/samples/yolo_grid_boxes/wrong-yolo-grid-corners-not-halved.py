"""Wrong (yolo-grid-corners-not-halved): goes a whole width and height from the
centre to each corner."""


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
                    cx, cy = (col + bx) / S, (row + by) / S
                    w, h = bw / S, bh / S
                    found.append((score, [cx - w, cy - h, cx + w, cy + h], best))
    found.sort(key=lambda item: item[0], reverse=True)
    return [f[1] for f in found], [f[0] for f in found], [f[2] for f in found]
