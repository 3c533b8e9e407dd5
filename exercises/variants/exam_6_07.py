"""Exam-level variants for lecture 6.7 (visualising networks): gradient ascent
on a class — the unnormalised score with an L2 penalty (Simonyan et al.) and
the log-probability the notes name — on a tiny linear classifier (error
carried forward), and the receptive field of a unit measured by back-
propagating from it."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from engine.reference.style import as_tensor
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw, shaped

WEIGHTS = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
PIXELS = np.arange(-0.5, 0.75, 0.25)  # −0.5 … 0.5: a noise image


def _objective(
    x: torch.Tensor, w: np.ndarray, b: np.ndarray, c: int, lam: float, log_prob: bool
) -> torch.Tensor:
    """S_c(x) − λ‖x‖² (log_prob False) or log softmax(Wx + b)_c − λ‖x‖²."""
    logits = as_tensor(w) @ x + as_tensor(b)
    target = torch.log_softmax(logits, dim=0)[c] if log_prob else logits[c]
    return target - lam * (x**2).sum()


def _ascent(
    x0: np.ndarray, w: np.ndarray, b: np.ndarray, c: int, lam: float, log_prob: bool
) -> tuple[np.ndarray, float]:
    """∇ₓ of the objective at x0, by autograd, and the objective's value."""
    x = as_tensor(x0).requires_grad_(True)
    value = _objective(x, w, b, c, lam, log_prob)
    (gradient,) = torch.autograd.grad(value, x)
    return gradient.numpy(), float(value.detach())


def _stationary_point(w: np.ndarray, b: np.ndarray, c: int, lam: float) -> np.ndarray:
    """Where the ascent on S_c(x) − λ‖x‖² settles: the objective is quadratic,
    so its gradient vanishes at x = −H⁻¹∇(0) (Hessian H and ∇(0) by autograd)."""

    def objective(x: torch.Tensor) -> torch.Tensor:
        return _objective(x, w, b, c, lam, log_prob=False)

    origin = torch.zeros(w.shape[1], dtype=torch.float64)
    hessian = torch.autograd.functional.hessian(objective, origin)
    at_origin, _ = _ascent(origin.numpy(), w, b, c, lam, log_prob=False)
    return torch.linalg.solve(hessian, -torch.as_tensor(at_origin)).numpy()


# ------------------------------------------- class score with an L2 penalty

ScoreDraw = tuple[np.ndarray, np.ndarray, np.ndarray, int, float, float]


def _score_draw(rng: np.random.Generator) -> ScoreDraw | None:
    w = rng.choice(WEIGHTS, size=(3, 3))
    b = rng.choice(np.array([-0.5, 0.0, 0.5]), size=3)
    x0 = rng.choice(PIXELS, size=3)
    c = int(rng.integers(0, 3))
    lam = float(rng.choice([0.1, 0.25, 0.5]))
    lr = float(rng.choice([0.1, 0.2, 0.5]))
    if np.count_nonzero(w[c]) < 2 or np.count_nonzero(x0) < 2:
        return None
    gradient = w[c] - 2 * lam * x0
    # Forgetting the penalty, or its factor 2, must change the step.
    if np.abs(2 * lam * x0).max() < 0.1 or np.abs(gradient).max() < 0.05:
        return None
    return w, b, x0, c, lam, lr


def _score_holds(variant: Variant) -> str | None:
    v = variant.values
    if not v["after"] > v["before"]:
        return "the step does not raise the objective"
    if np.abs(variant.answer["grad"] - v["w"][v["c"]]).max() < 0.05:
        return "the penalty does not change the gradient"
    return None


