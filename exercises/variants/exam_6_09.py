"""Exam-level variants for lecture 6.9, neural style transfer: what equal weights
α = β = 0.5 mean when the two losses have very different scales, how the two
losses scale when every activation is multiplied by k, and the gradient of the
style loss with respect to the generated image's feature map."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from engine.reference import style
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw, parts_follow, shaped

ALPHA = BETA = 0.5  # the notes' weights

# ------------------------------------------------- equal weights, unequal terms


def _equal_weights_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    a_c, a_g = (rng.integers(0, 5, size=4) / 2 for _ in "cg")
    m_s, m_g = (rng.integers(0, 4, size=(2, 3)).astype(float) for _ in "sg")
    content = float(style.content_loss_of(a_c, a_g))
    style_value = float(style.style_loss_of([m_s[:, None, :]], [m_g[:, None, :]]))
    if content < 0.5 or not 20 * content <= style_value <= 2000:
        return None
    return {"a_c": a_c, "a_g": a_g, "m_s": m_s, "m_g": m_g,
            "content": content, "style": style_value}  # fmt: skip


def _equal_weights_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if not answer["style"] >= 20 * answer["content"] > 0:
        return "the style term does not dominate by a factor of 20"
    if not 0.9 < answer["share"] < 1:
        return f"the style share {answer['share']:g} is out of range"
    return None


def _share(earlier: dict[str, Any]) -> float | None:
    weighted = ALPHA * earlier["content"] + BETA * earlier["style"]
    return BETA * earlier["style"] / weighted if weighted else None


def _balancing_alpha(earlier: dict[str, Any]) -> float | None:
    content = earlier["content"]
    return BETA * earlier["style"] / content if content else None


@generator(
    "exam_style_equal_weights",
    guarantees=(
        "content activations: 4 numbers in halves 0 to 2 for C and for G, L_content ≥ 0.5",
        "one style layer: 2 channels × 3 positions of whole numbers 0 to 3 for S and G",
        "L_style is between 20 and 2000 and at least 20 times L_content",
        "α = β = 0.5 (the notes); losses from the engine's content_loss_of and style_loss_of",
        "follow: L_total, the style share and the balancing α from the student's two losses",
    ),
    holds=_equal_weights_holds,
)
def exam_style_equal_weights(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    draw = bounded_draw(rng, _equal_weights_draw)
    content, style_value = draw["content"], draw["style"]
    total = ALPHA * content + BETA * style_value
    answer = {
        "content": content,
        "style": style_value,
        "total": total,
        "share": BETA * style_value / total,
        "alpha_equal": BETA * style_value / content,
    }
    both = {"content", "style"}
    follow = parts_follow(
        {
            "total": (both, lambda e: ALPHA * e["content"] + BETA * e["style"]),
            "share": (both, _share),
            "alpha_equal": (both, _balancing_alpha),
        }
    )
    gs = style.gram_matrix(draw["m_s"][:, None, :])
    gg = style.gram_matrix(draw["m_g"][:, None, :])
    values = {
        **draw,
        **answer,
        "alpha": ALPHA,
        "beta": BETA,
        "gs": gs,
        "gg": gg,
        "diff": gs - gg,
        "weighted_content": ALPHA * content,
        "weighted_style": BETA * style_value,
        "ratio": style_value / content,
        "percent": 100 * answer["share"],
    }
    return Variant(values=values, answer=answer, follow=follow)


# ------------------------------------------ scaling every activation by k > 0

SCALES = (2, 3, 4, 5, 10)
BASE_CONTENT = (120.0, 250.0, 400.0, 800.0)
BASE_STYLE = (3.0e4, 5.0e4, 8.0e4, 1.2e5)


def _scale_factors(rng: np.random.Generator, k: int) -> tuple[float, float]:
    """The factors by which L_content and L_style grow when every activation
    (two style layers, the second also the content layer) is multiplied by k."""

    def draw(source: np.random.Generator) -> tuple[float, float] | None:
        c, s, g = (
            [source.uniform(0, 2, size=shape) for shape in ((2, 2, 2), (3, 1, 2))]
            for _ in "csg"
        )
        before = (style.content_loss_of(c[1], g[1]), style.style_loss_of(s, g))
        if min(float(v) for v in before) < 1e-3:
            return None
        scaled = [[k * layer for layer in image] for image in (c, s, g)]
        after = (
            style.content_loss_of(scaled[0][1], scaled[2][1]),
            style.style_loss_of(scaled[1], scaled[2]),
        )
        return float(after[0] / before[0]), float(after[1] / before[1])

    return bounded_draw(rng, draw)


def _scale_holds(variant: Variant) -> str | None:
    k = variant.values["k"]
    answer = variant.answer
    if not np.isclose(answer["content_factor"], k**2, rtol=1e-9):
        return "the content loss did not grow by k²"
    if not np.isclose(answer["style_factor"], k**4, rtol=1e-9):
        return "the style loss did not grow by k⁴"
    return None


@generator(
    "exam_style_activation_scale",
    guarantees=(
        "k in {2, 3, 4, 5, 10}; base losses L_content in 120…800, L_style in 3·10⁴…1.2·10⁵",
        (
            "the factors are measured on random activations of two layers, before and "
            "after multiplying them by k, with the engine's content_loss_of and "
            "style_loss_of"
        ),
        "α = β = 0.5; follow: the new total and the β factor from the student's factors",
    ),
    holds=_scale_holds,
)
def exam_style_activation_scale(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    k = int(rng.choice(SCALES))
    base_content = float(rng.choice(BASE_CONTENT))
    base_style = float(rng.choice(BASE_STYLE))
    content_factor, style_factor = _scale_factors(rng, k)
    answer = {
        "content_factor": content_factor,
        "style_factor": style_factor,
        "total": ALPHA * content_factor * base_content
        + BETA * style_factor * base_style,
        "beta_factor": content_factor / style_factor,
    }

    def total(earlier: dict[str, Any]) -> float:
        return (
            ALPHA * earlier["content_factor"] * base_content
            + BETA * earlier["style_factor"] * base_style
        )

    def beta_factor(earlier: dict[str, Any]) -> float | None:
        if not earlier["style_factor"]:
            return None
        return float(earlier["content_factor"] / earlier["style_factor"])

    factors = {"content_factor", "style_factor"}
    follow = parts_follow(
        {"total": (factors, total), "beta_factor": (factors, beta_factor)}
    )
    values = {
        "k": k,
        "base_content": base_content,
        "base_style": base_style,
        "base_total": ALPHA * base_content + BETA * base_style,
        "k2": k**2,
        "k4": k**4,
        **answer,
    }
    return Variant(values=values, answer=answer, follow=follow)


# ---------------------------------------------- gradient of the style loss


def _gradient_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    m_s, m_g = (rng.integers(0, 3, size=(2, 3)).astype(float) for _ in "sg")
    if m_g.max(axis=1).min() == 0 or m_s.max(axis=1).min() == 0:
        return None
    gs, gg = style.gram_matrix(m_s[:, None, :]), style.gram_matrix(m_g[:, None, :])
    if np.array_equal(gs, gg):
        return None
    features = torch.as_tensor(m_g[:, None, :]).requires_grad_(True)
    loss = style.style_loss_of([m_s[:, None, :]], [features])
    (gradient,) = torch.autograd.grad(loss, features)
    grad, value = gradient.numpy()[:, 0, :], float(loss.detach())
    if not 0 < np.abs(grad).max() <= 200 or value > 200:
        return None
    return {"m_s": m_s, "m_g": m_g, "gs": gs, "gg": gg, "loss": value,
            "grad": grad}  # fmt: skip


def _gradient_holds(variant: Variant) -> str | None:
    if not np.abs(variant.answer["grad"]).max() > 0:
        return "a zero gradient"
    if variant.answer["loss"] <= 0:
        return "the Gram matrices already match"
    return None


@generator(
    "exam_style_gram_gradient",
    guarantees=(
        "M_S and M_G: 2 channels × 3 positions of whole numbers 0 to 2, no channel all zero",
        "GM_S ≠ GM_G; L_style ≤ 200 and the gradient's entries are at most 200 in size",
        "answers from the engine's gram_matrix and style_loss_of; the gradient by autograd",
        "follow: L_style and the gradient from the student's Gram matrix of G",
    ),
    holds=_gradient_holds,
)
def exam_style_gram_gradient(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    draw = bounded_draw(rng, _gradient_draw)
    gs, m_g = draw["gs"], draw["m_g"]
    answer = {"gram": draw["gg"], "loss": draw["loss"], "grad": draw["grad"]}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """L_style and ∂L/∂M_G from the student's own GM_G."""
        own = shaped(earlier["gram"], (2, 2)) if "gram" in earlier else None
        if own is None:
            return None
        if part == "loss":
            return float(((gs - own) ** 2).sum())
        if part == "grad":
            return 4 * (own - gs) @ m_g
        return None

    values = {
        **draw,
        "gram": draw["gg"],
        "diff": draw["gg"] - gs,
        "half": draw["grad"] / 2,
    }
    return Variant(values=values, answer=answer, follow=follow)
