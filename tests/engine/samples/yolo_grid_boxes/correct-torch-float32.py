"""Correct: torch in float32, a helper that decodes one box, prints the count."""

import torch


def corners(row, col, box, size):
    centre = (torch.stack([col, row]).float() + box[1:3]) / size
    half = box[3:5] / size / 2
    return torch.cat([centre - half, centre + half])


def yolo_grid_boxes(output, threshold):
    grid = torch.tensor(output, dtype=torch.float32)
    size = grid.shape[0]
    probabilities, classes = grid[..., 10:].max(dim=-1)
    results = []
    for r in range(size):
        for c in range(size):
            for b in range(2):
                box = grid[r, c, 5 * b : 5 * b + 5]
                score = box[0] * probabilities[r, c]
                if score >= threshold:
                    xyxy = corners(torch.tensor(r), torch.tensor(c), box, size)
                    results.append((score, xyxy, classes[r, c]))
    print(f"{len(results)} boxes above {threshold}")
    results.sort(key=lambda t: -float(t[0]))
    if not results:
        return torch.zeros(0, 4), torch.zeros(0), torch.zeros(0, dtype=torch.long)
    return (
        torch.stack([t[1] for t in results]),
        torch.stack([t[0] for t in results]),
        torch.stack([t[2] for t in results]),
    )
