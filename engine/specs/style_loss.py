"""Exercise spec for lecture 6.9: the style loss over several layers, the
squared differences of the layers' Gram matrices summed with no factor."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from engine.compare import allclose
from engine.reference import style
from engine.specs import register
from engine.specs.base import Case, ExerciseSpec, Mistake, Property, per_case
from engine.specs.style import rounded

_VALUES = allclose(rtol=1e-5, atol=1e-6)


def _layer_loss_variant(
    per_layer: Callable[[torch.Tensor, torch.Tensor, int, int], torch.Tensor],
    *,
    average_layers: bool = False,
    gram: Callable[[Any], torch.Tensor] = style.gram,
) -> Callable[[list[Any], list[Any]], float]:
    """A style loss built from a per-layer term f(GM_S, GM_G, N, M)."""

    def loss(style_features: list[Any], generated_features: list[Any]) -> float:
        terms = []
        for s, g in zip(style_features, generated_features, strict=True):
            n, m = np.shape(s)[0], int(np.prod(np.shape(s)[1:]))
            terms.append(per_layer(gram(s), gram(g), n, m))
        total = torch.stack(terms).sum()
        return float(total / len(terms) if average_layers else total)

    return loss


def _squared(a: torch.Tensor, b: torch.Tensor, n: int, m: int) -> torch.Tensor:
    return ((a - b) ** 2).sum()


def _gatys(a: torch.Tensor, b: torch.Tensor, n: int, m: int) -> torch.Tensor:
    return ((a - b) ** 2).sum() / (4 * n**2 * m**2)


def _mean(a: torch.Tensor, b: torch.Tensor, n: int, m: int) -> torch.Tensor:
    return ((a - b) ** 2).mean()


def _frobenius(a: torch.Tensor, b: torch.Tensor, n: int, m: int) -> torch.Tensor:
    return ((a - b) ** 2).sum().sqrt()


def _tutorial(a: torch.Tensor, b: torch.Tensor, n: int, m: int) -> torch.Tensor:
    return ((a / (n * m) - b / (n * m)) ** 2).mean()


def _gram_positions(features: Any) -> torch.Tensor:
    f = style.as_tensor(features)
    matrix = f.reshape(f.shape[0], -1)
    return matrix.T @ matrix


def _feature_maps(
    rng: np.random.Generator, shapes: list[tuple[int, int, int]]
) -> list[Any]:
    # Post-ReLU activations: non-negative, some exactly zero.
    return [
        np.maximum(rounded(rng, shape, -0.5, 2.0), 0.0).tolist() for shape in shapes
    ]


def style_loss_cases(seed: int) -> list[Case]:
    fixed = np.random.default_rng(69)
    one_layer = [(3, 2, 2)]
    same = _feature_maps(fixed, [(2, 3, 3)])
    cases = [
        Case(
            "identical",
            {"style_features": same, "generated_features": copy.deepcopy(same)},
            "edge: generated features equal the style features",
        ),
        Case(
            "1x1",
            {
                "style_features": [[[[1.0]]]],
                "generated_features": [[[[3.0]]]],
            },
            "edge: one layer of one channel at one position",
        ),
        Case(
            "one layer",
            {
                "style_features": _feature_maps(fixed, one_layer),
                "generated_features": _feature_maps(fixed, one_layer),
            },
            "edge: a single style layer",
        ),
        Case(
            "two layers",
            {
                "style_features": [
                    (
                        [
                            [[1.0, 0.0], [2.0, 1.0]],
                            [[0.0, 1.0], [1.0, 0.0]],
                            [[2.0, 2.0], [0.0, 1.0]],
                        ]
                    ),
                    [[[1.0]], [[2.0]], [[0.0]], [[1.0]]],
                ],
                "generated_features": [
                    (
                        [
                            [[0.0, 1.0], [1.0, 1.0]],
                            [[1.0, 1.0], [0.0, 0.0]],
                            [[1.0, 0.0], [2.0, 0.0]],
                        ]
                    ),
                    [[[2.0]], [[0.0]], [[1.0]], [[1.0]]],
                ],
            },
            "convention: two layers of different shapes, their losses summed",
        ),
    ]
    rng = np.random.default_rng(seed)
    for i in range(8):
        depth = int(rng.integers(2, 4))
        shapes = [
            (int(rng.integers(2, 5)), 5 - layer, 5 - layer - int(rng.integers(0, 2)))
            for layer in range(depth)
        ]
        cases.append(
            Case(
                f"random {i + 1}",
                {
                    "style_features": _feature_maps(rng, shapes),
                    "generated_features": _feature_maps(rng, shapes),
                },
                "random",
                hidden=i >= 5,
            )
        )
    return cases


def _non_negative(kwargs: dict[str, Any], got: Any) -> str | None:
    value = float(np.asarray(got, dtype=float).reshape(()))
    return None if value >= 0 else f"a loss of {value:g} is negative"


STYLE_LOSS = register(
    ExerciseSpec(
        id="style_loss",
        title="Style loss over several layers",
        topic="6.9",
        entry_point="style_loss",
        signature="def style_loss(style_features, generated_features) -> float",
        statement=(
            "style_features and generated_features are lists with one feature map per "
            "style layer; map l has shape (C_l, H_l, W_l) and the shapes differ from "
            "layer to layer. With the Gram matrix GM = M Mᵀ of each map (M = the map "
            "reshaped to (C_l, H_l·W_l), unnormalised), return "
            "L_style = Σ_l Σ_ij (GM_S[l] − GM_G[l])²: the squared entries of the "
            "difference, summed over the entries and over the layers, with no "
            "normalising factor."
        ),
        reference=style.style_loss,
        make_cases=style_loss_cases,
        compare=_VALUES,
        mistakes=(
            Mistake(
                "style-loss-gatys-factor",
                "Gatys' 1/(4N²M²) factor",
                "Gatys et al. (and the deeplearning.ai course) scale each layer's term "
                "by 1/(4N²M²), N channels and M positions. The notes' style loss has "
                "no factor: Σ_l Σ_ij (GM_S − GM_G)².",
                _layer_loss_variant(_gatys),
                point="Look at each layer's term: is there a factor in front of the sum of squared differences?",
                fix="`return float(sum(((gram(s) - gram(g)) ** 2).sum() for s, g in zip(style_features, generated_features)))`, with no `/ (4 * N**2 * M**2)`",
            ),
            Mistake(
                "style-loss-mean",
                "Mean over the Gram entries instead of the sum",
                "You averaged the squared differences (as F.mse_loss does), which "
                "divides each layer's term by C_l². Sum them.",
                _layer_loss_variant(_mean),
                point="Look at how you reduce the entries of GM_S − GM_G: does your layer term grow with the number of entries, as Σ_ij does?",
                fix="`((gram(s) - gram(g)) ** 2).sum()` for each layer, not `.mean()` or `F.mse_loss`",
            ),
            Mistake(
                "style-loss-norm-not-squared",
                "Frobenius norm not squared",
                "‖GM_S − GM_G‖² is the squared norm: the sum of the squared entries, "
                "without a square root.",
                _layer_loss_variant(_frobenius),
                point="Look at the last operation of each layer's term: do you leave the sum of squared entries as it is?",
                fix="`((gram(s) - gram(g)) ** 2).sum()`, with no square root (or `np.linalg.norm(gram(s) - gram(g)) ** 2`)",
            ),
            Mistake(
                "style-loss-pytorch-tutorial",
                "PyTorch tutorial's normalised Gram and mean squared error",
                "The PyTorch style-transfer tutorial divides each Gram matrix by C·H·W "
                "and then takes a mean, an overall factor of 1/(C⁴(HW)²). The notes use "
                "the plain Gram matrix and a plain sum.",
                _layer_loss_variant(_tutorial),
                point="Look at your Gram matrix and at how you compare two of them: is either step scaled by a size?",
                fix="`gram(f) = M @ M.T` with no division by `C * H * W`, and `((gram(s) - gram(g)) ** 2).sum()` in place of `F.mse_loss`",
            ),
            Mistake(
                "style-loss-layers-averaged",
                "Layers averaged instead of summed",
                "L_style adds the layers' terms; dividing by the number of layers "
                "weights the style term differently from the notes.",
                _layer_loss_variant(_squared, average_layers=True),
                point="Look at how you combine the layers' terms: what do you do after adding them up?",
                fix="`return float(sum(terms))`, without dividing by `len(style_features)`",
            ),
            Mistake(
                "style-loss-gram-positions",
                "Gram matrices of positions (Mᵀ M)",
                "Your Gram matrices compare positions, (H·W, H·W), instead of channels. "
                "Use GM = M Mᵀ with one row of M per channel.",
                _layer_loss_variant(_squared, gram=_gram_positions),
                point="What shape do your Gram matrices have? Each should have one row and one column per channel of its layer.",
                fix="`M = np.asarray(f, float).reshape(len(f), -1)`; `gram = M @ M.T` (C_l × C_l), not `M.T @ M`",
            ),
        ),
        properties=(
            Property(
                "style-loss-non-negative",
                "a sum of squares is ≥ 0",
                per_case(_non_negative),
            ),
        ),
        forbidden=("torchvision",),
    )
)
