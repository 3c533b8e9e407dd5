"""Variants for lecture 6.8–6.9: reconstruction (total variation, its gradient,
the objective by hand) and style transfer (Gram matrices, the style loss over
layers, the weighted total), each small enough to work by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from engine.reference import style, visualisation
from exercises.variants import Variant, generator
from exercises.variants._common import far_from_slips, matrix_text

# ----------------------------------------------------------- 6.8 reconstruction


def _tv(image: np.ndarray) -> float:
    return float(visualisation.total_variation(torch.as_tensor(image)))


@generator(
    "recon_total_variation",
    guarantees=(
        "a 3×3 image of whole numbers 0 to 5, not constant",
        "answer from the engine's total_variation (anisotropic: |vertical| + |horizontal| steps)",
        "the squared, one-direction and wrap-around versions all give other numbers",
    ),
    holds=lambda v: None if v.answer > 0 else "a flat image",
)
def recon_total_variation(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        x = rng.integers(0, 6, size=(1, 3, 3)).astype(float)
        steps = [np.diff(x[0], axis=axis) for axis in (0, 1)]
        vertical, horizontal = (float(np.abs(d).sum()) for d in steps)
        squared = sum(float((d**2).sum()) for d in steps)
        wrap = sum(np.abs(np.roll(x[0], -1, a) - x[0]).sum() for a in (0, 1))
        total = _tv(x)
        if total > 0 and far_from_slips(
            total, [vertical, horizontal, squared, wrap], 0.5
        ):
            break
    values = {"x": x[0], "vertical": vertical, "horizontal": horizontal,
              "squared": squared, "wrap": wrap, "tv": total}  # fmt: skip
    return Variant(values=values, answer=total)


@generator(
    "recon_tv_gradient",
    guarantees=(
        "a 3×3 image of whole numbers 0 to 9 with no two neighbours equal (|d| has no kink)",
        "answer: the gradient of the engine's total_variation, by autograd",
    ),
    holds=lambda v: None if np.any(v.answer != 0) else "a zero gradient",
)
def recon_tv_gradient(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        x = rng.integers(0, 10, size=(3, 3)).astype(float)
        if np.all(np.diff(x, axis=0) != 0) and np.all(np.diff(x, axis=1) != 0):
            break
    image = torch.as_tensor(x[None]).requires_grad_(True)
    (gradient,) = torch.autograd.grad(visualisation.total_variation(image), image)
    answer = gradient.numpy()[0]
    values = {"x": x, "grad": answer, "negated_text": matrix_text(-answer)}
    return Variant(values=values, answer=answer)


@generator(
    "recon_objective_by_hand",
    guarantees=(
        "2×3 images in quarters; code φ = ReLU(2×2 conv + b), two numbers per image",
        "the codes of x and x₀ differ by 0.25 somewhere; each has a positive entry",
        "λ in {0.1, 0.2, 0.5}",
        "answers from the engine's conv_relu, total_variation and reconstruction_objective",
    ),
    holds=lambda v: None if v.answer["data"] > 0 else "identical codes",
)
def recon_objective_by_hand(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    while True:
        x, x0 = (rng.choice(np.arange(0.0, 1.25, 0.25), size=(1, 2, 3)) for _ in "ab")
        w = rng.choice(np.array([-1.0, -0.5, 0.5, 1.0]), size=(1, 1, 2, 2))
        b = rng.choice(np.arange(-0.5, 0.75, 0.25), size=1)
        code = style.conv_relu(torch.as_tensor(x), w, b).numpy().reshape(2)
        target = style.conv_relu(torch.as_tensor(x0), w, b).numpy().reshape(2)
        if np.abs(code - target).max() >= 0.25 and min(target.max(), code.max()) > 0:
            break
    lam = float(rng.choice([0.1, 0.2, 0.5]))
    energy, _ = visualisation.reconstruction_objective(x, x0, w, b, lam, 0.0)
    answer = {"target": target, "code": code, "data": float(((code - target) ** 2).sum()),
              "tv": _tv(x), "energy": energy}  # fmt: skip

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The data term from the student's codes; E from their data term and TV."""
        if part == "data" and {"target", "code"} <= earlier.keys():
            own = np.asarray(earlier["code"], dtype=float).ravel()
            return float(((own - np.asarray(earlier["target"]).ravel()) ** 2).sum())
        if part == "energy" and {"data", "tv"} <= earlier.keys():
            return earlier["data"] + lam * earlier["tv"]
        return None

    values = {"x": x[0], "x0": x0[0], "w": w[0, 0], "b": float(b[0]), "lam": lam,
              **answer}  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


