"""Neural style transfer (lecture 6.9): Gram matrix, content and style losses.

Conventions (exactly the notes', no normalising constant anywhere):

* A feature map is one image's activations at one layer, (C, H, W), no batch.
  M = features.reshape(C, H·W) (row-major: channel first) and the Gram matrix
  is GM = M Mᵀ, a (C, C) matrix. Gatys et al., deeplearning.ai, the PyTorch
  tutorial and d2l all scale it or the loss (by 1/(4C²(HW)²), 1/(C·HW),
  1/(C⁴(HW)²) …); the notes do not.
* L_content = Σ (A_C − A_G)² at the content layer (no ½, unlike Gatys).
* L_style = Σ_l Σ_ij (GM_S[l] − GM_G[l])², summed over the style layers.
* L_total = α·L_content + β·L_style.

The "network" of the exercises is two frozen convolution layers, each
followed by a ReLU: h1 = ReLU(conv(x, w1) + b1), h2 = ReLU(conv(h1, w2) + b2),
cross-correlation as in PyTorch's conv2d, stride 1, no padding. The style
layers are h1 and h2, the content layer is h2. A step updates the generated
image only: G ← G − lr·∇_G L_total; the weights never receive a gradient.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch.nn import functional


def as_tensor(values: ArrayLike | torch.Tensor) -> torch.Tensor:
    """A float64 tensor holding `values` (a copy when it comes from NumPy data)."""
    if isinstance(values, torch.Tensor):
        return values.to(torch.float64)
    return torch.as_tensor(np.array(values, dtype=np.float64))


def conv_relu(image: torch.Tensor, weight: ArrayLike, bias: ArrayLike) -> torch.Tensor:
    """ReLU(conv(image, weight) + bias) for one (C_in, H, W) image.

    weight is (C_out, C_in, k, k), bias (C_out,); cross-correlation (no kernel
    flip), stride 1, no padding: the output is (C_out, H − k + 1, W − k + 1).
    """
    out = functional.conv2d(image[None], as_tensor(weight), as_tensor(bias))[0]
    return torch.relu(out)


def gram(features: ArrayLike | torch.Tensor) -> torch.Tensor:
    """GM = M Mᵀ with M = features.reshape(C, H·W): a (C, C) tensor, unnormalised."""
    tensor = as_tensor(features)
    matrix = tensor.reshape(tensor.shape[0], -1)
    return matrix @ matrix.T


def gram_matrix(features: ArrayLike) -> np.ndarray:
    """The Gram matrix of one (C, H, W) feature map, (C, C) (see `gram`)."""
    return gram(features).numpy()


def content_loss_of(
    content: torch.Tensor | ArrayLike, generated: torch.Tensor | ArrayLike
) -> torch.Tensor:
    """Σ (A_C − A_G)² over every entry: a squared distance, no ½, no mean."""
    return ((as_tensor(content) - as_tensor(generated)) ** 2).sum()


def style_loss_of(
    style_features: Sequence[ArrayLike | torch.Tensor],
    generated_features: Sequence[ArrayLike | torch.Tensor],
) -> torch.Tensor:
    """Σ_l Σ_ij (GM_S[l] − GM_G[l])²: squared Frobenius distance of the Gram
    matrices, summed (not averaged) over the layers."""
    total = torch.zeros((), dtype=torch.float64)
    for style, generated in zip(style_features, generated_features, strict=True):
        total = total + ((gram(style) - gram(generated)) ** 2).sum()
    return total


def style_loss(
    style_features: Sequence[ArrayLike], generated_features: Sequence[ArrayLike]
) -> float:
    """The notes' style loss of two lists of (C_l, H_l, W_l) feature maps."""
    return float(style_loss_of(style_features, generated_features))


def network_features(
    image: torch.Tensor,
    w1: ArrayLike,
    b1: ArrayLike,
    w2: ArrayLike,
    b2: ArrayLike,
) -> tuple[torch.Tensor, torch.Tensor]:
    """(h1, h2): the two ReLU feature maps of the frozen two-layer network."""
    h1 = conv_relu(image, w1, b1)
    return h1, conv_relu(h1, w2, b2)


def total_loss_of(
    content: ArrayLike,
    style: ArrayLike,
    generated: torch.Tensor,
    weights: tuple[ArrayLike, ArrayLike, ArrayLike, ArrayLike],
    alpha: float,
    beta: float,
) -> torch.Tensor:
    """α·L_content(h2) + β·L_style(h1, h2), differentiable in `generated`."""
    with torch.no_grad():
        content_h2 = network_features(as_tensor(content), *weights)[1]
        style_layers = network_features(as_tensor(style), *weights)
    generated_layers = network_features(generated, *weights)
    return alpha * content_loss_of(content_h2, generated_layers[1]) + (
        beta * style_loss_of(style_layers, generated_layers)
    )


def style_transfer_loss(
    content: ArrayLike,
    style: ArrayLike,
    generated: ArrayLike,
    w1: ArrayLike,
    b1: ArrayLike,
    w2: ArrayLike,
    b2: ArrayLike,
    alpha: float,
    beta: float,
) -> float:
    """L_total = α·L_content + β·L_style of three (C_in, H, W) images through
    the frozen network: content at h2, style at h1 and h2."""
    weights = (w1, b1, w2, b2)
    return float(
        total_loss_of(content, style, as_tensor(generated), weights, alpha, beta)
    )


def style_step(
    content: ArrayLike,
    style: ArrayLike,
    generated: ArrayLike,
    w1: ArrayLike,
    b1: ArrayLike,
    w2: ArrayLike,
    b2: ArrayLike,
    alpha: float,
    beta: float,
    lr: float,
) -> np.ndarray:
    """One gradient-descent step on the pixels of G: G − lr·∇_G L_total.

    The gradient comes from autograd with only G requiring it; the weights are
    plain constants, so they cannot change.
    """
    image = as_tensor(generated).requires_grad_(True)
    loss = total_loss_of(content, style, image, (w1, b1, w2, b2), alpha, beta)
    (gradient,) = torch.autograd.grad(loss, image)
    return (image - lr * gradient).detach().numpy()
