"""The cases of `yolo_grid_boxes` (engine/specs/detection_yolo_cell.py): fixed
grids that alone catch every named mistake, and random grids from the seed
whose scores stay clear of the threshold and of one another."""

from __future__ import annotations

import functools
import json
from typing import Any

import numpy as np

from engine.reference import detection_grid
from engine.specs.base import Case

_MARGIN = 1e-3  # every score this far from the threshold; argmax this clear
_DISTINCT = 1e-4  # kept scores at least this far apart (no ties in the order)


def _cell(
    first: tuple[float, ...], second: tuple[float, ...], classes: tuple[float, ...]
) -> list[float]:
    return [*first, *second, *classes]


def _grid(size: int, k: int, cells: dict[tuple[int, int], list[float]]) -> Any:
    """An S×S grid of zeros (pc 0: nothing there) with the given cells."""
    grid = np.zeros((size, size, 10 + k))
    for (row, col), vector in cells.items():
        grid[row, col] = vector
    return grid.tolist()


def _clear(output: np.ndarray, threshold: float) -> bool:
    """True when no score is near the threshold, every cell's most likely
    class is clear of the next, and the kept scores are distinct."""
    k = detection_grid.class_count(output.shape[2])
    probabilities = np.sort(output[..., 10:], axis=-1)
    if k > 1 and np.any(probabilities[..., -1] - probabilities[..., -2] < _MARGIN):
        return False
    scores = (
        output[..., :10].reshape(*output.shape[:2], 2, 5)[..., 0]
        * probabilities[..., -1:]
    )
    if np.any(np.abs(scores - threshold) < _MARGIN):
        return False
    kept = np.sort(scores[scores >= threshold])
    return kept.size >= 2 and bool(np.all(np.diff(kept) >= _DISTINCT))


def _random_grid(
    rng: np.random.Generator, size: int, k: int, threshold: float
) -> dict[str, Any]:
    """A network's output, drawn until it is clear of every tie and boundary:
    about one cell in seven holds an object (pc high, one class likely)."""
    while True:
        cells = size * size
        objects = rng.uniform(size=(cells, 1)) < 0.15
        pc = np.where(
            objects,
            rng.uniform(0.4, 1.0, size=(cells, 2)),
            rng.uniform(0.0, 0.2, size=(cells, 2)),
        )
        centres = rng.uniform(0.0, 1.0, size=(cells, 2, 2))
        sizes = rng.uniform(0.2, 3.0, size=(cells, 2, 2))
        boxes = np.concatenate([pc[..., None], centres, sizes], -1).reshape(cells, 10)
        top = rng.uniform(0.3, 0.95, size=(cells, 1))
        rest = rng.dirichlet(np.ones(k), size=cells) * (1 - top)
        winner = rng.integers(0, k, size=cells)
        probabilities = rest.copy()
        probabilities[np.arange(cells), winner] += top[:, 0]
        output = np.round(
            np.concatenate([boxes, probabilities], -1).reshape(size, size, 10 + k), 3
        )
        if _clear(output, threshold):
            return {"output": output.tolist(), "threshold": threshold}


@functools.cache
def _fixed_grid_cases() -> tuple[tuple[str, str, str], ...]:
    """The edge and convention cases as (name, kwargs in JSON, label). The
    hand-made ones use dyadic numbers, exact in float32 too; the 7×7×30 one
    is drawn once from a fixed generator."""
    two_boxes = _grid(
        3,
        3,
        {
            (0, 2): _cell(
                (0.5, 0.5, 0.25, 1.5, 2.0),
                (0.875, 0.25, 0.75, 0.5, 0.5),
                (0.125, 0.25, 0.625),
            ),
            (2, 1): _cell(
                (0.75, 0.75, 0.5, 1.0, 0.5),
                (0.25, 0.5, 0.5, 3.0, 1.0),
                (0.75, 0.125, 0.125),
            ),
        },
    )
    at_threshold = _grid(
        2,
        3,
        {
            (1, 0): _cell(
                (0.75, 0.5, 0.5, 0.5, 0.5),
                (0.125, 0.5, 0.5, 1.0, 1.0),
                (0.5, 0.25, 0.25),
            ),
            (0, 1): _cell(
                (0.25, 0.5, 0.5, 1.0, 1.0),
                (0.875, 0.25, 0.25, 0.5, 1.5),
                (0.125, 0.125, 0.75),
            ),
        },
    )
    nothing = _grid(
        2,
        3,
        {
            (0, 1): _cell(
                (0.5, 0.5, 0.5, 1.0, 1.0),
                (0.25, 0.5, 0.5, 1.0, 1.0),
                (0.25, 0.625, 0.125),
            ),
        },
    )
    unsure = _grid(
        3,
        2,
        {
            (1, 2): _cell(
                (0.875, 0.5, 0.5, 1.0, 1.0),
                (0.125, 0.5, 0.5, 1.0, 1.0),
                (0.4375, 0.5625),
            ),
            (2, 0): _cell(
                (0.75, 0.25, 0.5, 2.0, 1.0),
                (0.5, 0.75, 0.25, 0.5, 0.5),
                (0.875, 0.125),
            ),
        },
    )
    one_cell = _grid(
        1,
        2,
        {
            (0, 0): _cell(
                (0.75, 0.25, 0.5, 0.5, 0.25),
                (0.5, 0.75, 0.75, 0.25, 0.5),
                (0.25, 0.75),
            )
        },
    )
    cases = (
        (
            "two boxes in a cell",
            {"output": two_boxes, "threshold": 0.3},
            (
                "edge: both boxes of cell (0, 2) kept, box 2 the more confident; "
                "cell (2, 1) keeps box 1 only"
            ),
        ),
        (
            "YOLO v1 7x7x30",
            _random_grid(np.random.default_rng(610), 7, 20, 0.25),
            "convention: YOLO v1's 7 × 7 × 30 output, 20 classes",
        ),
        (
            "score at the threshold",
            {"output": at_threshold, "threshold": 0.375},
            "convention: a score equal to the threshold is kept",
        ),
        (
            "confident box, unsure class",
            {"output": unsure, "threshold": 0.5},
            (
                "convention: the score is pc × class probability: pc = 0.875 with "
                "class probability 0.5625 scores below 0.5"
            ),
        ),
        (
            "nothing kept",
            {"output": nothing, "threshold": 0.6},
            "edge: no score reaches the threshold, N = 0",
        ),
        (
            "one cell",
            {"output": one_cell, "threshold": 0.2},
            "edge: S = 1, the cell is the whole image",
        ),
    )
    return tuple((name, json.dumps(kwargs), label) for name, kwargs, label in cases)


def yolo_grid_cases(seed: int) -> list[Case]:
    cases = [
        Case(name, json.loads(kwargs), label)
        for name, kwargs, label in _fixed_grid_cases()
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        size = int(rng.choice([3, 4, 5, 7]))
        k = int(rng.choice([3, 5, 20]))
        threshold = float(rng.choice([0.2, 0.25, 0.3]))
        cases.append(
            Case(
                f"random {i + 1}",
                _random_grid(rng, size, k, threshold),
                "random",
                hidden=i >= 4,
            )
        )
    return cases
