"""Class-model visualisation (lecture 6.7): one gradient-ascent step on an image
to raise the log-probability of a chosen class.

Conventions:

* The image x is (C, H, W). The frozen classifier flattens it in (C, H, W)
  order (row-major, channel first), v = x.reshape(−1) with D = C·H·W values,
  and scores the classes with one hidden ReLU layer:
  s = W2·ReLU(W1·v + b1) + b2, W1 (M, D), b1 (M,), W2 (K, M), b2 (K,).
* The objective is the notes' "log probability of the desired class" with an
  L2 penalty on the image:
  J(x) = log softmax(s)[c] − λ‖x‖², natural log, ‖x‖² = Σ x² over every value
  of x (the squared norm, not the norm, and a sum, not a mean).
  Simonyan, Vedaldi & Zisserman (2014) ascend the unnormalised score instead,
  S_c(x) − λ‖x‖²; its gradient differs by Σ_k p_k ∇s_k, so the two steps
  agree only when the other classes have vanishing probability.
* One step of ascent: x + lr·∇ₓJ(x) = x + lr·(∇ₓ log p_c − 2λx), the plain
  gradient (no normalisation, no clipping); the weights never change.
"""

from __future__ import annotations

import numpy as np
import torch
from numpy.typing import ArrayLike

from engine.reference.style import as_tensor


def class_scores(
    image: torch.Tensor, w1: ArrayLike, b1: ArrayLike, w2: ArrayLike, b2: ArrayLike
) -> torch.Tensor:
    """s = W2·ReLU(W1·vec(x) + b1) + b2 for one (C, H, W) image: the K scores."""
    hidden = torch.relu(as_tensor(w1) @ image.reshape(-1) + as_tensor(b1))
    return as_tensor(w2) @ hidden + as_tensor(b2)


def class_objective(
    image: torch.Tensor,
    w1: ArrayLike,
    b1: ArrayLike,
    w2: ArrayLike,
    b2: ArrayLike,
    target: int,
    lam: float,
) -> torch.Tensor:
    """J(x) = log softmax(s)[target] − λ·Σ x²."""
    scores = class_scores(image, w1, b1, w2, b2)
    return torch.log_softmax(scores, dim=0)[target] - lam * (image**2).sum()


def class_score_ascent_step(
    x: ArrayLike,
    w1: ArrayLike,
    b1: ArrayLike,
    w2: ArrayLike,
    b2: ArrayLike,
    target: int,
    lam: float,
    lr: float,
) -> np.ndarray:
    """x + lr·∇ₓ J(x), shaped like x (C, H, W)."""
    image = as_tensor(x).requires_grad_(True)
    objective = class_objective(image, w1, b1, w2, b2, target, lam)
    (gradient,) = torch.autograd.grad(objective, image)
    return (image + lr * gradient).detach().numpy()
