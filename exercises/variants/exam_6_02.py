"""Exam-level variants for lecture 6.2: a detector's box carried through a
flip and a quarter turn, the rotation pretext task on an image with a
symmetry (which copies coincide, the least loss any network can reach), a flip
and a turn in both orders, and the binary cross-entropy of a batch with its
gradient with respect to the logits.

Images are transformed with `engine.reference.training` (rotate,
horizontal_flip, rotation_pretext); boxes are read back from the transformed
pixel mask, never transformed by a formula; losses and gradients come from
torch (cross-entropy, BCE with logits, autograd).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 - the usual name

from engine.reference import training
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw, parts_follow, shaped

# ------------------------------------------------ a box through a flip and a turn


def _mask(height: int, width: int, box: list[int]) -> np.ndarray:
    """The pixels a box (x1, y1, x2, y2) covers: x1 ≤ column < x2, y1 ≤ row < y2."""
    x1, y1, x2, y2 = box
    mask = np.zeros((height, width))
    mask[y1:y2, x1:x2] = 1.0
    return mask


def _box_of(mask: np.ndarray) -> list[float]:
    """The box (x1, y1, x2, y2) of the pixels that are set, on pixel edges."""
    rows = np.nonzero(mask.any(axis=1))[0]
    cols = np.nonzero(mask.any(axis=0))[0]
    return [float(cols[0]), float(rows[0]), float(cols[-1] + 1), float(rows[-1] + 1)]


def _flip_box(box: list[int], width: int) -> list[float]:
    """Where a box lands after a horizontal flip, as a student would compute it
    (used only to carry an earlier answer forward)."""
    x1, y1, x2, y2 = box
    return [width - x2, y1, width - x1, y2]


def _draw_box(source: np.random.Generator) -> dict[str, Any] | None:
    height, width = int(source.integers(6, 9)), int(source.integers(9, 13))
    x1, x2 = sorted(int(v) for v in source.choice(width + 1, size=2, replace=False))
    y1, y2 = sorted(int(v) for v in source.choice(height + 1, size=2, replace=False))
    box = [x1, y1, x2, y2]
    # The flip must move the box, and the box must cover under half the image.
    if x1 + x2 == width or (x2 - x1) * (y2 - y1) >= height * width / 2:
        return None
    if x2 - x1 < 2 or y2 - y1 < 2:
        return None
    return {"H": height, "W": width, "box": box}


@generator(
    "exam_box_flip_turn",
    guarantees=(
        "an H×W image, H in 6–8, W in 9–12 (not square); an integer box on pixel edges",
        "the box is at least 2×2, covers under half the image, and the flip moves it",
        "each answer is the box of the pixel mask transformed by the engine's horizontal_flip, then rotate (one quarter turn counter-clockwise)",
        "error carried forward: the turned box from the student's flipped box",
    ),
    holds=lambda v: (
        None
        if v.answer["flipped"][0] < v.answer["flipped"][2]
        and list(v.answer["flipped"]) != v.values["box"]
        else "the flipped box is degenerate or unchanged"
    ),
)
def exam_box_flip_turn(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    setting = bounded_draw(rng, _draw_box)
    height, width, box = setting["H"], setting["W"], setting["box"]
    flipped_mask = training.horizontal_flip(_mask(height, width, box))
    turned_mask = training.rotate(flipped_mask, 1)
    answer = {
        "flipped": np.array(_box_of(flipped_mask)),
        "turned": np.array(_box_of(turned_mask)),
    }

    def turn(earlier: dict[str, Any]) -> Any:
        mine = shaped(earlier["flipped"], (4,))
        if mine is None:
            return None
        bx1, by1, bx2, by2 = mine
        # A quarter turn counter-clockwise: column c → row W − 1 − c, row r →
        # column r; checked against the engine on the true box below.
        return np.array([by1, width - bx2, by2, width - bx1])

    assert np.array_equal(turn({"flipped": answer["flipped"]}), answer["turned"])
    follow = parts_follow({"turned": ({"flipped"}, turn)})
    wrong = _flip_box(box, width)
    values = {
        **setting,
        "box_text": f"({box[0]}, {box[1]}, {box[2]}, {box[3]})",
        "unswapped": f"({width - box[0]}, {box[1]}, {width - box[2]}, {box[3]})",
        "flipped_text": "({:g}, {:g}, {:g}, {:g})".format(*answer["flipped"]),
        "turned_text": "({:g}, {:g}, {:g}, {:g})".format(*answer["turned"]),
        "wrong_flip": wrong,
        **answer,
    }
    return Variant(values, answer, follow)


# ------------------------------------------- rotation pretext on a symmetric image

SYMMETRIES = ("half_turn", "quarter_turn", "mirror")


def _orbit(cell: tuple[int, int], side: int, symmetry: str) -> set[tuple[int, int]]:
    """The cells a symmetry maps one cell to (the cell included)."""
    r, c = cell
    if symmetry == "quarter_turn":
        return {
            (r, c),
            (c, side - 1 - r),
            (side - 1 - r, side - 1 - c),
            (side - 1 - c, r),
        }
    if symmetry == "half_turn":
        return {(r, c), (side - 1 - r, side - 1 - c)}
    return {(r, c), (r, side - 1 - c)}  # mirror: left ↔ right


def _symmetric_image(source: np.random.Generator, symmetry: str) -> np.ndarray | None:
    side = 4
    image = np.zeros((side, side))
    done: set[tuple[int, int]] = set()
    for r in range(side):
        for c in range(side):
            if (r, c) in done:
                continue
            cells = _orbit((r, c), side, symmetry)
            value = float(source.integers(1, 10))
            for cell in cells:
                image[cell] = value
            done |= cells
    copies, _ = training.rotation_pretext(image[None])
    same = [k for k in (1, 2, 3) if np.array_equal(copies[k], copies[0])]
    wanted = {"quarter_turn": [1, 2, 3], "half_turn": [2], "mirror": []}[symmetry]
    if same != wanted:
        return None
    # At least four different values, so that the image is not trivially flat.
    return image if len(np.unique(image)) >= 4 else None


def _least_loss(copies: np.ndarray) -> float:
    """The least mean cross-entropy (natural log) any network reaches on the four
    copies: identical copies get identical outputs, so the best output for a
    copy is uniform over the labels of the copies equal to it. torch's
    cross-entropy on those best outputs."""
    best = torch.zeros(4, 4, dtype=torch.float64)
    for k in range(4):
        for m in range(4):
            if np.array_equal(copies[k], copies[m]):
                best[k, m] = 1.0
    best = best / best.sum(dim=1, keepdim=True)
    return float(F.nll_loss(torch.log(best.clamp(min=1e-300)), torch.arange(4)))


@generator(
    "exam_rotation_symmetry",
    guarantees=(
        "a 4×4 image of integers 1–9, with at least four distinct values, that is symmetric under a half turn only, under a quarter turn, or left ↔ right only",
        "the four copies from the engine's rotation_pretext (counter-clockwise)",
        "the least mean cross-entropy from torch on the best possible outputs",
        "error carried forward: the least loss from the student's set of equal copies",
    ),
    holds=lambda v: (
        None
        if abs(v.answer["loss"] - np.log(len(v.answer["same"]) + 1)) < 1e-12
        else "the least loss does not match the coinciding copies"
    ),
)
def exam_rotation_symmetry(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    symmetry = str(params.get("symmetry") or rng.choice(SYMMETRIES))
    image = bounded_draw(rng, lambda source: _symmetric_image(source, symmetry))
    copies, labels = training.rotation_pretext(image[None])
    assert list(labels) == [0, 1, 2, 3]
    same = [str(k) for k in (1, 2, 3) if np.array_equal(copies[k], copies[0])]
    answer = {"same": same, "loss": _least_loss(copies)}

    def least(earlier: dict[str, Any]) -> Any:
        chosen = {str(label) for label in earlier["same"]}
        if not chosen <= {"1", "2", "3"}:
            return None
        # The copies equal to copy 0 form its group; every group of a rotation
        # symmetry has the same size, so the least loss is ln(group size).
        return float(np.log(len(chosen) + 1))

    follow = parts_follow({"loss": ({"same"}, least)})
    values = {
        "image": image,
        "symmetry": symmetry,
        "copies": [copies[k] for k in range(4)],
        "group": len(same) + 1,
        **answer,
    }
    return Variant(values, answer, follow)


# --------------------------------------------------- a flip and a turn, both orders


def _distinct_image(source: np.random.Generator) -> np.ndarray:
    return (source.permutation(9) + 1).reshape(3, 3).astype(float)


@generator(
    "exam_flip_turn_order",
    guarantees=(
        "a 3×3 image with the distinct entries 1–9; k = 1 or 3 quarter turns",
        "both orders from the engine's horizontal_flip and rotate (counter-clockwise)",
        "the two orders differ; exactly one m in 0–3 has flip(turn_m(X)) equal to turn_k(flip(X)), found by trying all four with the engine",
    ),
    holds=lambda v: (
        None
        if not np.array_equal(v.answer["flip_first"], v.answer["turn_first"])
        else "the two orders agree"
    ),
)
def exam_flip_turn_order(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    image = _distinct_image(rng)
    turns = int(rng.choice([1, 3]))
    flip_first = training.rotate(training.horizontal_flip(image), turns)
    turn_first = training.horizontal_flip(training.rotate(image, turns))
    matches = [
        m
        for m in range(4)
        if np.array_equal(
            training.horizontal_flip(training.rotate(image, m)), flip_first
        )
    ]
    assert len(matches) == 1
    answer = {"flip_first": flip_first, "turn_first": turn_first, "m": matches[0]}
    values = {"image": image, "k": turns, "degrees": 90 * turns, **answer}
    return Variant(values, answer)


# ---------------------------------------------- BCE of a batch and its gradient

LOGITS = (-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0)


def _bce_holds(variant: Variant) -> str | None:
    gradient = np.asarray(variant.answer["gradient"])
    if not variant.answer["loss"] > 0 or np.min(np.abs(gradient)) < 0.01:
        return "a zero loss or a vanishing gradient entry"
    if np.max(np.abs(variant.values["summed"] - gradient)) <= 0.01:
        return "leaving out 1/N gives the same gradient"
    return None


@generator(
    "exam_bce_batch_gradient",
    guarantees=(
        "three logits from ±0.5 … ±2 and labels 0/1 with both labels present",
        "the mean loss from torch's binary_cross_entropy_with_logits, checked against the engine's bce_with_logits",
        "the gradient with respect to the logits by torch autograd (mean reduction)",
        "the gradient without the 1/N differs from it by more than the tolerance",
    ),
    holds=_bce_holds,
)
def exam_bce_batch_gradient(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    def draw(source: np.random.Generator) -> tuple[np.ndarray, np.ndarray] | None:
        labels = source.integers(0, 2, size=3).astype(float)
        logits = source.choice(LOGITS, size=3)
        return (labels, logits) if 0 < labels.sum() < 3 else None

    labels, logits = bounded_draw(rng, draw)
    z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(z, torch.tensor(labels))
    loss.backward()
    assert z.grad is not None
    value = float(loss.detach())
    assert abs(value - training.bce_with_logits(labels, logits)) < 1e-12
    gradient = z.grad.numpy().copy()
    probabilities = 1 / (1 + np.exp(-logits))
    answer = {"loss": value, "gradient": gradient}
    terms = [
        {"z": float(zi), "y": int(yi), "p": float(pi), "g": float(gi)}
        for zi, yi, pi, gi in zip(logits, labels, probabilities, gradient, strict=True)
    ]
    values = {
        "terms": terms,
        "z": logits,
        "y": labels,
        "p": probabilities,
        "summed": gradient * 3,
        **answer,
    }
    return Variant(values, answer)
