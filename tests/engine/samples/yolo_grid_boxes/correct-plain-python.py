"""Correct: plain Python loops over rows, columns and the two boxes; a list of
detections sorted by score; own parameter names."""


def yolo_grid_boxes(grid, min_score):
    s = len(grid)
    found = []
    for row in range(s):
        for col in range(s):
            cell = grid[row][col]
            probs = cell[10:]
            best = max(range(len(probs)), key=lambda k: probs[k])
            for b in range(2):
                pc, bx, by, bw, bh = cell[5 * b : 5 * b + 5]
                score = pc * probs[best]
                if score < min_score:
                    continue
                cx, cy = (col + bx) / s, (row + by) / s
                w, h = bw / s, bh / s
                box = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]
                found.append((score, box, best))
    found.sort(key=lambda item: item[0], reverse=True)
    return (
        [box for _, box, _ in found],
        [score for score, _, _ in found],
        [label for _, _, label in found],
    )
