"""Exercise spec for lecture 6.9: the total style-transfer loss through a small
frozen network. The network, its cases and the loss's wrong variants here also
serve `style_step` (one gradient step on the generated image)."""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from engine.compare import allclose
from engine.reference import style as nst
from engine.specs import register
from engine.specs.base import Case, ExerciseSpec, Mistake, Property, per_case

_VALUES = allclose(rtol=1e-5, atol=1e-6)
_MARGIN = 1e-3  # every pre-activation of G is this far from the ReLU's kink

NETWORK = (
    "The network is frozen: h1 = ReLU(conv(x, w1) + b1) and h2 = ReLU(conv(h1, w2) "
    "+ b2), where conv is a cross-correlation as in PyTorch's conv2d (no kernel "
    "flip), stride 1, no padding; w1 is (C1, C_in, k, k), b1 (C1,), w2 (C2, C1, k, "
    "k), b2 (C2,). Images are (C_in, H, W) arrays. The content layer is h2; the "
    "style layers are h1 and h2. L_content = Σ (h2(C) − h2(G))², summed over every "
    "entry with no ½; L_style = Σ over h1, h2 of Σ_ij (GM_S − GM_G)² with the "
    "unnormalised Gram matrix GM = M Mᵀ, M = the map reshaped to (channels, "
    "positions); L_total = alpha·L_content + beta·L_style."
)

# --------------------------------------------------------------------- variants

ContentTerm = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
StyleTerm = Callable[[torch.Tensor, torch.Tensor, int, int], torch.Tensor]


def _sum_sq(a: torch.Tensor, b: torch.Tensor, n: int = 0, m: int = 0) -> torch.Tensor:
    return ((a - b) ** 2).sum()