@generator(
    "exam_vis_class_score",
    guarantees=(
        "a linear classifier, 3 classes × 3 inputs, weights in {0, ±0.5, ±1}, biases in {0, ±0.5}",
        "x₀ in quarters of [−0.5, 0.5] (at least two non-zero); λ in {0.1, 0.25, 0.5}, η in {0.1, 0.2, 0.5}",
        "the penalty changes the gradient by at least 0.1 somewhere; the step raises the objective",
        "gradient and step by autograd on S_c(x) − λ‖x‖²; the fixed point by solving ∇J = 0 (autograd Hessian)",
        "error carried forward: the new image from the student's own gradient",
    ),
    holds=_score_holds,
)
def exam_vis_class_score(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    w, b, x0, c, lam, lr = bounded_draw(rng, _score_draw)
    gradient, before = _ascent(x0, w, b, c, lam, log_prob=False)
    x_new = x0 + lr * gradient
    _, after = _ascent(x_new, w, b, c, lam, log_prob=False)
    fixed = _stationary_point(w, b, c, lam)
    assert np.allclose(fixed, w[c] / (2 * lam), atol=1e-9)
    answer = {"grad": gradient, "x_new": x_new, "fixed": fixed}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The new image from the student's own gradient."""
        if part == "x_new" and "grad" in earlier:
            own = shaped(earlier["grad"], (3,))
            return None if own is None else x0 + lr * own
        return None

    values = {
        "w": w, "b": b, "x0": x0, "c": c, "lam": lam, "lr": lr,
        "two_lam": 2 * lam, "w_c": w[c], "before": before, "after": after,
        "no_penalty": x0 + lr * w[c], **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


# ----------------------------------- class log-probability with an L2 penalty


def _logprob_draw(rng: np.random.Generator) -> ScoreDraw | None:
    w = rng.choice(WEIGHTS, size=(3, 3))
    b = rng.choice(np.array([-0.5, 0.0, 0.5]), size=3)
    x0 = rng.choice(PIXELS, size=3)
    c = int(rng.integers(0, 3))
    lam = float(rng.choice([0.1, 0.25]))
    lr = float(rng.choice([0.2, 0.5]))
    logits = w @ x0 + b
    p = np.exp(logits - logits.max())
    p /= p.sum()
    if np.count_nonzero(w[c]) < 2 or not np.all((p > 0.05) & (p < 0.9)):
        return None
    gradient = w[c] - w.T @ p - 2 * lam * x0
    # The score's gradient w_c − 2λx must differ: the other classes must matter.
    if np.abs(w.T @ p).max() < 0.1 or np.abs(gradient).min() < 0.02:
        return None
    return w, b, x0, c, lam, lr


@generator(
    "exam_vis_logprob",
    guarantees=(
        "a linear softmax classifier, 3 classes × 3 inputs, weights in {0, ±0.5, ±1}, biases in {0, ±0.5}",
        "x₀ in quarters of [−0.5, 0.5]; every probability in (0.05, 0.9); λ in {0.1, 0.25}, η in {0.2, 0.5}",
        "the other classes' term Wᵀp is at least 0.1 somewhere, so the score's gradient is different",
        "p, gradient and step by autograd on log softmax(Wx + b)_c − λ‖x‖²",
        "error carried forward: the gradient from the student's p, the image from the student's gradient",
    ),
    holds=lambda v: None if v.values["after"] > v.values["before"] else "no ascent",
)
def exam_vis_logprob(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    w, b, x0, c, lam, lr = bounded_draw(rng, _logprob_draw)
    p = torch.softmax(as_tensor(w) @ as_tensor(x0) + as_tensor(b), dim=0).numpy()
    gradient, before = _ascent(x0, w, b, c, lam, log_prob=True)
    assert np.allclose(gradient, w[c] - w.T @ p - 2 * lam * x0)
    x_new = x0 + lr * gradient
    _, after = _ascent(x_new, w, b, c, lam, log_prob=True)
    answer = {"p": p, "grad": gradient, "x_new": x_new}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The gradient from the student's own p; the image from their gradient."""
        if part == "grad" and "p" in earlier:
            own = shaped(earlier["p"], (3,))
            return None if own is None else w[c] - w.T @ own - 2 * lam * x0
        if part == "x_new" and "grad" in earlier:
            own = shaped(earlier["grad"], (3,))
            return None if own is None else x0 + lr * own
        return None

    values = {
        "w": w, "b": b, "x0": x0, "c": c, "lam": lam, "lr": lr,
        "z": w @ x0 + b, "w_c": w[c], "mix": w.T @ p, "two_lam": 2 * lam,
        "score_grad": w[c] - 2 * lam * x0, "before": before, "after": after,
        **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


# ---------------------------------------------------------- receptive field

LAYER_CHOICES = (("conv", 3, 1), ("conv", 3, 2), ("conv", 5, 1), ("pool", 2, 2),
                 ("pool", 3, 2))  # fmt: skip


def _measured_field(layers: list[tuple[str, int, int]], length: int = 400) -> int:
    """The receptive field of a unit of the last layer, measured: all-ones
    convolutions and average pools (a max-pool window covers the same inputs),
    back-propagate from one unit in the middle and count the inputs between
    the first and last that receive a gradient."""
    modules: list[nn.Module] = []
    for kind, k, s in layers:
        if kind == "conv":
            conv = nn.Conv1d(1, 1, k, stride=s, bias=False).double()
            nn.init.ones_(conv.weight)
            modules.append(conv)
        else:
            modules.append(nn.AvgPool1d(k, stride=s))
    network = nn.Sequential(*modules)
    x = torch.zeros(1, 1, length, dtype=torch.float64, requires_grad=True)
    out = network(x)
    (gradient,) = torch.autograd.grad(out[0, 0, out.shape[-1] // 2], x)
    touched = torch.nonzero(gradient[0, 0]).reshape(-1)
    return int(touched.max() - touched.min() + 1)


FieldDraw = dict[str, Any]


def _field_draw(rng: np.random.Generator) -> FieldDraw | None:
    depth = int(rng.integers(3, 5))
    picks = rng.integers(0, len(LAYER_CHOICES), size=depth)
    layers = [LAYER_CHOICES[int(i)] for i in picks]
    if layers[0][0] != "conv" or sum(kind == "pool" for kind, _, _ in layers) != 1:
        return None
    if all(s == 1 for _, _, s in layers[:-1]):  # strides before the top must matter
        return None
    fields = [_measured_field(layers[: n + 1]) for n in range(depth)]
    answer = fields[-1]
    no_stride = 1 + sum(k - 1 for _, k, _ in layers)
    own_stride, jump = 1, 1
    for _, k, s in layers:
        jump *= s
        own_stride += (k - 1) * jump
    product = int(np.prod([k for _, k, _ in layers]))
    wrongs = [no_stride, own_stride, product]
    if answer in wrongs or len(set(wrongs)) < 3 or answer > 60:
        return None
    jumps = np.cumprod([1] + [s for _, _, s in layers])[:-1]
    rows = [
        {"number": n + 1, "kind": "convolution" if kind == "conv" else "max-pool",
         "k": k, "s": s, "jump": int(jumps[n]), "field": fields[n]}
        for n, (kind, k, s) in enumerate(layers)
    ]  # fmt: skip
    return {"rows": rows, "answer": answer, "no_stride": no_stride,
            "own_stride": own_stride, "product": product, "depth": depth}  # fmt: skip


@generator(
    "exam_vis_receptive_field",
    guarantees=(
        "3 or 4 layers: a convolution first, exactly one max-pool; kernels 2, 3 or 5, strides 1 or 2",
        "a stride below the top layer, so strides matter; the answer is at most 60 pixels",
        "the answer measured by back-propagating from one unit of the last layer (torch)",
        "ignoring strides, counting a layer's own stride, and multiplying kernels give other numbers",
    ),
    holds=lambda v: (
        None
        if v.answer
        not in (v.values["no_stride"], v.values["own_stride"], v.values["product"])
        else "a slip gives the right answer"
    ),
)
def exam_vis_receptive_field(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    draw = bounded_draw(rng, _field_draw)
    return Variant(values=draw, answer=draw["answer"])
