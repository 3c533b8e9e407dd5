"""Exam-level variants for lecture 6.8 (reconstruction): one gradient-descent
step on ‖φ(x) − φ(x₀)‖² + λ·TV(x) through a ReLU code (error carried
forward), the closed-form reconstruction from a linear code with an L2 prior
against the minimum-norm one, and candidate images ranked by the objective."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from engine.reference import training, visualisation
from engine.reference.style import as_tensor, conv_relu
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw, shaped

QUARTERS = np.arange(0.0, 1.25, 0.25)  # 0, 0.25, …, 1
KERNEL = np.array([-1.0, -0.5, 0.5, 1.0])


def _code(image: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """φ of a 1×n image: ReLU of the 1×2 convolution, n − 1 numbers."""
    out = conv_relu(as_tensor(image.reshape(1, 1, -1)), w.reshape(1, 1, 1, 2), [b])
    return out.numpy().reshape(-1)


def _pre(image: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    return np.array(
        [w[0] * image[p] + w[1] * image[p + 1] + b for p in range(len(image) - 1)]
    )


def _code_fast(image: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """φ in NumPy, for rejecting draws quickly; answers use the engine's."""
    return np.maximum(_pre(image, w, b), 0.0)


def _tv_gradient(image: np.ndarray) -> np.ndarray:
    x = as_tensor(image.reshape(1, 1, -1)).requires_grad_(True)
    (gradient,) = torch.autograd.grad(visualisation.total_variation(x), x)
    return gradient.numpy().reshape(-1)


# -------------------------------------------------- one descent step, by hand

StepDraw = tuple[np.ndarray, np.ndarray, np.ndarray, float]


def _step_draw(rng: np.random.Generator) -> StepDraw | None:
    x0 = rng.choice(QUARTERS, size=4)
    x = rng.choice(QUARTERS, size=4)
    w = rng.choice(KERNEL, size=2)
    b = float(rng.choice(np.arange(-0.5, 0.75, 0.25)))
    pre = _pre(x, w, b)
    if np.abs(pre).min() < 0.125 or np.any(np.diff(x) == 0):
        return None
    residual = _code_fast(x, w, b) - _code_fast(x0, w, b)
    active = pre > 0
    # A firing unit with an error to correct, and a silent one whose error
    # cannot be corrected through the ReLU.
    if not np.any(active & (np.abs(residual) >= 0.25)):
        return None
    if not np.any(~active & (np.abs(residual) >= 0.25)):
        return None
    return x0, x, w, b


def _step_holds(variant: Variant) -> str | None:
    v = variant.values
    if np.abs(v["pre"]).min() < 0.125:
        return "a pre-activation at the ReLU's kink"
    if not np.any(~v["active"] & (np.abs(variant.answer["residual"]) > 0)):
        return "no silent unit with an error"
    return None