def half_sum_sq(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return ((a - b) ** 2).sum() / 2


def mean_sq(a: torch.Tensor, b: torch.Tensor, n: int = 0, m: int = 0) -> torch.Tensor:
    return ((a - b) ** 2).mean()


def style_gatys(a: torch.Tensor, b: torch.Tensor, n: int, m: int) -> torch.Tensor:
    return ((a - b) ** 2).sum() / (4 * n**2 * m**2)


def variant_loss(
    content_term: ContentTerm = _sum_sq,
    style_term: StyleTerm = _sum_sq,
    *,
    swap: bool = False,
    style_layers: tuple[int, ...] = (0, 1),
) -> Callable[..., torch.Tensor]:
    """A total loss, differentiable in the generated image, built from the terms."""

    def loss(
        content: Any,
        style: Any,
        generated: torch.Tensor,
        weights: tuple[Any, ...],
        alpha: float,
        beta: float,
    ) -> torch.Tensor:
        target = nst.network_features(nst.as_tensor(content), *weights)[1]
        styles = nst.network_features(nst.as_tensor(style), *weights)
        layers = nst.network_features(generated, *weights)
        style_loss = sum(
            (
                style_term(
                    nst.gram(styles[i]),
                    nst.gram(layers[i]),
                    layers[i].shape[0],
                    layers[i].shape[1] * layers[i].shape[2],
                )
                for i in style_layers
            ),
            torch.zeros((), dtype=torch.float64),
        )
        content_loss = content_term(target, layers[1])
        if swap:
            alpha, beta = beta, alpha
        return alpha * content_loss + beta * style_loss

    return loss


def _as_total(variant: Callable[..., torch.Tensor]) -> Callable[..., float]:
    def total(
        content: Any,
        style: Any,
        generated: Any,
        w1: Any,
        b1: Any,
        w2: Any,
        b2: Any,
        alpha: float,
        beta: float,
    ) -> float:
        weights = (w1, b1, w2, b2)
        value = variant(content, style, nst.as_tensor(generated), weights, alpha, beta)
        return float(value)

    return total


# ------------------------------------------------------------------------ cases


def _draw(
    rng: np.random.Generator, shape: tuple[int, ...], low: float, high: float
) -> np.ndarray:
    return np.round(rng.uniform(low, high, size=shape), 2)


def _network(rng: np.random.Generator, channels: int) -> dict[str, np.ndarray]:
    hidden, out = int(rng.integers(2, 4)), int(rng.integers(3, 5))
    return {
        "w1": _draw(rng, (hidden, channels, 2, 2), -1.0, 1.0),
        "b1": _draw(rng, (hidden,), -0.3, 0.3),
        "w2": _draw(rng, (out, hidden, 2, 2), -1.0, 1.0),
        "b2": _draw(rng, (out,), -0.3, 0.3),
    }


def _conv(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A valid cross-correlation of one (C, H, W) image, in NumPy: drawing cases
    calls it often, and small NumPy products are cheaper than torch calls."""
    k_h, k_w = w.shape[2:]
    windows = np.lib.stride_tricks.sliding_window_view(x, (k_h, k_w), axis=(1, 2))
    return np.einsum("cijkl,ockl->oij", windows, w) + b[:, None, None]


def _clear_of_kinks(image: np.ndarray, net: dict[str, np.ndarray]) -> bool:
    """True when no pre-activation of the image is within _MARGIN of zero."""
    z1 = _conv(image, net["w1"], net["b1"])
    z2 = _conv(np.maximum(z1, 0.0), net["w2"], net["b2"])
    return bool(np.abs(z1).min() > _MARGIN and np.abs(z2).min() > _MARGIN)


def _problem(
    rng: np.random.Generator,
    channels: int,
    size: tuple[int, int],
    alpha: float,
    beta: float,
) -> dict[str, Any]:
    """Three images and a network, drawn until G is clear of every ReLU kink."""
    while True:
        net = _network(rng, channels)
        content, style, generated = (
            _draw(rng, (channels, *size), 0.0, 1.0) for _ in range(3)
        )
        if _clear_of_kinks(generated, net) and _clear_of_kinks(content, net):
            arrays = {"content": content, "style": style, "generated": generated}
            return {
                **{name: value.tolist() for name, value in {**arrays, **net}.items()},
                "alpha": alpha,
                "beta": beta,
            }


@functools.cache
def _fixed_cases() -> tuple[tuple[str, str, str], ...]:
    """The edge and convention cases as (name, kwargs in JSON, label), drawn once
    from a fixed generator and decoded afresh for every seed. The first case is
    a general one, so that most wrong solutions fail at once."""
    fixed = np.random.default_rng(659)
    same = _problem(fixed, 1, (4, 4), 1.0, 1.0)
    same["style"] = same["generated"] = same["content"]
    from_content = _problem(fixed, 1, (5, 5), 1.0, 1.0)
    from_content["generated"] = copy.deepcopy(from_content["content"])
    cases = (
        (
            "two channels",
            _problem(fixed, 2, (4, 5), 1.0, 0.5),
            (
                "convention: the whole loss with alpha = 1, beta = 0.5, two input "
                "channels, H ≠ W"
            ),
        ),
        ("all equal", same, "edge: C = S = G, the loss is 0"),
        (
            "content only",
            _problem(fixed, 1, (5, 5), 1.0, 0.0),
            "edge: beta = 0, content only",
        ),
        (
            "style only",
            _problem(fixed, 1, (5, 5), 0.0, 1.0),
            "edge: alpha = 0, style only",
        ),
        ("G is C", from_content, "edge: G starts as the content image"),
        (
            "notes' weights",
            _problem(fixed, 1, (5, 5), 0.5, 0.5),
            "convention: alpha = beta = 0.5, as in the notes' loop",
        ),
    )
    return tuple((name, json.dumps(kwargs), label) for name, kwargs, label in cases)


def total_loss_cases(seed: int) -> list[Case]:
    cases = [
        Case(name, json.loads(kwargs), label) for name, kwargs, label in _fixed_cases()
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        alpha, beta = (
            float(rng.choice([0.5, 1.0, 2.0])),
            float(rng.choice([0.1, 0.5, 1.0])),
        )
        problem = _problem(rng, int(rng.integers(1, 3)), (5, 5), alpha, beta)
        cases.append(Case(f"random {i + 1}", problem, "random", hidden=i >= 4))
    return cases


def _non_negative(kwargs: dict[str, Any], got: Any) -> str | None:
    value = float(np.asarray(got, dtype=float).reshape(()))
    return None if value >= 0 else f"a loss of {value:g} is negative"


# ------------------------------------------------------------------------ specs

CONTENT_HALF = (
    "Gatys et al. put ½ in front of the content loss; the notes do not: "
    "L_content = Σ (h2(C) − h2(G))²."
)
GATYS = (
    "You scaled each style layer by Gatys' 1/(4N²M²). The notes' style loss is the "
    "plain sum Σ_l Σ_ij (GM_S − GM_G)²."
)

TOTAL_LOSS = register(
    ExerciseSpec(
        id="style_transfer_loss",
        title="Total style-transfer loss through a frozen network",
        topic="6.9",
        entry_point="style_transfer_loss",
        signature="def style_transfer_loss(content, style, generated, w1, b1, w2, b2, alpha, beta) -> float",
        statement=NETWORK + " Return L_total for the generated image G.",
        reference=nst.style_transfer_loss,
        make_cases=total_loss_cases,
        compare=_VALUES,
        mistakes=(
            Mistake(
                "style-total-content-half",
                "½ in the content loss",
                CONTENT_HALF,
                _as_total(variant_loss(half_sum_sq)),
                point="Look at the content term: is there a factor in front of the sum of squared differences?",
                fix="`l_content = ((h2_c - h2_g) ** 2).sum()` without `0.5 *`, `h2_c` and `h2_g` being h2 of the content and generated images",
            ),
            Mistake(
                "style-total-gatys",
                "Gatys' 1/(4N²M²) factor in the style loss",
                GATYS,
                _as_total(variant_loss(style_term=style_gatys)),
                point="Look at each style layer's term: do you scale Σ_ij (GM_S − GM_G)² by the layer's size?",
                fix="`l_style = sum(((gram(s) - gram(g)) ** 2).sum() for s, g in ((h1_s, h1_g), (h2_s, h2_g)))`, with no `/ (4 * N**2 * M**2)`",
            ),
            Mistake(
                "style-total-mean",
                "Mean squared errors instead of sums",
                "F.mse_loss averages: it divides the content term by the number of "
                "activations and each style term by C_l². The notes sum the squares.",
                _as_total(variant_loss(mean_sq, mean_sq)),
                point="How do you reduce the squared differences, in the content term and in each style term: do you divide by a count anywhere?",
                fix="`.sum()` everywhere: `l_content = ((h2_c - h2_g) ** 2).sum()` and `((gram(s) - gram(g)) ** 2).sum()` per style layer, in place of `.mean()` or `F.mse_loss`",
            ),
            Mistake(
                "style-total-weights-swapped",
                "alpha and beta swapped",
                "alpha weighs the content loss and beta the style loss: "
                "L_total = alpha·L_content + beta·L_style.",
                _as_total(variant_loss(swap=True)),
                point="Which weight multiplies which loss? Check the visible 'content only' case, where beta = 0.",
                fix="`return float(alpha * l_content + beta * l_style)`",
            ),
            Mistake(
                "style-total-one-style-layer",
                "Style measured at one layer only",
                "Style is compared at several layers (here h1 and h2) and the layers' "
                "terms are added; content uses h2 alone.",
                _as_total(variant_loss(style_layers=(1,))),
                point="At which layers do you measure style? Count the feature maps that enter your style term.",
                fix="`l_style = sq(gram(h1_s) - gram(h1_g)) + sq(gram(h2_s) - gram(h2_g))` with `sq(d) = (d ** 2).sum()`: both h1 and h2, while content stays at h2",
            ),
        ),
        properties=(
            Property(
                "style-total-non-negative",
                "with alpha, beta ≥ 0 the loss is ≥ 0",
                per_case(_non_negative),
            ),
        ),
        forbidden=("torchvision",),
    )
)
