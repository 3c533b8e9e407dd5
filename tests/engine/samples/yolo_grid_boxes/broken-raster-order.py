"""Broken: returns the kept boxes in the order the loops meet them (row by row)
instead of by decreasing score."""


def yolo_grid_boxes(output, threshold):
    S = len(output)
    boxes, scores, classes = [], [], []
    for row in range(S):
        for col in range(S):
            cell = output[row][col]
            probs = cell[10:]
            best = max(range(len(probs)), key=lambda k: probs[k])
            for b in range(2):
                pc, bx, by, bw, bh = cell[5 * b : 5 * b + 5]
                if pc * probs[best] >= threshold:
                    cx, cy, w, h = (col + bx) / S, (row + by) / S, bw / S, bh / S
                    boxes.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
                    scores.append(pc * probs[best])
                    classes.append(best)
    return boxes, scores, classes
