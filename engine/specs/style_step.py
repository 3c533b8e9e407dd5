"""Exercise spec for lecture 6.9: one gradient step on the generated image of
style transfer, through the frozen network of `style_transfer` (its cases,
with a learning rate, and its loss's wrong variants)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from engine.compare import allclose
from engine.reference import style as nst
from engine.specs import register
from engine.specs.base import Case, ExerciseSpec, Mistake, ShapePromise
from engine.specs.style_transfer import (
    CONTENT_HALF,
    GATYS,
    NETWORK,
    half_sum_sq,
    mean_sq,
    style_gatys,
    total_loss_cases,
    variant_loss,
)

# A float32 autograd step (torch's default dtype) differs from the float64
# reference by up to ~2e-5 where G moves by ~1; every wrong variant misses the
# first case by more than 20 times this tolerance.
_STEP_VALUES = allclose(rtol=1e-4, atol=1e-4)
STEP_SHAPE = "an array of shape (C_in, H, W), like generated"


def _as_step(
    variant: Callable[..., torch.Tensor], direction: float = -1.0
) -> Callable[..., np.ndarray]:
    def step(
        content: Any,
        style: Any,
        generated: Any,
        w1: Any,
        b1: Any,
        w2: Any,
        b2: Any,
        alpha: float,
        beta: float,
        lr: float,
    ) -> np.ndarray:
        image = nst.as_tensor(generated).requires_grad_(True)
        value = variant(content, style, image, (w1, b1, w2, b2), alpha, beta)
        (gradient,) = torch.autograd.grad(value, image)
        return (image + direction * lr * gradient).detach().numpy()

    return step


def step_cases(seed: int) -> list[Case]:
    return [
        Case(case.name, {**case.kwargs, "lr": 0.01}, case.label, case.hidden)
        for case in total_loss_cases(seed)
    ]


STEP = register(
    ExerciseSpec(
        id="style_step",
        title="One gradient step on the generated image",
        topic="6.9",
        entry_point="style_step",
        signature="def style_step(content, style, generated, w1, b1, w2, b2, alpha, beta, lr) -> array",
        statement=(
            NETWORK + " The weights stay frozen: only the pixels of G change. Return "
            "G − lr·∇_G L_total (one step of gradient descent) as "
            f"{STEP_SHAPE}. You may use torch autograd; no pre-activation of G is "
            "exactly 0."
        ),
        reference=nst.style_step,
        make_cases=step_cases,
        compare=_STEP_VALUES,
        shapes=(
            ShapePromise(
                STEP_SHAPE,
                lambda kwargs: True,
                lambda kwargs: tuple(np.shape(kwargs["generated"])),
            ),
        ),
        mistakes=(
            Mistake(
                "style-step-ascends",
                "Gradient ascent instead of descent",
                "The generated image must lower the loss: step against the gradient, "
                "G − lr·∇_G L.",
                _as_step(variant_loss(), direction=1.0),
                point="Check the sign of your update: should the step make L_total larger or smaller?",
                fix="After `loss.backward()`: `return (g - lr * g.grad).detach().numpy()`, minus and not plus, `g` being the generated image with `requires_grad=True`",
            ),
            Mistake(
                "style-step-content-half",
                "½ in the content loss",
                CONTENT_HALF,
                _as_step(variant_loss(half_sum_sq)),
                point="Look at the content term of the loss you differentiate: is there a factor in front of the sum?",
                fix="`l_content = ((h2_c - h2_g) ** 2).sum()` without `0.5 *` (h2 of the content image and of `g`); the step stays `g - lr * g.grad`",
            ),
            Mistake(
                "style-step-gatys",
                "Gatys' 1/(4N²M²) factor in the style loss",
                GATYS,
                _as_step(variant_loss(style_term=style_gatys)),
                point="Look at each style layer's term in the loss you differentiate: do you scale it by the layer's size?",
                fix="`l_style = sum(((gram(s) - gram(h)) ** 2).sum() for s, h in ((h1_s, h1_g), (h2_s, h2_g)))`, with no `/ (4 * N**2 * M**2)`",
            ),
            Mistake(
                "style-step-mean",
                "Mean squared errors instead of sums",
                "Averaging (F.mse_loss) shrinks the content gradient by the number of "
                "activations and each style gradient by C_l². The notes sum the squares.",
                _as_step(variant_loss(mean_sq, mean_sq)),
                point="Look at the reductions in the content and style terms of the loss you differentiate: do they divide by a count anywhere?",
                fix="`.sum()` in both terms, `((h2_c - h2_g) ** 2).sum()` and `((gram(s) - gram(h)) ** 2).sum()`, in place of `.mean()` or `F.mse_loss`",
            ),
            Mistake(
                "style-step-image-unchanged",
                "G returned unchanged",
                "Your function gives back G as it came in. The network is frozen: the "
                "gradient step goes to the pixels of G (the tensor that requires the "
                "gradient, the one the optimiser holds), not to the weights, and the "
                "new image G − lr·∇_G L is what you return.",
                _as_step(variant_loss(), direction=0.0),
                point="Look at what your function returns: did the gradient step land on the image you give back?",
                fix="`g = torch.tensor(generated, dtype=torch.float64, requires_grad=True)`; compute `loss` from `g`; `loss.backward()`; `return (g - lr * g.grad).detach().numpy()`",
            ),
        ),
        forbidden=("torchvision",),
    )
)