# ----------------------------------------------------------- 6.9 style transfer


@generator(
    "style_gram_small",
    guarantees=(
        "a (3, 2, 2) feature map of whole numbers 0 to 3, no channel all zero",
        "answer from the engine's gram_matrix: M Mᵀ with M of shape (3, 4), unnormalised",
    ),
    holds=lambda v: None if np.shape(v.answer) == (3, 3) else "not (C, C)",
)
def style_gram_small(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        features = rng.integers(0, 4, size=(3, 2, 2)).astype(float)
        if np.all(features.reshape(3, -1).max(axis=1) > 0):
            break
    matrix = features.reshape(3, 4)
    answer = style.gram_matrix(features)
    values = {"channels": features, "M": matrix, "gram": answer,
              "mean_text": matrix_text(answer / 4),
              "positions_text": matrix_text(matrix.T @ matrix)}  # fmt: skip
    return Variant(values=values, answer=answer)


def _maps(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.integers(0, 3, size=shape).astype(float)


@generator(
    "style_loss_layers",
    guarantees=(
        "two style layers, each a (2, 1, 2) map of whole numbers 0 to 2 for S and for G",
        "the Gram matrices differ at both layers",
        "the mean, unsquared-norm, upper-triangle and one-layer slips miss by over 0.5",
        "answer from the engine's style_loss: Σ_l Σ_ij (GM_S − GM_G)², no factor",
    ),
    holds=lambda v: None if v.values["per_layer"].min() > 0 else "a layer matches",
)
def style_loss_layers(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        s = [_maps(rng, (2, 1, 2)) for _ in range(2)]
        g = [_maps(rng, (2, 1, 2)) for _ in range(2)]
        pairs = list(zip(s, g, strict=True))
        per_layer = np.array([style.style_loss([a], [c]) for a, c in pairs])
        answer = style.style_loss(s, g)
        grams = [(style.gram_matrix(a), style.gram_matrix(c)) for a, c in pairs]
        differences = [gs - gg for gs, gg in grams]
        upper = sum(float((np.triu(d) ** 2).sum()) for d in differences)
        slips = [per_layer.sum() / 4, np.sqrt(per_layer).sum(), upper, per_layer[0]]
        if per_layer.min() > 0 and answer <= 150 and far_from_slips(answer, slips, 0.5):
            break
    layers = [
        {"number": n + 1, "gs": gs, "gg": gg, "diff": d, "loss": per_layer[n]}
        for n, ((gs, gg), d) in enumerate(zip(grams, differences, strict=True))
    ]
    values = {"layers": layers, "per_layer": per_layer, "total": answer,
              "mean": slips[0], "root": slips[1], "upper": upper, "first": slips[3]}  # fmt: skip
    return Variant(values=values, answer=answer)


@generator(
    "style_total_by_hand",
    guarantees=(
        "content activations: 4 numbers (halves); one style layer, (2, 1, 2) maps of 0 to 2",
        "both losses are non-zero; α in {0.5, 1}, β in {0.1, 0.5}",
        "answers from the engine's content_loss_of and style_loss_of",
    ),
    holds=lambda v: (
        None if min(v.answer["content"], v.answer["style"]) > 0 else "a zero loss"
    ),
)
def style_total_by_hand(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        a_c, a_g = (rng.integers(0, 5, size=4) / 2 for _ in "cg")
        s, g = _maps(rng, (2, 1, 2)), _maps(rng, (2, 1, 2))
        content = float(style.content_loss_of(a_c, a_g))
        style_value = float(style.style_loss_of([s], [g]))
        if content > 0 and 0 < style_value <= 60:
            break
    alpha, beta = float(rng.choice([0.5, 1.0])), float(rng.choice([0.1, 0.5]))
    answer = {"content": content, "style": style_value,
              "total": alpha * content + beta * style_value}  # fmt: skip

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The weighted sum of the student's own two losses."""
        if part == "total" and {"content", "style"} <= earlier.keys():
            return alpha * earlier["content"] + beta * earlier["style"]
        return None

    values = {"a_c": a_c, "a_g": a_g, "gs": style.gram_matrix(s),
              "gg": style.gram_matrix(g), "alpha": alpha, "beta": beta,
              "diff": style.gram_matrix(s) - style.gram_matrix(g), **answer}  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)
