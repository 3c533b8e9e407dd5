"""Variants for lecture 6.7: visualising units — occlusion maps, normalised
filters, a gradient-ascent step (error carried forward) and the top-k
activating images, each small enough to work by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from engine.reference import style, visualisation
from exercises.variants import Variant, generator
from exercises.variants._common import far_from_slips, matrix_text, shaped


def _differs(answer: Any, other: Any, gap: float = 0.02) -> bool:
    a, b = np.asarray(answer, dtype=float), np.asarray(other, dtype=float)
    return a.shape != b.shape or bool(np.abs(a - b).max() > gap)


def _occlusion_problem(rng: np.random.Generator, zero_class: bool) -> dict[str, Any]:
    image = rng.choice(np.array([0.0, 0.5, 1.0]), size=(1, 3, 3))
    weight = rng.choice(np.array([-1.0, 0.0, 1.0]), size=(2, 9))
    bias = rng.choice(np.arange(-0.5, 0.75, 0.25), size=2)
    if zero_class:
        weight[1], bias[1] = 0.0, 0.0
    return {"image": image, "weight": weight, "bias": bias, "label": 0,
            "patch": 2, "stride": 1, "fill": 0.5}  # fmt: skip


def _probability(problem: dict[str, Any]) -> float:
    x, w, b = problem["image"], problem["weight"], problem["bias"]
    logits = w @ x.reshape(-1) + b
    return float(np.exp(logits[0]) / np.exp(logits).sum())


@generator(
    "vis_occlusion_entry",
    guarantees=(
        "a 3×3 image of 0, 0.5 and 1; two classes with 3×3 weights in {−1, 0, 1}",
        "a 2×2 grey (0.5) patch, stride 1; the asked position's map entry is in (0.05, 0.95)",
        "the logit, 1 − p, the drop p₀ − p and the transposed position all differ from the answer",
        "answer from the engine's occlusion_map",
    ),
    holds=lambda v: None if 0.05 < v.answer < 0.95 else "a saturated probability",
)
def vis_occlusion_entry(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        p = _occlusion_problem(rng, zero_class=False)
        grid = visualisation.occlusion_map(**p)
        i, j = (int(v) for v in rng.integers(0, 2, size=2))
        clean = _probability(p)
        covered = visualisation.occluded(torch.as_tensor(p["image"]), i, j, 2, 0.5)
        logits = p["weight"] @ covered.numpy().reshape(-1) + p["bias"]
        answer = float(grid[i, j])
        wrongs = [logits[0], 1 - answer, clean - answer]
        wrongs += [] if i == j else [float(grid[j, i])]
        if 0.05 < answer < 0.95 and far_from_slips(answer, wrongs, 0.02):
            break
    values = {**p, "image": p["image"][0], "w_true": p["weight"][0].reshape(3, 3),
              "w_other": p["weight"][1].reshape(3, 3), "row": i, "col": j,
              "covered": covered.numpy()[0], "logits": logits, "clean": clean,
              "logit": logits[0], "one_minus": 1 - answer, "drop": clean - answer,
              "p": answer}  # fmt: skip
    return Variant(values=values, answer=answer)


@generator(
    "vis_occlusion_grid",
    guarantees=(
        "a 3×3 image of 0, 0.5 and 1; class 'cat' has 3×3 weights in {−1, 0, 1}, the other class's logit is 0",
        "a 2×2 patch of value 0, stride 1: a 2×2 map whose entries differ by more than 0.02",
        "answer from the engine's occlusion_map",
    ),
    holds=lambda v: None if np.ptp(v.answer) > 0.02 else "a flat map",
)
def vis_occlusion_grid(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        p = {**_occlusion_problem(rng, zero_class=True), "fill": 0.0}
        grid = visualisation.occlusion_map(**p)
        entries = np.sort(grid.ravel())
        if np.all(np.diff(entries) > 0.02) and _differs(grid, grid.T):
            break
    low_row, low_col = (int(v) for v in np.unravel_index(np.argmin(grid), grid.shape))
    values = {"image": p["image"][0], "w_cat": p["weight"][0].reshape(3, 3),
              "b_cat": p["bias"][0], "grid": grid, "clean": _probability(p),
              "low_row": low_row, "low_col": low_col,
              "transposed_text": matrix_text(grid.T),
              "one_minus_text": matrix_text(1 - grid)}  # fmt: skip
    return Variant(values=values, answer=grid)


@generator(
    "vis_filter_normalise",
    guarantees=(
        "one 3×3 filter of whole numbers from −4 to 5, spanning 4 or more, max ≠ −min",
        "answer from the engine's normalise_filters: (w − min)/(max − min)",
    ),
    holds=lambda v: None if np.ptp(v.values["w"]) > 0 else "a constant filter",
)
def vis_filter_normalise(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        w = rng.integers(-4, 6, size=(3, 3)).astype(float)
        # max = −min would make the zero-at-grey display coincide with min-max.
        if np.ptp(w) >= 4 and w.max() > 0 > w.min() and w.max() != -w.min():
            break
    answer = visualisation.normalise_filters(w.reshape(1, 1, 3, 3))[0, 0]
    values = {"w": w, "low": w.min(), "high": w.max(), "span": np.ptp(w),
              "answer": answer, "by_max_text": matrix_text(w / np.abs(w).max()),
              "symmetric_text": matrix_text(
                  w / (2 * np.abs(w).max()) + 0.5
              )}  # fmt: skip
    return Variant(values=values, answer=answer)


def _ascent_holds(variant: Variant) -> str | None:
    if not np.any(variant.answer["h"] > 0):
        return "the unit does not fire"
    return None


@generator(
    "vis_ascent_step",
    guarantees=(
        "a 2×3 image in quarters, a 2×2 kernel in {±0.5, ±1}: the unit has 2 positions",
        "no pre-activation is within 0.125 of 0; the unit fires at one position at least",
        "answers from the engine's gradient_ascent_step, a(x) = mean of h²",
    ),
    holds=_ascent_holds,
)
def vis_ascent_step(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        x = rng.choice(np.arange(0.0, 1.25, 0.25), size=(1, 2, 3))
        w = rng.choice(np.array([-1.0, -0.5, 0.5, 1.0]), size=(1, 1, 2, 2))
        b = rng.choice(np.arange(-0.5, 0.75, 0.25), size=1)
        pre = np.array([(w[0, 0] * x[0, :, j : j + 2]).sum() + b[0] for j in (0, 1)])
        if np.all(np.abs(pre) >= 0.125) and np.any(pre > 0):
            break
    lr = float(rng.choice([0.1, 0.2, 0.5]))
    h = style.conv_relu(torch.as_tensor(x), w, b).numpy().reshape(2)
    stepped = visualisation.gradient_ascent_step(x, w, b, 0, lr)[0]
    answer = {"h": h, "grad": (stepped - x[0]) / lr, "x_new": stepped}
    kernel = w[0, 0]

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """∇a from the student's own h (∂a/∂h_p = h_p for 2 positions); x_new from
        their ∇a. An earlier answer of another size carries nothing forward."""
        if part == "grad" and "h" in earlier:
            own = shaped(earlier["h"], (2,))
            if own is None:
                return None
            grad = np.zeros((2, 3))
            for j in (0, 1):
                grad[:, j : j + 2] += max(own[j], 0.0) * kernel
            return grad
        if part == "x_new" and "grad" in earlier:
            theirs = shaped(earlier["grad"], (2, 3))
            return None if theirs is None else x[0] + lr * theirs
        return None

    values = {"x": x[0], "w": kernel, "b": float(b[0]), "lr": lr, "pre": pre, **answer}
    return Variant(values=values, answer=answer, follow=follow)


ROUNDING = 1e-9  # NumPy's maps and the engine's agree far closer than this


def _may_rank(images: np.ndarray, w: np.ndarray, b: float, k: int) -> bool:
    """NumPy's quick look at a top-k draw: False when the engine's scores
    could not pass vis_top_k's conditions. It only rejects; the engine's
    values decide what is kept."""
    pixels, kernel = images[:, 0, 0, :], w[0, 0, 0]
    maps = np.maximum(pixels[:, :2] * kernel[0] + pixels[:, 1:] * kernel[1] + b, 0)
    scores, means = maps.max(axis=1), maps.mean(axis=1)
    ranked = np.sort(scores)[::-1]
    # The draw wants ranking by the mean to pick another top k: reject when the
    # means' top k is unambiguous (no tie at the k-th place) and the same.
    best_mean = set(np.argsort(-means)[:k])
    clear_means = np.sort(means)[::-1][k - 1] - np.sort(means)[::-1][k] > ROUNDING
    return bool(
        ranked[k - 1] - ranked[k] >= 0.1 - ROUNDING
        and np.all(np.diff(ranked) < -1e-9 + ROUNDING)
        and not (clear_means and best_mean == set(np.argsort(-scores)[:k]))
    )


@generator(
    "vis_top_k",
    guarantees=(
        "5 or 6 one-row images of 3 pixels (tenths), a 1×2 kernel: 2 positions each",
        "k = 2 or 3; the k-th and (k+1)-th best scores are 0.1 apart; no two scores tie",
        "ranking by the mean over positions gives a different top k (the max matters)",
        "answer from the engine's top_k_activating (maximum of the ReLU map)",
    ),
    holds=lambda v: None if len(v.answer) == v.values["k"] else "not k images",
)
def vis_top_k(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    count, k = int(rng.integers(5, 7)), int(rng.integers(2, 4))
    labels = list("ABCDEF")[:count]
    while True:
        images = rng.integers(0, 11, size=(count, 1, 1, 3)) / 10
        w = rng.choice(np.array([-1.0, -0.5, 0.5, 1.0, 2.0]), size=(1, 1, 1, 2))
        b = float(rng.choice([-0.5, -0.25, 0.0, 0.25]))
        if not _may_rank(images, w, b, k):
            continue  # the engine's scores below would reject it too
        scores = visualisation.unit_scores(images, w, [b], 0).numpy()
        maps = [style.conv_relu(torch.as_tensor(i), w, [b]).numpy() for i in images]
        means = np.array([m.mean() for m in maps])
        ranked = np.sort(scores)[::-1]
        if (
            ranked[k - 1] - ranked[k] >= 0.1
            and np.all(np.diff(ranked) < -1e-9)
            and set(np.argsort(-means)[:k]) != set(np.argsort(-scores)[:k])
        ):
            break
    top = visualisation.top_k_activating(images, w, [b], 0, k)
    rows = [{"label": label, "pixels": images[n].ravel(), "score": scores[n],
             "map": maps[n].ravel()} for n, label in enumerate(labels)]  # fmt: skip
    mean_top = [labels[n] for n in np.argsort(-means)[:k]]
    values = {"rows": rows, "w": w.ravel(), "b": b, "k": k, "count": count,
              "k_word": {2: "two", 3: "three"}[k], "mean_top": ", ".join(mean_top),
              "top": ", ".join(labels[n] for n in top)}  # fmt: skip
    return Variant(values=values, answer=[labels[n] for n in top])
