"""Exercise spec for lecture 6.2: the rotation pretext task of self-supervised
learning."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from engine.compare import allclose, equal, fields
from engine.reference import training
from engine.specs import register
from engine.specs.augmentation import FORBIDDEN_IMAGE_LIBRARIES
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    as_lists,
    per_case,
)

# ---------------------------------------------------------- rotation pretext


def _rotations(
    turn: Callable[[int], int], *, by_angle: bool = False, scale: int = 1
) -> Any:
    def run(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        batch = np.asarray(images, float)
        pairs = [
            (np.rot90(image, turn(k), axes=(-2, -1)), k * scale)
            for image in batch
            for k in range(4)
        ]
        if by_angle:
            pairs = [pairs[4 * i + k] for k in range(4) for i in range(len(batch))]
        return np.stack([image for image, _ in pairs]), np.array([k for _, k in pairs])

    return run


def rotation_cases(seed: int) -> list[Case]:
    def case(name: str, images: Any, label: str) -> Case:
        return Case(name, {"images": np.asarray(images, float)}, label)

    cases = [
        case("quarter turn", [[[1, 2], [3, 4]]],
             "convention: a quarter turn is counter-clockwise, [[1, 2], [3, 4]] → [[2, 4], [1, 3]]"),
        case("two images", np.arange(1, 19).reshape(2, 3, 3),
             "edge: two images: the four turns of image 0 come first"),
        case("channels", np.arange(36).reshape(2, 2, 3, 3) % 10,
             "edge: images with a channel axis, (N, C, H, W)"),
        case("single pixels", [[[5]], [[7]], [[9]]], "edge: 1×1 images"),
    ]  # fmt: skip
    rng = np.random.default_rng(seed)
    for i in range(6):
        size = int(rng.integers(2, 6))
        shape = (int(rng.integers(1, 4)),) + (
            (int(rng.integers(1, 4)),) if i % 2 else ()
        )
        images = rng.integers(0, 10, size=(*shape, size, size)).astype(float)
        cases.append(
            Case(f"random {i + 1}", {"images": images}, "random", hidden=i >= 4)
        )
    return as_lists(cases)


ROTATED_3D = (
    "an (N, H, W) batch gives rotated of shape (4N, H, W) and labels of shape (4N,)"
)
ROTATED_4D = (
    "an (N, C, H, W) batch gives rotated of shape (4N, C, H, W) and labels of "
    "shape (4N,)"
)


def _rotated_shapes(kwargs: dict[str, Any]) -> tuple[tuple[int, ...], ...]:
    n, *rest = np.shape(kwargs["images"])
    return ((4 * n, *rest), (4 * n,))


def _label_counts(kwargs: dict[str, Any], got: Any) -> str | None:
    labels = [float(label) for label in np.asarray(got[1]).reshape(-1)]
    count = len(kwargs["images"])
    for k in range(4):
        if labels.count(k) != count:
            return f"label {k} appears {labels.count(k)} times, not once per image"
    return None


ROTATION_PRETEXT = register(
    ExerciseSpec(
        id="rotation_pretext",
        title="Rotation pretext task for self-supervised learning",
        topic="6.2",
        entry_point="rotation_pretext",
        signature="def rotation_pretext(images) -> tuple[array, array]",
        statement=(
            "images is a batch (N, H, W) or (N, C, H, W) of square images (H = W). Return "
            "(rotated, labels): every image turned by 0, 1, 2 and 3 quarter turns "
            "counter-clockwise (0°, 90°, 180°, 270°, as displayed with row 0 at the top), "
            "labelled 0, 1, 2, 3. Group by image: rotated[4i + k] is image i turned k "
            f"times and labels[4i + k] = k: {ROTATED_3D}; {ROTATED_4D}. "
            "One quarter turn maps out[…, r, c] = image[…, c, W − 1 − r] (the right-hand "
            "column becomes the top row: [[1, 2], [3, 4]] → [[2, 4], [1, 3]]), which is "
            "torch.rot90(image, 1, dims=(-2, -1)); rot90 itself is not allowed here. "
            "The two parts are judged together, with no credit for one alone: each "
            "label names the turn of the image beside it."
            " Arrays arrive as nested Python lists: convert them with np.asarray."
        ),
        reference=training.rotation_pretext,
        make_cases=rotation_cases,
        # Not independent: a label is right only beside the right image.
        compare=fields(("rotated", allclose(rtol=0, atol=0)), ("labels", equal())),
        shapes=(
            ShapePromise(
                ROTATED_3D,
                lambda kwargs: np.ndim(kwargs["images"]) == 3,
                _rotated_shapes,
            ),
            ShapePromise(
                ROTATED_4D,
                lambda kwargs: np.ndim(kwargs["images"]) == 4,
                _rotated_shapes,
            ),
        ),
        mistakes=(
            Mistake(
                "rotation-clockwise",
                "Turned clockwise",
                "Label k means k quarter turns COUNTER-clockwise (torch.rot90 with k > 0): "
                "the right-hand column becomes the top row. Your 90° and 270° images are "
                "exchanged.",
                _rotations(lambda k: -k),
                point="Which way does your quarter turn go? In the visible 'quarter turn' case, which column of [[1, 2], [3, 4]] becomes your top row?",
                fix="One counter-clockwise quarter turn is `turn = lambda a: np.swapaxes(a, -2, -1)[..., ::-1, :]` (swap the last two axes, then reverse the rows); label k gets `turn` applied k times.",
            ),
            Mistake(
                "rotation-grouped-by-angle",
                "Outputs grouped by angle, not by image",
                "Keep each image's four rotations together: rotated[4i + k] is image i "
                "turned k times. You listed every image at 0°, then every image at 90°, ….",
                _rotations(lambda k: k, by_angle=True),
                point="In what order do you stack the outputs? Look at which image and which turn sit at positions 0 to 3 for the visible 'two images' case.",
                fix="Images in the outer loop, turns in the inner one: `rotated = np.stack([rot(images[i], k) for i in range(len(images)) for k in range(4)])` and `labels = np.tile(np.arange(4), len(images))`, `rot(a, k)` being k counter-clockwise quarter turns",
            ),
            Mistake(
                "rotation-labels-in-degrees",
                "Labels in degrees",
                "The pretext task is a 4-way classification: the labels are the class "
                "indices 0, 1, 2, 3, not the angles 0, 90, 180, 270.",
                _rotations(lambda k: k, scale=90),
                point="Look at the values in your labels array: are they the class indices a 4-way classifier predicts?",
                fix="`labels = np.tile(np.arange(4), len(images))`, so labels[4i + k] = k, not `90 * k`",
            ),
        ),
        properties=(
            Property(
                "rotation-label-counts",
                "each label 0–3 appears once per image",
                per_case(_label_counts),
            ),
        ),
        forbidden=(
            "numpy.rot90",
            "torch.rot90",
            "scipy.ndimage",
            *FORBIDDEN_IMAGE_LIBRARIES,
        ),
    )
)
