"""Variants for lecture 6.2: the rotation pretext task, a flip then a brightness
shift, a crop window, by hand (answers from `engine.reference.training`; error
carried forward between steps)."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.reference import training
from exercises.variants import Variant, generator
from exercises.variants._common import (
    differs,
    matrix_text,
    parts_follow,
    shaped,
    wrongs_differ,
)


def _distinct_image(rng: np.random.Generator, side: int) -> np.ndarray:
    return (rng.permutation(9)[: side * side] + 1).reshape(side, side).astype(float)


@generator(
    "rotation_by_hand",
    guarantees=(
        "a 2×2 or 3×3 image with distinct entries from 1 to 9",
        "label k in {1, 2, 3}; the answer is the engine's rotate (counter-clockwise)",
        "the typical wrong images (other direction, transpose, flips) all differ",
    ),
    holds=wrongs_differ,
)
def rotation_by_hand(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    image = _distinct_image(rng, int(rng.choice([2, 3])))
    label = int(rng.integers(1, 4))
    answer = training.rotate(image, label)
    if label == 2:
        wrongs = [np.flipud(image), np.fliplr(image)]  # a flip, not a half turn
    else:
        wrongs = [training.rotate(image, -label), image.T]  # clockwise, transpose
    values = {
        "image": image,
        "label": label,
        "degrees": 90 * label,
        "rotated": answer,
        "wrong_a": matrix_text(wrongs[0]),
        "wrong_b": matrix_text(wrongs[1]),
        "wrong_values": wrongs,
    }
    return Variant(values, answer)


def _all_labels_holds(variant: Variant) -> str | None:
    turns = [
        variant.values["image"],
        *(variant.answer[k] for k in ("one", "two", "three")),
    ]
    for a in range(4):
        for b in range(a + 1, 4):
            if not differs(turns[a], turns[b], 0.5):
                return f"the images for labels {a} and {b} are the same"
    return None


@generator(
    "rotation_all_labels",
    guarantees=(
        "a 3×3 image with distinct entries from 1 to 9",
        "the images for labels 1, 2, 3 from the engine's rotation_pretext; the four images all differ",
        "error carried forward: each turn may start from the student's previous one",
    ),
    holds=_all_labels_holds,
)
def rotation_all_labels(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    image = _distinct_image(rng, 3)
    rotated, _ = training.rotation_pretext(image[None])
    answer = {"one": rotated[1], "two": rotated[2], "three": rotated[3]}

    def turned(name: str) -> Any:
        def turn(earlier: dict[str, Any]) -> Any:
            previous = shaped(earlier[name], (3, 3))
            return None if previous is None else training.rotate(previous, 1)

        return turn

    follow = parts_follow(
        {"two": ({"one"}, turned("one")), "three": ({"two"}, turned("two"))}
    )
    return Variant({"image": image, **answer}, answer, follow)


def _flip_brighten_holds(variant: Variant) -> str | None:
    values, answer = variant.values, variant.answer
    if not differs(answer["flipped"], values["image"], 0.1):
        return "the flip moves no pixel"
    if not 1 <= values["clamped"] <= 3:
        return f"{values['clamped']} pixels are clamped"
    if not differs(answer["brightened"], answer["flipped"] + values["delta"], 0.1):
        return "clamping changes nothing"
    if answer["brightened"].min() < 0 or answer["brightened"].max() > 1:
        return "a brightened pixel is outside [0, 1]"
    return None


@generator(
    "flip_then_brighten",
    guarantees=(
        "a 2×3 image with values in {0, 0.25, 0.5, 0.75, 1}; delta ±0.25 or ±0.5",
        "the flip moves some pixel; the shift clamps 1 to 3 of the 6 pixels, into [0, 1]",
        "answers from the engine's horizontal_flip and adjust_brightness",
    ),
    holds=_flip_brighten_holds,
)
def flip_then_brighten(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        image = rng.choice(np.arange(0, 1.25, 0.25), size=(2, 3))
        delta = float(rng.choice([-0.5, -0.25, 0.25, 0.5]))
        shifted = image + delta
        clamped = int(np.sum((shifted < 0) | (shifted > 1)))
        if np.any(image != image[:, ::-1]) and 1 <= clamped <= 3:
            break
    flipped = training.horizontal_flip(image)
    answer = {
        "flipped": flipped,
        "brightened": training.adjust_brightness(flipped, delta),
    }

    def brighten(earlier: dict[str, Any]) -> Any:
        mine = shaped(earlier["flipped"], (2, 3))
        return None if mine is None else training.adjust_brightness(mine, delta)

    follow = parts_follow({"brightened": ({"flipped"}, brighten)})
    values = {"image": image, "delta": delta, "clamped": clamped, **answer}
    return Variant(values, answer, follow)


def _crop_wrongs(
    image: np.ndarray, top: int, left: int, height: int, width: int
) -> list[np.ndarray]:
    return [
        image[left : left + width, top : top + height],  # rows and columns swapped
        image[top:height, left:width],  # height and width read as the window's end
        image[top : top + height + 1, left : left + width + 1],  # one too many
    ]


def _crop_holds(variant: Variant) -> str | None:
    if any(np.size(wrong) == 0 for wrong in variant.values["wrong_values"]):
        return "a typical wrong window is empty"
    return wrongs_differ(variant)


@generator(
    "crop_window",
    guarantees=(
        "a 4×5 to 5×6 image of distinct integers; a 2- or 3-pixel window, top and left ≥ 1",
        "the swapped, end-as-size and one-too-many windows exist (none is empty) and all differ",
        "the answer from the engine's crop",
    ),
    holds=_crop_holds,
)
def crop_window(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        rows, cols = int(rng.integers(4, 6)), int(rng.integers(5, 7))
        height, width = (int(v) for v in rng.integers(2, 4, size=2))
        top, left = int(rng.integers(1, rows)), int(rng.integers(1, cols))
        fits = top + height + 1 <= rows and left + width + 1 <= cols
        swapped_fits = left + width <= rows and top + height <= cols
        end_fits = top < height and left < width  # X[top:height, left:width]
        if fits and swapped_fits and end_fits and (top, height) != (left, width):
            break
    image = (rng.permutation(rows * cols) + 1).reshape(rows, cols).astype(float)
    answer = training.crop(image, top, left, height, width)
    wrongs = _crop_wrongs(image, top, left, height, width)
    values = {
        "image": image, "top": top, "left": left, "height": height, "width": width,
        "crop": answer,
        "bottom": top + height - 1, "right": left + width - 1,
        "wrong_swapped": matrix_text(wrongs[0]), "wrong_end": matrix_text(wrongs[1]),
        "wrong_inclusive": matrix_text(wrongs[2]), "wrong_values": wrongs,
    }  # fmt: skip
    return Variant(values, answer)
