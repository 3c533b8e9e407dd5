"""Variants for lecture 6.6: parameter counts in transfer learning — a new head,
the trainable parameters before and after freezing the base (error carried
forward), fine-tuning the top layers."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.reference import training
from exercises.variants import Variant, generator
from exercises.variants._common import parts_follow, wrongs_differ

BASES = (
    ("VGG16", 512),
    ("DenseNet121", 1024),
    ("MobileNetV2", 1280),
    ("ResNet50", 2048),
)


@generator(
    "head_parameter_count",
    guarantees=(
        "C of a real base: VGG16, DenseNet121, MobileNetV2 or ResNet50; 2 to 20 classes",
        "the count from the engine's head_parameters: C·256 + 256 + 256·k + k",
    ),
    holds=wrongs_differ,
)
def head_parameter_count(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    name, channels = BASES[int(rng.integers(len(BASES)))]
    classes = int(rng.integers(2, 21))
    answer = training.head_parameters(channels, classes)
    wrong = {
        "no_bias": channels * 256 + 256 * classes,
        "no_hidden": channels * classes + classes,
        "hidden_only": channels * 256 + 256,
    }
    values = {"base": name, "C": channels, "k": classes, "count": answer, **wrong}
    return Variant({**values, "wrong_values": list(wrong.values())}, answer)


def _small_base(rng: np.random.Generator, depth: int) -> list[list[int]]:
    layers, c_in = [], 3
    for _ in range(depth):
        c_out = int(rng.choice([8, 16, 32, 64]))
        size = int(rng.choice([1, 3, 5]))
        layers.append([c_in, c_out, size, size])
        c_in = c_out
    return layers


def _freeze_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if not answer["before"] > answer["after"] > 0:
        return "freezing the base does not leave fewer, but some, trainable parameters"
    if answer["before"] - answer["after"] != answer["base"]:
        return "before − after is not the base's count"
    return None


@generator(
    "freeze_before_after",
    guarantees=(
        "a base of 2 or 3 convolutions (1×1, 3×3 or 5×5, 8 to 64 channels), 2 to 10 classes",
        "counts from the engine's conv_parameters and trainable_parameters",
        "0 < after < before, and before − after is the base's count",
        "carried forward: before = own base + head, after = own before − own base",
    ),
    holds=_freeze_holds,
)
def freeze_before_after(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    layers = _small_base(rng, int(rng.integers(2, 4)))
    classes = int(rng.integers(2, 11))
    before, after = training.trainable_parameters(layers, classes)
    base = sum(training.conv_parameters(layer) for layer in layers)
    answer = {"base": base, "before": before, "after": after}
    follow = parts_follow(
        {
            "before": ({"base"}, lambda e: e["base"] + after),
            "after": ({"base", "before"}, lambda e: e["before"] - e["base"]),
        }
    )
    counts = [training.conv_parameters(layer) for layer in layers]
    rows = [
        {"layer": layer, "count": count}
        for layer, count in zip(layers, counts, strict=True)
    ]
    values = {"layers": rows, "k": classes, "C": layers[-1][1], "head": after}
    return Variant({**values, **answer}, answer, follow)


@generator(
    "fine_tune_parameter_count",
    guarantees=(
        "a base of 4 convolutions, 3×3 or 1×1, channels growing; 2 to 10 classes",
        "the top 1 or 2 layers unfrozen; counts from conv_parameters and head_parameters",
        "head only, unfrozen layers only, everything, and the bottom layers all differ",
    ),
    holds=wrongs_differ,
)
def fine_tune_parameter_count(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    while True:
        widths = sorted(int(c) for c in rng.choice([8, 16, 32, 64], size=4))
        sizes = [int(s) for s in rng.choice([1, 3], size=4, p=[0.25, 0.75])]
        layers = [
            [c_in, c_out, s, s]
            for c_in, c_out, s in zip([3, *widths[:-1]], widths, sizes, strict=True)
        ]
        top = int(rng.integers(1, 3))
        classes = int(rng.integers(2, 11))
        counts = [training.conv_parameters(layer) for layer in layers]
        head = training.head_parameters(widths[-1], classes)
        answer = head + sum(counts[-top:])
        wrong = {
            "head_only": head,
            "layers_only": sum(counts[-top:]),
            "everything": training.trainable_parameters(layers, classes)[0],
            "bottom": head + sum(counts[:top]),
        }
        variant = Variant({"wrong_values": list(wrong.values())}, answer)
        if wrongs_differ(variant) is None:
            break
    rows = [
        {"number": i + 1, "layer": layer, "count": count}
        for i, (layer, count) in enumerate(zip(layers, counts, strict=True))
    ]
    values = {"layers": rows, "top": top, "k": classes, "C": widths[-1], "head": head}
    values["count"] = answer
    return Variant({**values, **wrong, "wrong_values": list(wrong.values())}, answer)
