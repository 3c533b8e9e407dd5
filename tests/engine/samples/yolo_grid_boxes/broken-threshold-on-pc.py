"""Broken: scores each box pc × class probability but filters on pc alone
before multiplying, so a confident box of an uncertain class stays."""


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
                if pc >= threshold:
                    cx, cy, w, h = (col + bx) / S, (row + by) / S, bw / S, bh / S
                    box = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]
                    found.append((pc * probs[best], box, best))
    found.sort(key=lambda item: item[0], reverse=True)
    return [f[1] for f in found], [f[0] for f in found], [f[2] for f in found]