@generator(
    "exam_recon_step",
    guarantees=(
        "1×4 images x₀ and x in quarters of [0, 1]; φ = ReLU of a 1×2 convolution (kernel in {±0.5, ±1}) + b",
        "no pre-activation of x within 0.125 of 0; no two neighbouring pixels of x equal (TV is differentiable)",
        "a firing unit with a code error ≥ 0.25, and a silent unit with a code error ≥ 0.25 (no gradient through it)",
        "λ in {0.1, 0.25, 0.5}, η in {0.05, 0.1}",
        "answers from the engine's conv_relu and reconstruction_objective; TV gradient by autograd",
        "error carried forward: the gradient from the student's residual, the step from their gradient",
    ),
    holds=_step_holds,
)
def exam_recon_step(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    x0, x, w, b = bounded_draw(rng, _step_draw)
    lam = float(rng.choice([0.1, 0.25, 0.5]))
    lr = float(rng.choice([0.05, 0.1]))
    weight = w.reshape(1, 1, 1, 2)
    _, stepped = visualisation.reconstruction_objective(
        x.reshape(1, 1, 4), x0.reshape(1, 1, 4), weight, [b], lam, lr
    )
    x_new = stepped.reshape(-1)
    gradient = (x - x_new) / lr
    residual = _code(x, w, b) - _code(x0, w, b)
    pre = _pre(x, w, b)
    active = pre > 0
    tv_grad = _tv_gradient(x)

    def data_gradient(res: np.ndarray) -> np.ndarray:
        grad = np.zeros(4)
        for p in range(3):
            if active[p]:
                grad[p : p + 2] += 2 * res[p] * w
        return grad

    assert np.allclose(gradient, data_gradient(residual) + lam * tv_grad)
    answer = {"residual": residual, "grad": gradient, "x_new": x_new}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The gradient from the student's own residual (the ReLU mask and the
        TV term come from x); the step from the student's own gradient."""
        if part == "grad" and "residual" in earlier:
            own = shaped(earlier["residual"], (3,))
            return None if own is None else data_gradient(own) + lam * tv_grad
        if part == "x_new" and "grad" in earlier:
            own = shaped(earlier["grad"], (4,))
            return None if own is None else x - lr * own
        return None

    values = {
        "x0": x0, "x": x, "w": w, "b": b, "lam": lam, "lr": lr, "pre": pre,
        "active": active, "code": _code(x, w, b), "target": _code(x0, w, b),
        "data_grad": data_gradient(residual), "tv_grad": tv_grad,
        "silent": ", ".join(str(p + 1) for p in range(3) if not active[p]),
        **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


# --------------------------------- a linear code with an L2 prior, closed form

RidgeDraw = tuple[np.ndarray, np.ndarray, float]


def _ridge_draw(rng: np.random.Generator) -> RidgeDraw | None:
    a = rng.integers(-2, 3, size=(2, 3)).astype(float)
    if np.any(np.abs(a).sum(axis=1) == 0) or a[0] @ a[1] != 0:
        return None
    if np.linalg.matrix_rank(a) < 2 or np.count_nonzero(a) < 4:
        return None
    x0 = rng.choice(QUARTERS, size=3)
    lam = float(rng.choice([0.5, 1.0, 2.0]))
    code = a @ x0
    if np.abs(code).min() < 0.25:
        return None
    min_norm = training.min_norm_solution(a, code)
    if np.linalg.norm(min_norm - x0) < 0.1:  # x₀ must not be recoverable
        return None
    norms = (a * a).sum(axis=1)
    shrunk = a.T @ (code / (norms + lam))
    if np.abs(shrunk - min_norm).max() < 0.06:  # the prior must show
        return None
    return a, x0, lam


def _ridge_solution(a: np.ndarray, code: np.ndarray, lam: float) -> np.ndarray:
    """argmin ‖Ax − c‖² + λ‖x‖²: (AᵀA + λI)⁻¹Aᵀc, by torch."""
    at, c = as_tensor(a), as_tensor(code)
    system = at.T @ at + lam * torch.eye(at.shape[1], dtype=torch.float64)
    return torch.linalg.solve(system, at.T @ c).numpy()


def _clean(values: np.ndarray) -> np.ndarray:
    """Rounding noise (|v| < 1e-12) shown as the 0 it stands for."""
    return np.where(np.abs(values) < 1e-12, 0.0, values)


def _ridge_holds(variant: Variant) -> str | None:
    a = variant.answer
    if np.abs(a["x_lam"] - a["x_min"]).max() < 0.05:
        return "the prior does not change the reconstruction"
    if np.abs(a["x_min"] - variant.values["x0"]).max() < 0.02:
        return "the code determines x₀"
    return None


@generator(
    "exam_recon_ridge",
    guarantees=(
        "A is 2×3 with whole entries in −2 … 2 and orthogonal, non-zero rows (rank 2)",
        "x₀ in quarters of [0, 1]; both code entries at least 0.25 from 0; λ in {0.5, 1, 2}",
        "the prior moves the reconstruction by at least 0.05 in some pixel",
        "x₀ is not in the row space of A (the min-norm reconstruction misses it by 0.1 or more)",
        "x_λ by torch.linalg.solve; the λ → 0 limit from the engine's min_norm_solution (pinv)",
        "error carried forward: both reconstructions from the student's own code",
    ),
    holds=_ridge_holds,
)
def exam_recon_ridge(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    a, x0, lam = bounded_draw(rng, _ridge_draw)
    code = a @ x0
    x_lam = _clean(_ridge_solution(a, code, lam))
    x_min = _clean(training.min_norm_solution(a, code))
    norms = (a * a).sum(axis=1)
    assert np.allclose(x_lam, a.T @ (code / (norms + lam)))
    assert np.allclose(x_min, a.T @ (code / norms))
    answer = {"code": code, "x_lam": x_lam, "x_min": x_min}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """Both reconstructions from the student's own code."""
        own = shaped(earlier["code"], (2,)) if "code" in earlier else None
        if own is None:
            return None
        if part == "x_lam":
            return _ridge_solution(a, own, lam)
        if part == "x_min":
            return training.min_norm_solution(a, own)
        return None

    values = {
        "A": a, "x0": x0, "lam": lam, "norms": norms,
        "shrink": norms / (norms + lam), "lost": _clean(x0 - x_min), **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


# --------------------------------------------- ranking candidates by E(x)

LABELS = ("A", "B", "C", "D")
RankDraw = dict[str, Any]


def _energy(
    image: np.ndarray, x0: np.ndarray, w: np.ndarray, b: float, lam: float
) -> float:
    return float(
        visualisation.reconstruction_energy(
            as_tensor(image.reshape(1, 1, -1)),
            x0.reshape(1, 1, -1),
            w.reshape(1, 1, 1, 2),
            [b],
            lam,
        )
    )


def _rank_draw(rng: np.random.Generator) -> RankDraw | None:
    x0 = rng.choice(QUARTERS, size=4)
    w = rng.choice(KERNEL, size=2)
    b = float(rng.choice(np.arange(-0.5, 0.75, 0.25)))
    lam = float(rng.choice([0.25, 0.5]))
    candidates = [x0]
    for _ in range(3):
        changed = x0.copy()
        where = rng.choice(4, size=int(rng.integers(1, 3)), replace=False)
        changed[where] = rng.choice(QUARTERS, size=len(where))
        candidates.append(changed)
    if len({tuple(c) for c in candidates}) < 4:
        return None
    target = _code_fast(x0, w, b)
    data = np.array([((_code_fast(c, w, b) - target) ** 2).sum() for c in candidates])
    energies = data + lam * np.array([np.abs(np.diff(c)).sum() for c in candidates])
    ordered = np.sort(energies)
    if np.diff(ordered).min() < 0.06 or energies[0] == ordered[0]:
        return None  # close calls, or the original wins
    # The code must matter: the total variation alone (ties in any order)
    # must not give the same ranking.
    variation = np.array([np.abs(np.diff(c)).sum() for c in candidates])
    if np.all(np.diff(variation[np.argsort(energies)]) >= 0):
        return None
    engine = np.array([_energy(c, x0, w, b, lam) for c in candidates])
    data = np.array([_energy(c, x0, w, b, 0.0) for c in candidates])
    assert np.allclose(engine, energies)
    energies = engine
    order = [int(i) for i in rng.permutation(4)]  # candidate i gets LABELS[order[i]]
    labels = [LABELS[order[i]] for i in range(4)]
    key = [labels[i] for i in np.argsort(energies)]
    # Ranked by the data term alone, ties broken alphabetically.
    by_data = sorted(
        labels, key=lambda label: (round(data[labels.index(label)], 9), label)
    )
    if by_data == key:
        return None
    rows = sorted(
        (
            {"label": labels[i], "pixels": candidates[i], "code": _code(candidates[i], w, b),
             "data": data[i], "tv": (energies[i] - data[i]) / lam, "energy": energies[i]}
            for i in range(4)
        ),
        key=lambda row: row["label"],
    )  # fmt: skip
    return {"x0": x0, "w": w, "b": b, "lam": lam, "rows": rows, "key": key,
            "original": labels[0], "target": _code(x0, w, b),
            "key_text": ", ".join(key), "reversed_text": ", ".join(key[::-1]),
            "data_text": ", ".join(by_data)}  # fmt: skip


def _rank_holds(variant: Variant) -> str | None:
    energies = sorted(row["energy"] for row in variant.values["rows"])
    if np.diff(energies).min() < 0.05:
        return "two candidates' objectives are within 0.05"
    if variant.answer[0] == variant.values["original"]:
        return "x₀ itself is the best candidate"
    variation = {row["label"]: row["tv"] for row in variant.values["rows"]}
    ranked = [variation[label] for label in variant.answer]
    if np.all(np.diff(ranked) >= -1e-9):
        return "the total variation alone gives the ranking"
    return None


@generator(
    "exam_recon_rank",
    guarantees=(
        "1×4 images in quarters of [0, 1]; φ = ReLU of a 1×2 convolution (kernel in {±0.5, ±1}) + b",
        "4 distinct candidates: x₀ itself and three copies with 1 or 2 pixels redrawn; λ 0.25 or 0.5",
        "the objectives differ pairwise by at least 0.05, and x₀ is NOT the best candidate",
        "ranking by the data term alone, or by the total variation alone, gives another order",
        "energies from the engine's reconstruction_energy",
    ),
    holds=_rank_holds,
)
def exam_recon_rank(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    draw = bounded_draw(rng, _rank_draw)
    return Variant(values=draw, answer=draw["key"])
