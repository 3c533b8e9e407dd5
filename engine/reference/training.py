"""Training with little data (lectures 6.2, 6.3, 6.6): binary cross-entropy,
cyclical learning rates, freezing a base network, the minimum-norm solution
behind double descent, a rotation pretext task and simple augmentations.

Conventions: losses use the natural log and are averaged over every element;
images are arrays whose last two axes are (height, width), i.e. (H, W),
(C, H, W) or (N, C, H, W) as in PyTorch, and every leading axis is left alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

HEAD_WIDTH = 256


def _tensor(values: object) -> torch.Tensor:
    return torch.as_tensor(np.asarray(values, dtype=np.float64))


# ------------------------------------------------------------ cross-entropy


def binary_cross_entropy(y: object, p: object) -> float:
    """−mean(y·log p + (1 − y)·log(1 − p)), natural log, over every element.

    The notes write y log p + (1 − y) log(1 − p): that is the log-likelihood,
    to be maximised; the loss is its negative, averaged, as in PyTorch's
    `F.binary_cross_entropy` and Keras's `binary_crossentropy`. Those clamp
    the logs (PyTorch at −100, Keras clips p to [1e-7, 1 − 1e-7]); here p is
    used as given, and graded p lie in [1e-4, 1 − 1e-4]. y may be soft (in
    [0, 1]).
    """
    labels, probabilities = _tensor(y), _tensor(p)
    log_likelihood = labels * torch.log(probabilities) + (1 - labels) * torch.log1p(
        -probabilities
    )
    return float(-log_likelihood.mean())


def bce_with_logits(y: object, z: object) -> float:
    """Binary cross-entropy of logits z, p = σ(z), in the stable form

        mean(max(z, 0) − z·y + log(1 + e^(−|z|))),

    which equals −mean(y log σ(z) + (1 − y) log(1 − σ(z))) but never takes the
    log of a probability that rounded to 0 or 1 (the same form as PyTorch's
    `BCEWithLogitsLoss` and TensorFlow's `sigmoid_cross_entropy_with_logits`).
    """
    labels, logits = _tensor(y), _tensor(z)
    terms = (
        logits.clamp(min=0) - logits * labels + torch.log1p(torch.exp(-logits.abs()))
    )
    return float(terms.mean())


# ------------------------------------------------------ cyclical learning rate


def cyclical_lr(
    steps: object, lr_min: float, lr_max: float, step_size: float
) -> np.ndarray:
    """Smith's triangular cyclical learning rate at each step (0-based).

    cycle = ⌊1 + step / (2·step_size)⌋, x = |step / step_size − 2·cycle + 1|,
    lr = lr_min + (lr_max − lr_min)·max(0, 1 − x). step_size is HALF a cycle:
    the rate climbs from lr_min at step 0 to lr_max at step step_size and is
    back at lr_min at step 2·step_size. The same sequence as
    `torch.optim.lr_scheduler.CyclicLR(mode="triangular",
    step_size_up=step_size)`, whose rate before the first `step()` is lr_min.
    """
    step = _tensor(steps).reshape(-1)
    cycle = torch.floor(1 + step / (2 * step_size))
    x = (step / step_size - 2 * cycle + 1).abs()
    return (lr_min + (lr_max - lr_min) * (1 - x).clamp(min=0)).numpy()


# ------------------------------------------------------------ transfer learning


def conv_parameters(layer: Sequence[int]) -> int:
    """Weights and biases of a Conv2d(c_in, c_out, (kh, kw)) given as
    (c_in, c_out, kh, kw)."""
    c_in, c_out, kh, kw = (int(v) for v in layer)
    return c_in * c_out * kh * kw + c_out


def head_parameters(channels: int, num_classes: int) -> int:
    """The notes' new head on C channels: GAP (no parameters) → Dense 256 ReLU
    → Dense k. C·256 + 256 + 256·k + k."""
    return channels * HEAD_WIDTH + HEAD_WIDTH + HEAD_WIDTH * num_classes + num_classes


def trainable_parameters(
    base_layers: Sequence[Sequence[int]], num_classes: int
) -> tuple[int, int]:
    """(before, after): trainable parameters of base + new head with nothing
    frozen, then with the base frozen (`base.trainable = False` in Keras,
    `requires_grad_(False)` in PyTorch), when only the head trains.

    The base is a stack of convolutions, each (c_in, c_out, kh, kw) with a
    bias; the head reads the last layer's c_out channels.
    """
    base = sum(conv_parameters(layer) for layer in base_layers)
    head = head_parameters(int(base_layers[-1][1]), int(num_classes))
    return base + head, head


# ------------------------------------------------------------- double descent


def min_norm_solution(X: object, y: object) -> np.ndarray:  # noqa: N803
    """The minimum-norm least-squares solution w = X⁺ y (no intercept).

    Among the w minimising ‖Xw − y‖ it is the one of least ‖w‖: for p > n
    features and full row rank it interpolates (Xw = y) and equals
    Xᵀ(XXᵀ)⁻¹y; for p < n and full column rank it is the ordinary
    least-squares (XᵀX)⁻¹Xᵀy. `torch.linalg.pinv` (cut-off rtol = max(n, p)·eps
    relative to the largest singular value), in float64.
    """
    matrix = _tensor(X)
    return (torch.linalg.pinv(matrix) @ _tensor(y).reshape(-1)).numpy()


# --------------------------------------------------------------- self-supervision


def rotate(image: object, quarter_turns: int) -> np.ndarray:
    """`torch.rot90(image, k, dims=(-2, -1))`: k quarter turns counter-clockwise
    as the image is displayed (row 0 at the top). For k = 1,
    out[..., i, j] = image[..., j, W − 1 − i]: the right-hand column becomes
    the top row."""
    return torch.rot90(_tensor(image), quarter_turns, dims=(-2, -1)).numpy()


def rotation_pretext(images: object) -> tuple[np.ndarray, np.ndarray]:
    """The rotation pretext task: each image of a batch (N, ..., H, W), H = W,
    turned by 0°, 90°, 180° and 270° counter-clockwise, labelled 0, 1, 2, 3.

    The output is grouped by image, as in RotNet (Gidaris et al. 2018):
    rotated[4i + k] is image i turned k times, with label k.
    """
    batch = _tensor(images)
    if batch.shape[-1] != batch.shape[-2]:
        raise ValueError("rotations of non-square images do not stack")
    turned = torch.stack(
        [torch.rot90(batch, k, dims=(-2, -1)) for k in range(4)], dim=1
    )
    rotated = turned.reshape(4 * batch.shape[0], *batch.shape[1:])
    labels = torch.arange(4).repeat(batch.shape[0])
    return rotated.numpy(), labels.numpy()


# ---------------------------------------------------------------- augmentation


def horizontal_flip(image: object) -> np.ndarray:
    """Mirror left ↔ right: reverse the last (width) axis, as torchvision's
    `hflip` does for (..., H, W) tensors."""
    return torch.flip(_tensor(image), dims=(-1,)).numpy()


def adjust_brightness(image: object, delta: float) -> np.ndarray:
    """Shift every value by delta and clamp to [0, 1]: clamp(x + δ, 0, 1).

    Additive, unlike torchvision's `adjust_brightness`, which multiplies by a
    factor (and also clamps).
    """
    return (_tensor(image) + float(delta)).clamp(0.0, 1.0).numpy()


def crop(image: object, top: int, left: int, height: int, width: int) -> np.ndarray:
    """The window of `height` rows from row `top` and `width` columns from
    column `left`: image[..., top:top + height, left:left + width], the
    argument order of torchvision's `crop(img, top, left, height, width)`."""
    values = _tensor(image)
    if top < 0 or left < 0 or top + height > values.shape[-2]:
        raise ValueError("the crop window must lie inside the image")
    if left + width > values.shape[-1] or height < 1 or width < 1:
        raise ValueError("the crop window must lie inside the image")
    return values[..., top : top + height, left : left + width].numpy()
