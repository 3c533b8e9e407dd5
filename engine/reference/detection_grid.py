"""YOLO v1's whole output grid (lecture 6.10): every cell's boxes decoded,
scored and thresholded, ready for non-max suppression.

Conventions (the notes' cell encoding, see `detection`):

* The output is an (S, S, 5B + K) array with B = 2 boxes per cell and K
  classes (YOLO v1 on PASCAL VOC: S = 7, K = 20, a 7 × 7 × 30 tensor).
  output[row, col] is the cell in row `row` (from the top) and column `col`
  (from the left).
* A cell's vector is grouped box by box, then the classes:
  [pc¹, bx¹, by¹, bw¹, bh¹, pc², bx², by², bw², bh², c_0 … c_{K−1}].
  The K conditional class probabilities are shared by the cell's two boxes.
  (The popular "YOLO v1 from scratch" code puts the classes first; not here.)
* (bx, by) is the box centre's offset inside its cell, in [0, 1]; bw, bh are
  the size in cells and may exceed 1 (the notes; the YOLO v1 paper measures
  the size in images instead). Corners are (x1, y1, x2, y2) normalised to the
  image, not clipped to it.
* A box's class-specific score is pc × max_k c_k, its class the 0-based
  argmax_k c_k. A box is kept when its score is ≥ the threshold (a score
  equal to the threshold stays, like pc = 0.6 in NMS). Every box is scored,
  both boxes of a cell included.
* Kept boxes come out by decreasing score; equal scores keep the raster
  order (row, then column, then box 1 before box 2).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from numpy.typing import ArrayLike

from engine.reference.detection import yolo_decode

BOXES_PER_CELL = 2
BOX_FIELDS = 5  # pc, bx, by, bw, bh


def class_count(depth: int) -> int:
    """K, the number of classes, of a cell vector of length 5B + K."""
    return depth - BOXES_PER_CELL * BOX_FIELDS


def yolo_grid_boxes(
    output: ArrayLike, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(boxes, scores, classes) of the boxes kept from an (S, S, 5B + K) output.

    boxes is (N, 4) corners (x1, y1, x2, y2) normalised to the image, scores
    (N,) the class-specific scores pc × max_k c_k, classes (N,) the 0-based
    argmax; N boxes with score ≥ threshold, highest score first (ties in
    raster order).
    """
    grid = torch.as_tensor(np.array(output, dtype=np.float64))
    size = grid.shape[0]
    fields = grid[..., : BOXES_PER_CELL * BOX_FIELDS].reshape(
        size, size, BOXES_PER_CELL, BOX_FIELDS
    )
    # amax and argmax (the first largest): far cheaper than torch's max(-1).
    probabilities = grid[..., BOXES_PER_CELL * BOX_FIELDS :]
    best_probability, best_class = probabilities.amax(-1), probabilities.argmax(-1)
    scores = fields[..., 0] * best_probability[..., None]  # (S, S, B)
    # The single-box decoding of `yolo_decode` is plain arithmetic: given
    # tensors it decodes every box of the grid at once.
    decode: Callable[..., Any] = yolo_decode
    rows = torch.arange(size, dtype=torch.float64)[:, None, None]
    cols = torch.arange(size, dtype=torch.float64)[None, :, None]
    _, bx, by, bw, bh = fields.unbind(-1)
    corners = torch.stack(decode(rows, cols, bx, by, bw, bh, size), -1)  # (S, S, B, 4)
    classes = best_class[..., None].expand(size, size, BOXES_PER_CELL)
    kept = (scores >= threshold).reshape(-1)
    kept_scores = scores.reshape(-1)[kept]
    order = torch.sort(kept_scores, descending=True, stable=True).indices
    return (
        corners.reshape(-1, 4)[kept][order].numpy(),
        kept_scores[order].numpy(),
        classes.reshape(-1)[kept][order].numpy(),
    )
