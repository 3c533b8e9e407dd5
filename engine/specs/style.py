"""Exercise spec for lecture 6.9: the Gram matrix of a feature map (the style
loss is in `style_loss`, the total loss in `style_transfer`, one gradient
step in `style_step`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from engine.compare import allclose
from engine.reference import style
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    per_case,
)

# Near-zero Gram entries (sums of products of either sign) carry the absolute
# rounding error of a float32 product, up to ~4e-7 on the cases.
_GRAM_VALUES = allclose(rtol=1e-5, atol=1e-5)
GRAM_SHAPE = "The result has shape (C, C), one row and one column per channel"


def _gram_hw_by_hw(features: Any) -> np.ndarray:
    f = np.asarray(features, dtype=float)
    matrix = f.reshape(f.shape[0], -1)
    return matrix.T @ matrix


def _gram_scaled(by_channels: bool) -> Callable[[Any], np.ndarray]:
    def gram(features: Any) -> np.ndarray:
        f = np.asarray(features, dtype=float)
        scale = f.size if by_channels else f.size // f.shape[0]
        return style.gram_matrix(f) / scale

    return gram


def _gram_channels_last(features: Any) -> np.ndarray:
    f = np.asarray(features, dtype=float)
    positions = f.reshape(-1, f.shape[0])  # reads (C, H, W) as if it were (H, W, C)
    return positions.T @ positions


def rounded(
    rng: np.random.Generator, shape: tuple[int, ...], low: float, high: float
) -> np.ndarray:
    return np.round(rng.uniform(low, high, size=shape), 2)


def gram_cases(seed: int) -> list[Case]:
    edge = [
        ("1x1 map", [[[2.0]]], "edge: one channel, one position"),
        ("one channel", [[[1.0, -2.0, 0.5], [3.0, 0.0, 1.0]]], "edge: one channel"),
        (
            "one position",
            [[[1.0]], [[-2.0]], [[3.0]]],
            "edge: a 1×1 map of three channels",
        ),
        (
            "zero channel",
            [[[1.0, 2.0], [0.0, 1.0]], [[0.0, 0.0], [0.0, 0.0]]],
            "edge: a channel that never fires",
        ),
        (
            "channels first",
            [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[0.0, 1.0, 0.0], [2.0, 0.0, 1.0]]],
            "convention: (C, H, W) with H ≠ W, channels first",
        ),
    ]
    cases = [
        Case(name, {"features": features}, label) for name, features, label in edge
    ]
    rng = np.random.default_rng(seed)
    for i in range(8):
        shape = (
            int(rng.integers(2, 5)),
            int(rng.integers(2, 5)),
            int(rng.integers(2, 6)),
        )
        cases.append(
            Case(
                f"random {i + 1}",
                {"features": rounded(rng, shape, -1.0, 2.0).tolist()},
                "random",
                hidden=i >= 5,
            )
        )
    return cases


def _gram_symmetric_psd(kwargs: dict[str, Any], got: Any) -> str | None:
    matrix = np.asarray(got, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        return None
    scale = max(1.0, float(np.abs(matrix).max()))
    if np.abs(matrix - matrix.T).max() > 1e-6 * scale:
        return "the matrix is not symmetric"
    lowest = float(np.linalg.eigvalsh((matrix + matrix.T) / 2).min())
    if lowest < -1e-6 * scale:
        return f"it has a negative eigenvalue ({lowest:.4g}), so it is not M Mᵀ"
    return None


GRAM = register(
    ExerciseSpec(
        id="gram_matrix",
        title="Gram matrix of a feature map",
        topic="6.9",
        entry_point="gram_matrix",
        signature="def gram_matrix(features) -> array",
        statement=(
            "features is one image's activations at one layer, an array of shape "
            "(C, H, W): C channels, then rows and columns (no batch axis). Let M be "
            "features reshaped to (C, H·W), one row per channel. Return the Gram "
            "matrix GM = M Mᵀ: entry (i, j) sums channel i times channel j over "
            f"every position. Do not normalise it. {GRAM_SHAPE}."
        ),
        reference=style.gram_matrix,
        make_cases=gram_cases,
        compare=_GRAM_VALUES,
        shapes=(
            ShapePromise(
                GRAM_SHAPE,
                lambda kwargs: True,
                lambda kwargs: 2 * (len(kwargs["features"]),),
            ),
        ),
        mistakes=(
            Mistake(
                "gram-positions-by-positions",
                "Mᵀ M instead of M Mᵀ",
                "You multiplied the matrices the other way round and got an (H·W, H·W) "
                "matrix that compares positions. Style compares channels: with one row "
                "per channel, GM = M Mᵀ is (C, C).",
                _gram_hw_by_hw,
                point="What shape does your result have? For the visible 'one channel' case it should have one row and one column per channel.",
                fix="`M = np.asarray(features, float).reshape(len(features), -1)`; `return M @ M.T`, not `M.T @ M`",
            ),
            Mistake(
                "gram-normalised-chw",
                "Gram matrix divided by C·H·W",
                "Dividing by C·H·W is the PyTorch tutorial's and d2l's normalisation. "
                "The notes' Gram matrix is the plain product M Mᵀ.",
                _gram_scaled(by_channels=True),
                point="Look at what you do after the product M Mᵀ: do you divide it by anything?",
                fix="`return M @ M.T`, with no division by `C * H * W`",
            ),
            Mistake(
                "gram-normalised-hw",
                "Gram matrix divided by H·W",
                "Averaging over the H·W positions (as some Gatys re-implementations do) "
                "is not the notes' convention: GM = M Mᵀ, unnormalised.",
                _gram_scaled(by_channels=False),
                point="Look at your last line: do you scale M Mᵀ by the number of positions?",
                fix="`return M @ M.T`, with no division by `H * W`",
            ),
            Mistake(
                "gram-channels-last-reshape",
                "Channels-first array reshaped as if channels were last",
                "features.reshape(-1, C) cuts the (C, H, W) memory into rows that mix "
                "channels and positions. Reshape to (C, H·W) so that each row is one "
                "channel (or transpose a channels-last array to (C, H, W) first).",
                _gram_channels_last,
                point="Look at how you build M: which axis of the (C, H, W) array becomes the rows of M? Try the visible 'channels first' case.",
                fix="`f = np.asarray(features, float)`; `M = f.reshape(f.shape[0], -1)` (a row per channel, positions along it); `return M @ M.T`",
            ),
        ),
        properties=(
            Property(
                "gram-symmetric-psd",
                "a Gram matrix is symmetric positive semi-definite",
                per_case(_gram_symmetric_psd),
            ),
        ),
        forbidden=("torchvision",),
    )
)
