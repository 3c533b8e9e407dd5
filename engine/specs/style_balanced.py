"""Exercise spec for lecture 6.9: the content, style and total losses over
chosen layers at the notes' balance α = β = 0.5, from feature maps already
computed (the frozen network itself is in `style_transfer`)."""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from engine.compare import allclose, fields
from engine.reference import style, style_balanced
from engine.specs import register
from engine.specs.base import Case, ExerciseSpec, Mistake, Property, per_case
from engine.specs.style import rounded

_VALUE = allclose(rtol=1e-5, atol=1e-6)
_LOSSES = fields(("L_content", _VALUE), ("L_style", _VALUE), ("L_total", _VALUE))

# ------------------------------------------------------------ wrong variants

Term = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def _sum_sq(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return ((a - b) ** 2).sum()


def _mean_sq(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return ((a - b) ** 2).mean()


def _gatys(gs: torch.Tensor, gg: torch.Tensor, n: int, m: int) -> torch.Tensor:
    return ((gs - gg) ** 2).sum() / (4 * n**2 * m**2)


def _per_position(gs: torch.Tensor, gg: torch.Tensor, n: int, m: int) -> torch.Tensor:
    return (((gs - gg) / m) ** 2).sum()


def _plain(gs: torch.Tensor, gg: torch.Tensor, n: int, m: int) -> torch.Tensor:
    return ((gs - gg) ** 2).sum()


def _mean(gs: torch.Tensor, gg: torch.Tensor, n: int, m: int) -> torch.Tensor:
    return ((gs - gg) ** 2).mean()


def _balanced_variant(
    *,
    alpha: float = 0.5,
    beta: float = 0.5,
    content_term: Term = _sum_sq,
    style_term: Callable[[torch.Tensor, torch.Tensor, int, int], torch.Tensor] = _plain,
    content_everywhere: bool = False,
    style_at_content: bool = False,
) -> Callable[..., tuple[float, float, float]]:
    """The three losses with one misconception switched on."""

    def run(
        content_features: list[Any],
        style_features: list[Any],
        generated_features: list[Any],
        content_layers: list[int],
        style_layers: list[int],
    ) -> tuple[float, float, float]:
        generated = [style.as_tensor(f) for f in generated_features]
        where = range(len(generated)) if content_everywhere else content_layers
        content = sum(
            (
                content_term(style.as_tensor(content_features[i]), generated[i])
                for i in where
            ),
            torch.zeros((), dtype=torch.float64),
        )
        styled = content_layers if style_at_content else style_layers
        total_style = sum(
            (
                style_term(
                    style.gram(style_features[i]),
                    style.gram(generated[i]),
                    generated[i].shape[0],
                    generated[i].shape[1] * generated[i].shape[2],
                )
                for i in styled
            ),
            torch.zeros((), dtype=torch.float64),
        )
        return (
            float(content),
            float(total_style),
            float(alpha * content + beta * total_style),
        )

    return run


# ---------------------------------------------------------------------- cases


def _maps(rng: np.random.Generator, shapes: list[tuple[int, int, int]]) -> list[Any]:
    """Post-ReLU feature maps: non-negative, some entries exactly zero."""
    return [
        np.maximum(rounded(rng, shape, -0.5, 2.0), 0.0).tolist() for shape in shapes
    ]


def _problem(
    rng: np.random.Generator,
    shapes: list[tuple[int, int, int]],
    content_layers: list[int],
    style_layers: list[int],
) -> dict[str, Any]:
    return {
        "content_features": _maps(rng, shapes),
        "style_features": _maps(rng, shapes),
        "generated_features": _maps(rng, shapes),
        "content_layers": content_layers,
        "style_layers": style_layers,
    }


_NOTES_SHAPES = [(2, 5, 5), (3, 4, 4), (4, 3, 3), (4, 2, 2)]


@functools.cache
def _fixed_balanced_cases() -> tuple[tuple[str, str, str], ...]:
    """The edge and convention cases as (name, kwargs in JSON, label), drawn
    once from a fixed generator and decoded afresh for every seed."""
    fixed = np.random.default_rng(609)
    notes = _problem(fixed, _NOTES_SHAPES, [2], [0, 1, 2, 3])
    separate = _problem(fixed, [(2, 4, 4), (3, 3, 3), (3, 2, 3)], [0], [1, 2])
    unused = _problem(fixed, _NOTES_SHAPES, [1, 3], [0, 1])
    from_content = _problem(fixed, [(2, 4, 3), (3, 2, 2)], [1], [0, 1])
    from_content["generated_features"] = copy.deepcopy(from_content["content_features"])
    from_style = _problem(fixed, [(2, 4, 3), (3, 2, 2)], [1], [0, 1])
    from_style["generated_features"] = copy.deepcopy(from_style["style_features"])
    one = _problem(fixed, [(3, 1, 1)], [0], [0])
    cases = (
        (
            "the notes' layers",
            notes,
            (
                "convention: the notes' choice, content at one deep layer (index 2, "
                "like relu_3_3) and style at all four layers"
            ),
        ),
        (
            "content layer apart",
            separate,
            "edge: the content layer is not a style layer",
        ),
        (
            "two content layers",
            unused,
            "edge: content at layers 1 and 3, style at 0 and 1; layer 2 is in neither",
        ),
        ("G is C", from_content, "edge: G's maps equal C's, L_content = 0"),
        ("G is S", from_style, "edge: G's maps equal S's, L_style = 0"),
        (
            "1x1 maps",
            one,
            "edge: one layer of 1 × 1 maps, content and style both there",
        ),
    )
    return tuple((name, json.dumps(kwargs), label) for name, kwargs, label in cases)


def balanced_cases(seed: int) -> list[Case]:
    cases = [
        Case(name, json.loads(kwargs), label)
        for name, kwargs, label in _fixed_balanced_cases()
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        depth = int(rng.integers(2, 5))
        shapes = [
            (int(rng.integers(2, 5)), 5 - layer, 5 - layer - int(rng.integers(0, 2)))
            for layer in range(depth)
        ]
        layers = list(range(depth))
        content = sorted(
            int(v)
            for v in rng.choice(layers, size=int(rng.integers(1, 3)), replace=False)
        )
        styles = sorted(
            int(v)
            for v in rng.choice(
                layers, size=int(rng.integers(1, depth + 1)), replace=False
            )
        )
        cases.append(
            Case(
                f"random {i + 1}",
                _problem(rng, shapes, content, styles),
                "random",
                hidden=i >= 4,
            )
        )
    return cases


# ------------------------------------------------------------------------ spec


def _balanced_total(kwargs: dict[str, Any], got: Any) -> str | None:
    content, style_loss, total = (float(v) for v in got)
    half = 0.5 * content + 0.5 * style_loss
    if abs(total - half) > 1e-5 * abs(half) + 1e-6:
        return f"L_total = {total:g}, but 0.5·L_content + 0.5·L_style = {half:g}"
    return None


def _non_negative(kwargs: dict[str, Any], got: Any) -> str | None:
    values = [float(v) for v in got]
    if min(values) < 0:
        return f"a loss of {min(values):g} is negative"
    return None


BALANCED = register(
    ExerciseSpec(
        id="balanced_style_loss",
        title="Content, style and total loss at α = β = 0.5",
        topic="6.9",
        entry_point="balanced_style_loss",
        signature=(
            "def balanced_style_loss(content_features, style_features, "
            "generated_features, content_layers, style_layers) -> tuple[float, float, float]"
        ),
        statement=(
            "The content image C, the style image S and the generated image G have "
            "been run through the same frozen network: content_features, "
            "style_features and generated_features each list the image's feature maps "
            "at the same L layers, map l of shape (C_l, H_l, W_l), the shapes differing "
            "from layer to layer. content_layers and style_layers list the 0-based "
            "indices of the layers each loss uses (distinct within each list; a layer "
            "may be in both, or in neither). Return (L_content, L_style, L_total): "
            "L_content = Σ over the content layers of Σ (A_C[l] − A_G[l])², summed over "
            "every entry; L_style = Σ over the style layers of Σ_ij (GM_S[l] − GM_G[l])², "
            "with the unnormalised Gram matrix GM = M Mᵀ, M = the map reshaped to "
            "(C_l, H_l·W_l); L_total = α·L_content + β·L_style with the notes' "
            "α = β = 0.5. No ½, no mean, no normalising factor anywhere."
        ),
        reference=style_balanced.balanced_losses,
        make_cases=balanced_cases,
        compare=_LOSSES,
        mistakes=(
            Mistake(
                "balanced-unweighted",
                "Losses added with α = β = 1",
                "With the notes' α = β = 0.5 the total is 0.5·L_content + "
                "0.5·L_style, half the plain sum of the two losses.",
                _balanced_variant(alpha=1.0, beta=1.0),
                point="Look at the line that combines the two losses into L_total: what multiplies each of them?",
                fix="`l_total = 0.5 * l_content + 0.5 * l_style`",
            ),
            Mistake(
                "balanced-dlai-weights",
                "deeplearning.ai's α = 10, β = 40",
                "The Coursera assignment's total cost defaults to α = 10 and β = 40, "
                "and Gatys et al. use ratios such as α/β = 10⁻³. The weights are a "
                "choice of the user; this exercise fixes the notes' α = β = 0.5.",
                _balanced_variant(alpha=10.0, beta=40.0),
                point="Where do your α and β come from? Compare them with the values the statement fixes.",
                fix="`alpha, beta = 0.5, 0.5`, then `l_total = alpha * l_content + beta * l_style`",
            ),
            Mistake(
                "balanced-gatys-factor",
                "Gatys' 1/(4N²M²) factor in the style loss",
                "Gatys et al. and the deeplearning.ai course divide each style layer's "
                "term by 4N²M² (N channels, M positions). The notes' style loss has no "
                "factor: Σ_l Σ_ij (GM_S[l] − GM_G[l])².",
                _balanced_variant(style_term=_gatys),
                point="Look at each style layer's term: do you scale the sum of squared Gram differences by the layer's size?",
                fix="`l_style += ((gram(s) - gram(g)) ** 2).sum()` for each style layer, with no `/ (4 * N**2 * M**2)`",
            ),
            Mistake(
                "balanced-gram-per-position",
                "Gram matrix divided by the number of positions",
                "The TensorFlow style-transfer tutorial averages its Gram matrix over "
                "the H·W positions. The notes' GM = M Mᵀ sums over the positions, so "
                "each of its style terms is (H·W)² times one built from averaged Grams.",
                _balanced_variant(style_term=_per_position),
                point="Look at how you build a Gram matrix: is it M Mᵀ as it stands, or scaled by the size of the map?",
                fix="`M = f.reshape(f.shape[0], -1)`; `gram = M @ M.T`, without `/ (H * W)`",
            ),
            Mistake(
                "balanced-content-every-layer",
                "Content compared at every layer",
                "Content is measured at the content layers only (in the notes one deep "
                "layer, relu_3_3). Comparing C and G at every layer also pins G to C's "
                "fine detail, which the style is meant to replace.",
                _balanced_variant(content_everywhere=True),
                point="Over which layers does your content sum run? Compare them with content_layers in the visible case 'content layer apart'.",
                fix="`l_content = sum(((np.asarray(content_features[l]) - np.asarray(generated_features[l])) ** 2).sum() for l in content_layers)`",
            ),
            Mistake(
                "balanced-style-at-content-layers",
                "Style compared at the content layers",
                "Style is measured at its own layers (in the notes four, relu_1_2 to "
                "relu_4_3) and their terms are added; which layers carry the content "
                "plays no part in it.",
                _balanced_variant(style_at_content=True),
                point="Which list of layer indices does your style sum run over?",
                fix="`l_style = sum(((gram(style_features[l]) - gram(generated_features[l])) ** 2).sum() for l in style_layers)`",
            ),
            Mistake(
                "balanced-mean",
                "Mean squared errors instead of sums",
                "F.mse_loss and .mean() divide by the number of entries: C_l·H_l·W_l in "
                "a content term, C_l² in a style term. The notes' losses are sums of "
                "squares.",
                _balanced_variant(content_term=_mean_sq, style_term=_mean),
                point="How do you reduce the squared differences, in the content terms and in the style terms: do you divide by a count anywhere?",
                fix="`((a - b) ** 2).sum()` in every term, in place of `.mean()` or `F.mse_loss(a, b)`",
            ),
        ),
        properties=(
            Property(
                "balanced-total-is-half-sum",
                "L_total = 0.5·L_content + 0.5·L_style",
                per_case(_balanced_total),
            ),
            Property(
                "balanced-non-negative",
                "every loss is a sum of squares, ≥ 0",
                per_case(_non_negative),
            ),
        ),
        forbidden=("torchvision",),
    )
)
