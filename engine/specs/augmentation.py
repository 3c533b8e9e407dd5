"""Exercise specs for lecture 6.2: simple image augmentations (horizontal flip,
brightness shift, crop)."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.compare import allclose
from engine.reference import training
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    as_lists,
    per_case,
)

FORBIDDEN_IMAGE_LIBRARIES = (
    "torchvision",
    "PIL",
    "cv2",
    "kornia",
    "albumentations",
    "tensorflow",
    "keras",
)


def _sixteenths(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Pixel values k/16 in [0, 1]: exact in float32 as well as float64."""
    return rng.integers(0, 17, size=shape) / 16.0


SAME_SHAPE = "an array of the same shape as image"


def _same_shape(kwargs: dict[str, Any]) -> tuple[int, ...]:
    return tuple(np.shape(kwargs["image"]))


def _image_shape(rng: np.random.Generator) -> tuple[int, ...]:
    height, width = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    channels = int(rng.integers(1, 4))
    return (channels, height, width) if rng.random() < 0.5 else (height, width)


# ---------------------------------------------------------------------- flip


def _flip_axis(axis: int) -> Any:
    def run(image: np.ndarray) -> np.ndarray:
        return np.flip(np.asarray(image, float), axis=axis)

    return run


def flip_cases(seed: int) -> list[Case]:
    # Fixed images of distinct values, so that any misplaced value shows.
    edge = [
        ("one row", np.array([[1, 5, 9, 13]]) / 16, "edge: a single row (H = 1)"),
        (
            "one column",
            np.array([[3], [7], [11], [15]]) / 16,
            "edge: a single column: nothing moves",
        ),
        ("grey image", np.arange(9).reshape(3, 3) / 16, "edge: a 3×3 image (H, W)"),
        (
            "channels first",
            np.arange(24).reshape(3, 2, 4) / 32,
            "edge: an RGB image (C, H, W)",
        ),
        ("batch", np.arange(12).reshape(2, 1, 2, 3) / 16, "edge: a batch (N, C, H, W)"),
    ]
    cases = [Case(name, {"image": image}, label) for name, image, label in edge]
    rng = np.random.default_rng(seed)
    for i in range(6):
        image = _sixteenths(rng, _image_shape(rng))
        cases.append(Case(f"random {i + 1}", {"image": image}, "random", hidden=i >= 4))
    return as_lists(cases)


HORIZONTAL_FLIP = register(
    ExerciseSpec(
        id="horizontal_flip",
        title="Augmentation: horizontal flip",
        topic="6.2",
        entry_point="horizontal_flip",
        signature="def horizontal_flip(image) -> array",
        statement=(
            "image is an array whose last two axes are (height, width): (H, W), (C, H, W) "
            "or (N, C, H, W), as PyTorch stores images. Return its mirror image, left ↔ "
            f"right, {SAME_SHAPE}: every row reversed, "
            "out[…, r, c] = image[…, r, W − 1 − c]. Leading axes (channels, batch) are "
            "left alone."
            " Arrays arrive as nested Python lists: convert them with np.asarray."
        ),
        reference=training.horizontal_flip,
        make_cases=flip_cases,
        compare=allclose(rtol=0, atol=0),
        shapes=(ShapePromise(SAME_SHAPE, lambda kwargs: True, _same_shape),),
        mistakes=(
            Mistake(
                "flip-vertical",
                "Flipped upside down",
                "A horizontal flip mirrors left and right, so it reverses the columns "
                "(the last axis, width). Reversing the rows (axis −2) turns the image "
                "upside down.",
                _flip_axis(-2),
                point="Which axis do you reverse? Look at your output for the visible 'one row' case: should the values of that single row change order?",
                fix="`return np.asarray(image)[..., ::-1]`: reverse the last axis (width), not axis −2",
            ),
            Mistake(
                "flip-numpy-fliplr",
                "np.fliplr on an image with leading axes",
                "np.fliplr reverses axis 1, which is the width only for a 2-D (H, W) "
                "array: on (C, H, W) it flips the rows and on (N, C, H, W) the channels. "
                "Reverse the last axis, image[..., ::-1].",
                _flip_axis(1),
                point="Which axis does your flip act on when the image has its channels first, (C, H, W)? Try the visible 'channels first' case.",
                fix="`return np.flip(np.asarray(image), axis=-1)` in place of `np.fliplr(image)`",
            ),
            Mistake(
                "flip-first-axis",
                "The first axis reversed",
                "Reversing axis 0 (np.flipud) turns an (H, W) image upside down and "
                "reverses the channel or batch order of larger arrays. Reverse the last "
                "axis (width).",
                _flip_axis(0),
                point="Which axis does your flip reverse? What is axis 0 for an (H, W) image, and for an (N, C, H, W) batch?",
                fix="`return np.asarray(image)[..., ::-1]` in place of reversing axis 0 (`np.flipud`)",
            ),
        ),
        forbidden=FORBIDDEN_IMAGE_LIBRARIES,
    )
)

