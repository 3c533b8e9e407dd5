"""Visualising and reconstructing (lectures 6.7, 6.8): occlusion maps, first-layer
filters, maximally activating inputs, gradient ascent, reconstruction.

Conventions:

* Images are (C, H, W). The small networks are one convolution layer followed
  by a ReLU, h = ReLU(conv(x, W) + b): cross-correlation as in PyTorch's
  conv2d, stride 1, no padding, W (C_out, C_in, k, k), b (C_out,).
* Occlusion (Zeiler & Fergus; the notes): the classifier is linear-softmax on
  the image flattened in (C, H, W) order, logits = W·vec(x) + b. A k×k patch
  of every channel is set to `fill`; position (i, j) covers rows i·s … i·s+k−1
  and columns j·s … j·s+k−1. The map holds the softmax probability of the true
  class for every position, on a grid of ((H − k)//s + 1, (W − k)//s + 1)
  (row first, no padding, no partial patches). Captum's `Occlusion` differs:
  it reports the drop in output, averaged per pixel.
* First-layer filters (F, C, k, k) are shown after a min-max normalisation of
  each filter on its own (all its channels together): (w − min)/(max − min).
  A constant filter (max = min) has nothing to show and maps to all zeros.
* A unit is one channel c of the layer. Its score on an image, for the top-k
  search, is the largest value of h[c] over the spatial positions.
* Gradient ascent maximises the notes' "MSE of the layer output" for the unit:
  a(x) = (1/P) Σ_ij h[c, i, j]², P = number of positions; x ← x + η·∇ₓ a(x).
* Reconstruction: E(x) = ‖φ(x) − φ(x₀)‖² + λ·TV(x), φ the ReLU feature map,
  ‖·‖² the plain sum of squares, and the anisotropic total variation
  TV(x) = Σ_c,i,j |x[c, i+1, j] − x[c, i, j]| + Σ_c,i,j |x[c, i, j+1] − x[c, i, j]|
  over neighbouring pixels inside the image (no wrap-around, no square, no
  square root). One gradient-descent step is x − lr·∇E(x), with the
  derivative of |d| at d = 0 taken as 0 (as np.sign and PyTorch do).
"""

from __future__ import annotations

import numpy as np
import torch
from numpy.typing import ArrayLike

from engine.reference.style import as_tensor, conv_relu


def occluded(
    image: torch.Tensor, row: int, col: int, patch: int, fill: float
) -> torch.Tensor:
    """A copy of the image with a patch×patch square at (row, col) set to fill."""
    copy = image.clone()
    copy[:, row : row + patch, col : col + patch] = fill
    return copy


def occlusion_map(
    image: ArrayLike,
    label: int,
    weight: ArrayLike,
    bias: ArrayLike,
    patch: int,
    stride: int,
    fill: float,
) -> np.ndarray:
    """Softmax probability of `label` for each position of the occluding patch."""
    x, w, b = as_tensor(image), as_tensor(weight), as_tensor(bias)
    rows = (x.shape[1] - patch) // stride + 1
    cols = (x.shape[2] - patch) // stride + 1
    result = torch.empty((rows, cols), dtype=torch.float64)
    for i in range(rows):
        for j in range(cols):
            covered = occluded(x, i * stride, j * stride, patch, fill)
            result[i, j] = torch.softmax(w @ covered.reshape(-1) + b, dim=0)[label]
    return result.numpy()


def normalise_filters(weights: ArrayLike) -> np.ndarray:
    """Min-max normalisation of each (C, k, k) filter of an (F, C, k, k) array."""
    w = as_tensor(weights)
    flat = w.reshape(w.shape[0], -1)
    low = flat.min(dim=1, keepdim=True).values
    span = flat.max(dim=1, keepdim=True).values - low
    scaled = torch.where(span > 0, (flat - low) / torch.where(span > 0, span, 1.0), 0.0)
    return scaled.reshape(w.shape).numpy()


def unit_scores(
    images: ArrayLike, weight: ArrayLike, bias: ArrayLike, channel: int
) -> torch.Tensor:
    """For each (C, H, W) image of the batch, the maximum of h[channel]."""
    batch = as_tensor(images)
    return torch.stack(
        [conv_relu(image, weight, bias)[channel].max() for image in batch]
    )


def top_k_activating(
    images: ArrayLike, weight: ArrayLike, bias: ArrayLike, channel: int, k: int
) -> list[int]:
    """Indices of the k images with the highest unit scores, best first."""
    scores = unit_scores(images, weight, bias, channel)
    order = sorted(range(len(scores)), key=lambda n: -float(scores[n]))
    return order[:k]


def unit_objective(
    x: torch.Tensor, weight: ArrayLike, bias: ArrayLike, channel: int
) -> torch.Tensor:
    """a(x) = mean over positions of h[channel]²."""
    return (conv_relu(x, weight, bias)[channel] ** 2).mean()


def gradient_ascent_step(
    x: ArrayLike, weight: ArrayLike, bias: ArrayLike, channel: int, lr: float
) -> np.ndarray:
    """x + lr·∇ₓ a(x): one step towards a stronger activation of the unit."""
    image = as_tensor(x).requires_grad_(True)
    (gradient,) = torch.autograd.grad(
        unit_objective(image, weight, bias, channel), image
    )
    return (image + lr * gradient).detach().numpy()


def total_variation(x: torch.Tensor) -> torch.Tensor:
    """Anisotropic TV of a (C, H, W) image: Σ|vertical| + Σ|horizontal| steps."""
    vertical = (x[:, 1:, :] - x[:, :-1, :]).abs().sum()
    horizontal = (x[:, :, 1:] - x[:, :, :-1]).abs().sum()
    return vertical + horizontal


def reconstruction_energy(
    x: torch.Tensor, x0: ArrayLike, weight: ArrayLike, bias: ArrayLike, lam: float
) -> torch.Tensor:
    """‖φ(x) − φ(x₀)‖² + λ·TV(x)."""
    with torch.no_grad():
        target = conv_relu(as_tensor(x0), weight, bias)
    data = ((conv_relu(x, weight, bias) - target) ** 2).sum()
    return data + lam * total_variation(x)


def reconstruction_objective(
    x: ArrayLike,
    x0: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike,
    lam: float,
    lr: float,
) -> tuple[float, np.ndarray]:
    """(E(x), x − lr·∇E(x)): the objective at x and one gradient-descent step."""
    image = as_tensor(x).requires_grad_(True)
    energy = reconstruction_energy(image, x0, weight, bias, lam)
    (gradient,) = torch.autograd.grad(energy, image)
    return float(energy.detach()), (image - lr * gradient).detach().numpy()
