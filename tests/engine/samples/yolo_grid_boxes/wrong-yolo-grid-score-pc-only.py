"""Wrong (yolo-grid-score-pc-only): thresholds and sorts on pc alone; the class
probability picks the class but does not enter the score."""


def yolo_grid_boxes(output, threshold):
    S = len(output)
    found = []
    for row in range(S):
        for col in range(S):
            cell = output[row][col]
            probs = cell[10:]
            label = max(range(len(probs)), key=probs.__getitem__)
            for b in (0, 5):
                pc, bx, by, bw, bh = cell[b : b + 5]
                if pc >= threshold:
                    cx, cy = (col + bx) / S, (row + by) / S
                    box = [
                        cx - bw / S / 2,
                        cy - bh / S / 2,
                        cx + bw / S / 2,
                        cy + bh / S / 2,
                    ]
                    found.append((pc, box, label))
    found.sort(key=lambda f: f[0], reverse=True)
    return [f[1] for f in found], [f[0] for f in found], [f[2] for f in found]