# ---------------------------------------------------------------- brightness


def _brightness(low: float | None, high: float | None) -> Any:
    def run(image: np.ndarray, delta: float) -> np.ndarray:
        return np.clip(np.asarray(image, float) + delta, low, high)

    return run


def brightness_cases(seed: int) -> list[Case]:
    ramp = np.array([[0.0, 0.25, 0.5], [0.75, 0.875, 1.0]])
    rgb = np.array([[[1, 16], [9, 4]], [[15, 0], [6, 12]], [[3, 14], [11, 8]]]) / 16
    edge = [
        ("brighter", ramp, 0.25, "edge: brighter, bright pixels saturate at 1"),
        ("darker", ramp, -0.5, "edge: darker, dark pixels stop at 0"),
        ("no change", ramp, 0.0, "edge: delta 0"),
        ("channels first", rgb, 0.125, "edge: an RGB image (C, H, W)"),
        ("one pixel", np.array([[0.5]]), -0.75, "edge: a 1×1 image"),
    ]  # fmt: skip
    cases = [
        Case(name, {"image": image, "delta": delta}, label)
        for name, image, delta, label in edge
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        delta = float(rng.choice([-1, 1]) * rng.integers(1, 9) / 16)
        image = _sixteenths(rng, _image_shape(rng))
        kwargs = {"image": image, "delta": delta}
        cases.append(Case(f"random {i + 1}", kwargs, "random", hidden=i >= 4))
    return as_lists(cases)


def _in_unit_range(kwargs: dict[str, Any], got: Any) -> str | None:
    values = np.asarray(got, float)
    if values.size and (values.min() < 0 or values.max() > 1):
        return f"values range over [{values.min():g}, {values.max():g}]"
    return None


ADJUST_BRIGHTNESS = register(
    ExerciseSpec(
        id="adjust_brightness",
        title="Augmentation: brightness shift",
        topic="6.2",
        entry_point="adjust_brightness",
        signature="def adjust_brightness(image, delta) -> array",
        statement=(
            "image holds pixel values in [0, 1], any shape. Return the image with delta "
            f"added to every value and the result clamped to [0, 1], {SAME_SHAPE}: "
            "min(max(x + delta, 0), 1). delta may be negative (darker). This is an "
            "additive shift; torchvision's adjust_brightness multiplies by a factor instead."
            " Arrays arrive as nested Python lists: convert them with np.asarray."
        ),
        reference=training.adjust_brightness,
        make_cases=brightness_cases,
        compare=allclose(rtol=0, atol=1e-9),
        shapes=(ShapePromise(SAME_SHAPE, lambda kwargs: True, _same_shape),),
        mistakes=(
            Mistake(
                "brightness-not-clamped",
                "Values not clamped",
                "Pixel values must stay in [0, 1]: clamp x + delta at 0 below and 1 above.",
                _brightness(None, None),
                point="After adding delta, can a value go above 1 or below 0? Look at your output for the visible 'brighter' case.",
                fix="`return np.clip(np.asarray(image, float) + delta, 0.0, 1.0)`",
            ),
            Mistake(
                "brightness-clamped-above-only",
                "Clamped at 1 only",
                "A negative delta pushes dark pixels below 0: clamp at 0 as well as at 1.",
                _brightness(None, 1.0),
                point="Look at the lower end of your clamp: what becomes of a pixel at 0.25 when delta is −0.5, as in the visible 'darker' case?",
                fix="`return np.clip(np.asarray(image, float) + delta, 0.0, 1.0)`: a lower bound of 0 as well as the upper bound 1",
            ),
            Mistake(
                "brightness-clamped-to-255",
                "Not clamped at 1",
                "Values pushed above 1 are left there: clamp x + delta at 1 as well as at "
                "0. Clamping to the 8-bit range [0, 255] has the same effect as no upper "
                "clamp, since these images hold values in [0, 1].",
                _brightness(0.0, 255.0),
                point="What is the largest value your clamp lets through? These pixel values live in [0, 1].",
                fix="`return np.clip(np.asarray(image, float) + delta, 0.0, 1.0)`: upper bound 1, not 255",
            ),
        ),
        properties=(
            Property(
                "brightness-range",
                "every value lies in [0, 1]",
                per_case(_in_unit_range),
            ),
        ),
        forbidden=FORBIDDEN_IMAGE_LIBRARIES,
    )
)

# ---------------------------------------------------------------------- crop


def _crop_swapped(
    image: np.ndarray, top: int, left: int, height: int, width: int
) -> Any:
    return np.asarray(image, float)[..., left : left + width, top : top + height]


def _crop_corners(
    image: np.ndarray, top: int, left: int, height: int, width: int
) -> Any:
    return np.asarray(image, float)[..., top:height, left:width]


def _crop_inclusive(
    image: np.ndarray, top: int, left: int, height: int, width: int
) -> Any:
    return np.asarray(image, float)[
        ..., top : top + height + 1, left : left + width + 1
    ]


def crop_cases(seed: int) -> list[Case]:
    def case(name: str, image: Any, window: tuple[int, ...], label: str) -> Case:
        top, left, height, width = window
        kwargs = {"image": np.asarray(image, float), "top": top, "left": left,
                  "height": height, "width": width}  # fmt: skip
        return Case(name, kwargs, label)

    grid = np.arange(30).reshape(5, 6)
    cases = [
        case("whole image", grid[:3, :4], (0, 0, 3, 4), "edge: the whole image"),
        case("one pixel", grid[:4], (2, 3, 1, 1), "edge: a single pixel"),
        case("one row", grid[:3], (1, 0, 1, 6), "edge: one full row"),
        case("channels first", np.arange(40).reshape(2, 4, 5), (1, 2, 2, 3),
             "edge: an RGB-like image (C, H, W)"),
        case("row and column", grid, (1, 3, 3, 2),
             "convention: top counts rows, left counts columns"),
    ]  # fmt: skip
    rng = np.random.default_rng(seed)
    for i in range(6):
        shape = _image_shape(rng)
        height, width = (int(rng.integers(1, n + 1)) for n in shape[-2:])
        top = int(rng.integers(0, shape[-2] - height + 1))
        left = int(rng.integers(0, shape[-1] - width + 1))
        image = np.arange(np.prod(shape), dtype=float).reshape(shape)
        kwargs = {
            "image": image,
            "top": top,
            "left": left,
            "height": height,
            "width": width,
        }
        cases.append(Case(f"random {i + 1}", kwargs, "random", hidden=i >= 4))
    return as_lists(cases)


CROP_2D = "an (H, W) image gives a crop of shape (height, width)"
CROP_3D = "a (C, H, W) image gives a crop of shape (C, height, width)"


def _window(kwargs: dict[str, Any]) -> tuple[int, ...]:
    leading = tuple(np.shape(kwargs["image"])[:-2])
    return (*leading, int(kwargs["height"]), int(kwargs["width"]))


def _crop_shape(kwargs: dict[str, Any], got: Any) -> str | None:
    shape = np.shape(got)
    want = (kwargs["height"], kwargs["width"])
    return None if tuple(shape[-2:]) == want else f"the crop has shape {shape}"


CROP = register(
    ExerciseSpec(
        id="crop",
        title="Augmentation: crop",
        topic="6.2",
        entry_point="crop",
        signature="def crop(image, top, left, height, width) -> array",
        statement=(
            "image is an array whose last two axes are (height, width): (H, W) or "
            "(C, H, W). Return the window of `height` rows starting at row `top` and "
            "`width` columns starting at column `left` (row 0 at the top, column 0 on the "
            "left), keeping any leading axes: "
            f"{CROP_2D} and {CROP_3D}. The arguments follow torchvision's "
            "crop(img, top, left, height, width); height and width are the size of the "
            "window, not where it ends. The window lies inside the image."
            " Arrays arrive as nested Python lists: convert them with np.asarray."
        ),
        reference=training.crop,
        make_cases=crop_cases,
        compare=allclose(rtol=0, atol=0),
        shapes=(
            ShapePromise(
                CROP_2D, lambda kwargs: np.ndim(kwargs["image"]) == 2, _window
            ),
            ShapePromise(
                CROP_3D, lambda kwargs: np.ndim(kwargs["image"]) == 3, _window
            ),
        ),
        mistakes=(
            Mistake(
                "crop-row-col-swapped",
                "Rows and columns swapped",
                "top and height count rows (axis −2), left and width count columns (the "
                "last axis): image[..., top:top + height, left:left + width].",
                _crop_swapped,
                point="Which axis does `top` index, and which does `left`? Check the visible 'row and column' case, where the two differ.",
                fix="`return np.asarray(image)[..., top:top + height, left:left + width]`: rows (axis −2) first, then columns",
            ),
            Mistake(
                "crop-size-as-end",
                "Height and width used as the window's end",
                "height and width are the SIZE of the window, not the row and column where "
                "it ends (as in PIL's box (left, upper, right, lower)): the rows are "
                "top … top + height − 1.",
                _crop_corners,
                point="Where does your slice end: at row `height`, or `height` rows after `top`? Try the visible 'one pixel' case.",
                fix="`return np.asarray(image)[..., top:top + height, left:left + width]`: each end is start + size",
            ),
            Mistake(
                "crop-one-too-many",
                "One row and one column too many",
                "Python slices exclude their end: image[..., top:top + height] already "
                "holds `height` rows.",
                _crop_inclusive,
                point="Count the rows and columns of your crop for the visible 'one pixel' case: is it a single pixel?",
                fix="`return np.asarray(image)[..., top:top + height, left:left + width]`, with no `+ 1` (a slice leaves out its end)",
            ),
        ),
        properties=(
            Property(
                "crop-shape",
                "the crop's last two axes are (height, width)",
                per_case(_crop_shape),
            ),
        ),
        forbidden=FORBIDDEN_IMAGE_LIBRARIES,
    )
)
