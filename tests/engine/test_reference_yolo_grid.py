"""The YOLO v1 grid decoding against an independent loop over the cells
(the single-box `yolo_decode` of each box, a Python sort), the fixed cases'
claims, the generator's guarantees, and the prompt's worked example."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from engine import get_spec
from engine.reference import detection, detection_grid
from engine.specs.detection_yolo_cell_cases import yolo_grid_cases
from tests.engine.prompt_examples import check_example


def loop_decode(output: Any, threshold: float) -> list[tuple[float, list[float], int]]:
    """(score, corners, class) of every kept box, one cell and box at a time."""
    grid = np.asarray(output, dtype=float)
    size = grid.shape[0]
    found = []
    for row in range(size):
        for col in range(size):
            probabilities = list(grid[row, col, 10:])
            best = max(probabilities)
            label = probabilities.index(best)
            for b in range(2):
                pc, bx, by, bw, bh = grid[row, col, 5 * b : 5 * b + 5]
                if pc * best >= threshold:
                    corners = detection.yolo_decode(row, col, bx, by, bw, bh, size)
                    found.append((pc * best, list(corners), label))
    return sorted(found, key=lambda item: -item[0])


@pytest.mark.parametrize("seed", range(12))
def test_the_reference_matches_a_loop_over_the_cells(seed: int) -> None:
    for case in yolo_grid_cases(seed):
        boxes, scores, classes = detection_grid.yolo_grid_boxes(**case.kwargs)
        expected = loop_decode(**case.kwargs)
        assert boxes.shape == (len(expected), 4), case.name
        np.testing.assert_allclose(scores, [s for s, _, _ in expected], atol=1e-12)
        np.testing.assert_allclose(
            boxes.reshape(-1, 4),
            np.array([c for _, c, _ in expected]).reshape(-1, 4),
            atol=1e-12,
        )
        assert classes.tolist() == [k for _, _, k in expected]


def test_worked_numbers() -> None:
    """One cell (row 1, col 2) of a 3×3 grid with K = 2, by hand:
    box 1 centre ((2 + 0.5)/3, (1 + 0.25)/3), size (1.5/3, 0.75/3)."""
    output = np.zeros((3, 3, 12))
    output[1, 2] = [0.8, 0.5, 0.25, 1.5, 0.75, 0.5, 0.0, 0.0, 1.0, 1.0, 0.25, 0.75]
    boxes, scores, classes = detection_grid.yolo_grid_boxes(output, 0.3)
    np.testing.assert_allclose(scores, [0.6, 0.375])
    np.testing.assert_allclose(
        boxes,
        [
            [2.5 / 3 - 0.25, 1.25 / 3 - 0.125, 2.5 / 3 + 0.25, 1.25 / 3 + 0.125],
            [2 / 3 - 1 / 6, 1 / 3 - 1 / 6, 2 / 3 + 1 / 6, 1 / 3 + 1 / 6],
        ],
    )
    assert classes.tolist() == [1, 1]
    none = detection_grid.yolo_grid_boxes(output, 0.7)
    assert [part.shape for part in none] == [(0, 4), (0,), (0,)]


def test_equal_scores_keep_raster_order_and_the_threshold_is_inclusive() -> None:
    output = np.zeros((2, 2, 12))
    output[1, 1] = [0.5, 0.5, 0.5, 1, 1, 0.5, 0.5, 0.5, 1, 1, 0.75, 0.25]
    output[0, 1] = [0.75, 0.5, 0.5, 1, 1, 0.0, 0.5, 0.5, 1, 1, 0.5, 0.5]
    boxes, scores, _ = detection_grid.yolo_grid_boxes(output, 0.375)
    np.testing.assert_array_equal(scores, [0.375, 0.375, 0.375])
    # (0, 1) box 1, then (1, 1) box 1, then (1, 1) box 2: raster order.
    np.testing.assert_allclose(boxes[:, 0], [0.5, 0.5, 0.5])
    np.testing.assert_allclose(boxes[:, 1], [0.0, 0.5, 0.5])


def test_the_fixed_cases_hold_what_their_labels_say() -> None:
    cases = {case.name: case.kwargs for case in yolo_grid_cases(0)}
    yolo = np.asarray(cases["YOLO v1 7x7x30"]["output"])
    assert yolo.shape == (7, 7, 30)
    _, scores, _ = detection_grid.yolo_grid_boxes(**cases["score at the threshold"])
    assert cases["score at the threshold"]["threshold"] in scores.tolist()
    assert len(detection_grid.yolo_grid_boxes(**cases["nothing kept"])[1]) == 0
    boxes, _, _ = detection_grid.yolo_grid_boxes(**cases["two boxes in a cell"])
    # Sorted by score: (2, 1) box 1, (0, 2) box 2, (0, 2) box 1; x1 of the two
    # boxes of column 2 lies right of 2/3 − their half-widths.
    assert len(boxes) == 3 and boxes[0, 0] < 2 / 3 < boxes[1, 2]
    unsure = cases["confident box, unsure class"]
    pcs = np.asarray(unsure["output"])[..., [0, 5]]
    assert (pcs >= unsure["threshold"]).sum() > len(
        detection_grid.yolo_grid_boxes(**unsure)[1]
    )


@pytest.mark.parametrize("seed", range(40))
def test_random_cases_are_clear_of_every_boundary(seed: int) -> None:
    for case in yolo_grid_cases(seed):
        if not case.label.startswith("random"):
            continue
        grid = np.asarray(case.kwargs["output"])
        threshold = case.kwargs["threshold"]
        probabilities = np.sort(grid[..., 10:], axis=-1)
        assert np.all(probabilities[..., -1] - probabilities[..., -2] >= 1e-3)
        scores = grid[..., [0, 5]] * probabilities[..., -1:]
        assert np.all(np.abs(scores - threshold) >= 1e-3)
        kept = np.sort(scores[scores >= threshold])
        assert kept.size >= 2 and np.all(np.diff(kept) >= 1e-4)


def test_the_prompts_example_is_the_references() -> None:
    claims = check_example(
        "lecture-6/6.10-yolo.yaml",
        "yolo_grid_boxes",
        "yolo_grid_boxes",
        detection_grid.yolo_grid_boxes,
    )
    assert set(claims) == {"boxes", "scores", "classes"}


def test_the_spec_grades_with_this_reference() -> None:
    assert get_spec("yolo_grid_boxes").reference is detection_grid.yolo_grid_boxes
