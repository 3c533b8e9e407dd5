"""Adversarial examples (lecture 6.5): fooling a linear classifier, FGSM.

Conventions:

* Fooling a linear classifier (the notes' "x → x + α·w"): add α times the
  weight vector itself. This raises the score w·x + b by α‖w‖₂², the L2
  direction of CS231n's "breaking linear classifiers"; Goodfellow's linear
  argument uses α·sign(w) instead (score up by α‖w‖₁). The notes use w.
* FGSM (Goodfellow et al. 2015, the notes): x_adv = x + ε·sign(∇ₓ L(x, y)),
  L the cross-entropy of the TRUE label y (not the model's prediction) on the
  logits, averaged over the batch (mean or sum does not change the sign).
  sign(0) = 0, as in NumPy and PyTorch: a value whose gradient is exactly zero
  does not move. The notes do not clip; with clamp=True the result is clipped
  to [0, 1] as in PyTorch's FGSM tutorial and torchattacks.
* The attacked model is a fixed two-layer MLP in evaluation mode:
  logits = W2·ReLU(W1·x + b1) + b2, with W1 (H, D), b1 (H,), W2 (K, H), b2 (K,);
  a batch is (N, D) with labels (N,), a single example (D,) with one label.
"""

from __future__ import annotations

import numpy as np
import torch
from numpy.typing import ArrayLike
from torch.nn import functional

from engine.reference.style import as_tensor


def fool_linear(x: ArrayLike, w: ArrayLike, alpha: float) -> np.ndarray:
    """x + α·w for one example (D,) or a batch (N, D), with w of shape (D,)."""
    return (as_tensor(x) + alpha * as_tensor(w)).numpy()


def mlp_logits(
    x: torch.Tensor, w1: ArrayLike, b1: ArrayLike, w2: ArrayLike, b2: ArrayLike
) -> torch.Tensor:
    """W2·ReLU(W1·x + b1) + b2 for each row of an (N, D) batch."""
    hidden = torch.relu(x @ as_tensor(w1).T + as_tensor(b1))
    return hidden @ as_tensor(w2).T + as_tensor(b2)


def input_gradient(
    x: ArrayLike,
    y: ArrayLike,
    w1: ArrayLike,
    b1: ArrayLike,
    w2: ArrayLike,
    b2: ArrayLike,
) -> torch.Tensor:
    """∇ₓ of the mean cross-entropy of the true labels, shaped like x."""
    inputs = as_tensor(x)
    batch = inputs.reshape(-1, inputs.shape[-1]).clone().requires_grad_(True)
    labels = torch.as_tensor(np.asarray(y, dtype=np.int64)).reshape(-1)
    loss = functional.cross_entropy(mlp_logits(batch, w1, b1, w2, b2), labels)
    (gradient,) = torch.autograd.grad(loss, batch)
    return gradient.reshape(inputs.shape)


def fgsm(
    x: ArrayLike,
    y: ArrayLike,
    w1: ArrayLike,
    b1: ArrayLike,
    w2: ArrayLike,
    b2: ArrayLike,
    epsilon: float,
    clamp: bool,
) -> np.ndarray:
    """x + ε·sign(∇ₓ CE(f(x), y)), clipped to [0, 1] only when clamp is true."""
    gradient = input_gradient(x, y, w1, b1, w2, b2)
    adversarial = as_tensor(x) + epsilon * torch.sign(gradient)
    if clamp:
        adversarial = adversarial.clamp(0.0, 1.0)
    return adversarial.numpy()
