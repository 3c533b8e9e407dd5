"""Exercise specs for lecture 6.6: the triangular cyclical learning rate, and
the parameters a frozen base leaves to train. The minimum-norm solution
behind double descent (6.3) is in `double_descent`."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.compare import allclose, equal, fields
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

# ------------------------------------------------------ cyclical learning rate


def _clr_full_cycle(steps: Any, lr_min: float, lr_max: float, step_size: int) -> Any:
    return training.cyclical_lr(steps, lr_min, lr_max, step_size / 2)


def _clr_one_based(steps: Any, lr_min: float, lr_max: float, step_size: int) -> Any:
    return training.cyclical_lr(np.asarray(steps) + 1, lr_min, lr_max, step_size)


def _clr_from_max(steps: Any, lr_min: float, lr_max: float, step_size: int) -> Any:
    return lr_min + lr_max - training.cyclical_lr(steps, lr_min, lr_max, step_size)


def cyclical_lr_cases(seed: int) -> list[Case]:
    def case(
        name: str, steps: list[int], bounds: tuple[float, float], size: int, label: str
    ) -> Case:
        kwargs = {
            "steps": steps,
            "lr_min": bounds[0],
            "lr_max": bounds[1],
            "step_size": size,
        }
        return Case(name, kwargs, label)

    cases = [
        case("step zero", [0], (0.001, 0.006), 4, "edge: step 0 alone"),
        case("one cycle", list(range(9)), (0.001, 0.006), 4, "edge: one whole cycle, steps 0 … 8"),
        case("step size one", list(range(6)), (0.01, 0.1), 1, "edge: step_size 1"),
        case("any order", [17, 3, 40, 0, 25, 10], (1e-4, 1e-2), 5,
             "edge: steps over several cycles, in any order"),
        case("half a cycle", [0, 6, 12, 18, 24], (0.002, 0.01), 6,
             "convention: step_size is half a cycle: lr_max at step_size, lr_min at 2·step_size"),
    ]  # fmt: skip
    rng = np.random.default_rng(seed)
    for i in range(6):
        size = int(rng.integers(2, 21))
        steps = sorted(int(s) for s in rng.choice(5 * size, size=6, replace=False))
        lr_min = float(rng.choice([1e-4, 5e-4, 1e-3, 0.01]))
        lr_max = round(lr_min * float(rng.uniform(3, 10)), 6)
        kwargs = {"steps": steps, "lr_min": lr_min, "lr_max": lr_max, "step_size": size}
        cases.append(Case(f"random {i + 1}", kwargs, "random", hidden=i >= 4))
    return as_lists(cases)


LR_SHAPE = "a 1-D array of the same length as steps"


# Float32 arithmetic: lr_min, lr_max and step / step_size round with a relative
# error of 6e-8, and step / step_size ≤ 5 cycles moves the triangle by a few
# 1e-7 of (lr_max − lr_min) ≤ 100·lr_min (lr_min is never 0); a float32
# solution is within ~1e-6 of each rate (measured: ≤ 1.5e-8 relative at seeds
# 0–199). A relative 1e-5 still tells a wrong schedule apart: one step off
# moves a rate by (lr_max − lr_min)/step_size, at least 2% of it.
LR_RTOL = 1e-5


def _lr_in_bounds(kwargs: dict[str, Any], got: Any) -> str | None:
    rates = np.asarray(got, float).reshape(-1)
    low = kwargs["lr_min"] * (1 - LR_RTOL)
    high = kwargs["lr_max"] * (1 + LR_RTOL)
    outside = [float(r) for r in rates if not low <= r <= high]
    return f"lr {outside[0]:g} is outside [lr_min, lr_max]" if outside else None


CYCLICAL_LR = register(
    ExerciseSpec(
        id="cyclical_lr",
        title="Triangular cyclical learning rate",
        topic="6.6",
        entry_point="cyclical_lr",
        signature="def cyclical_lr(steps, lr_min, lr_max, step_size) -> array",
        statement=(
            "Return the learning rate at each of the given (0-based) training steps, "
            f"{LR_SHAPE}, for Smith's triangular schedule: "
            "lr = lr_min + (lr_max − lr_min)·triangle_wave(step). step_size is HALF a "
            "cycle: the rate is lr_min at step 0, rises linearly to lr_max at step "
            "step_size, falls back to lr_min at step 2·step_size, and repeats "
            "(torch.optim.lr_scheduler.CyclicLR with mode='triangular', "
            "step_size_up=step_size, stepped once per batch). Rates are compared "
            "within a relative 1e-5, which float32 arithmetic meets."
            " steps arrives as a Python list of ints: convert it with np.asarray or "
            "torch.tensor."
        ),
        reference=training.cyclical_lr,
        make_cases=cyclical_lr_cases,
        compare=allclose(rtol=LR_RTOL, atol=1e-12),
        shapes=(
            ShapePromise(
                LR_SHAPE, lambda kwargs: True, lambda kwargs: (len(kwargs["steps"]),)
            ),
        ),
        mistakes=(
            Mistake(
                "clr-step-size-full-cycle",
                "step_size taken as a whole cycle",
                "In Smith's schedule step_size is half a cycle: the rate needs step_size "
                "steps to climb from lr_min to lr_max and as many to come back, so a cycle "
                "lasts 2·step_size steps.",
                _clr_full_cycle,
                point="At which step does your rate first reach lr_max? Compare that step with step_size in the visible 'half a cycle' case.",
                fix="`s = np.asarray(steps, float)`; `cycle = np.floor(1 + s / (2 * step_size))`; `x = np.abs(s / step_size - 2 * cycle + 1)`; `lr = lr_min + (lr_max - lr_min) * np.maximum(0, 1 - x)`",
            ),
            Mistake(
                "clr-shifted-by-one",
                "Steps counted from 1",
                "Steps are counted from 0 and step 0 gets lr_min; your schedule is one "
                "step ahead (it evaluates the formula at step + 1).",
                _clr_one_based,
                point="What rate does your schedule give at step 0? Look at how you number the steps before using them.",
                fix="Use the steps as given, counted from 0 (no `+ 1`): `s = np.asarray(steps, float)`; `lr = lr_min + (lr_max - lr_min) * (1 - np.abs(s % (2 * step_size) / step_size - 1))`",
            ),
            Mistake(
                "clr-starts-at-max",
                "The schedule starts at lr_max",
                "The triangle starts at its bottom: lr_min at step 0 and lr_max at "
                "step_size. Yours is upside down.",
                _clr_from_max,
                point="What rate does your schedule give at step 0, and at step step_size? Which of the two should be the peak?",
                fix="`x = np.abs(s / step_size - 2 * np.floor(1 + s / (2 * step_size)) + 1)`; `lr = lr_min + (lr_max - lr_min) * np.maximum(0, 1 - x)`: the factor is `1 - x`, not `x`",
            ),
        ),
        properties=(
            Property(
                "clr-in-bounds",
                "every rate lies in [lr_min, lr_max]",
                per_case(_lr_in_bounds),
            ),
        ),
        forbidden=("torch.optim.lr_scheduler", "tensorflow", "keras"),
    )
)

# ----------------------------------------------------------- transfer learning


def _count_variant(
    *, biases: bool = True, freeze: bool = True, hidden: bool = True
) -> Any:
    def run(base_layers: list[list[int]], num_classes: int) -> tuple[int, int]:
        base = sum(a * b * h * w + (b if biases else 0) for a, b, h, w in base_layers)
        c, k = base_layers[-1][1], num_classes
        if hidden:
            head = c * 256 + 256 * k + ((256 + k) if biases else 0)
        else:
            head = c * k + (k if biases else 0)
        return base + head, (head if freeze else base + head)

    return run


def _random_base(rng: np.random.Generator) -> list[list[int]]:
    kernels = [(1, 1), (3, 3), (5, 5), (1, 3), (3, 1)]
    layers, c_in = [], 3
    for _ in range(int(rng.integers(2, 6))):
        c_out = int(rng.choice([4, 8, 16, 32, 64]))
        kh, kw = kernels[int(rng.integers(len(kernels)))]
        layers.append([c_in, c_out, kh, kw])
        c_in = c_out
    return layers


def trainable_cases(seed: int) -> list[Case]:
    def case(name: str, layers: list[list[int]], k: int, label: str) -> Case:
        return Case(name, {"base_layers": layers, "num_classes": k}, label)

    cases = [
        case("one layer", [[3, 4, 1, 1]], 2, "edge: a base of one 1×1 convolution"),
        case("binary head", [[1, 8, 3, 3], [8, 16, 3, 3]], 1, "edge: k = 1 output"),
        case("non-square kernels", [[3, 6, 1, 3], [6, 5, 3, 1]], 4,
             "edge: 1×3 and 3×1 kernels, c_in ≠ c_out"),
        case("resnet50 top", [[512, 2048, 1, 1]], 10,
             "convention: the head on ResNet50's 2048 channels, 10 classes"),
    ]  # fmt: skip
    rng = np.random.default_rng(seed)
    for i in range(6):
        cases.append(
            Case(
                f"random {i + 1}",
                {
                    "base_layers": _random_base(rng),
                    "num_classes": int(rng.integers(2, 21)),
                },
                "random",
                hidden=i >= 4,
            )
        )
    return as_lists(cases)


TRAINABLE_PARAMETERS = register(
    ExerciseSpec(
        id="trainable_parameters",
        title="Trainable parameters before and after freezing the base",
        topic="6.6",
        entry_point="trainable_parameters",
        signature="def trainable_parameters(base_layers, num_classes) -> tuple[int, int]",
        statement=(
            "A pre-trained base is a stack of convolutions, each given as "
            "[c_in, c_out, kh, kw]: a Conv2d(c_in, c_out, kernel_size=(kh, kw)) with a "
            "bias. On top of its last layer's c_out channels the notes add a new head: "
            "GlobalAveragePooling2D → Dense(256, ReLU) → Dense(num_classes). Return "
            "(before, after): the number of trainable parameters of base + head with "
            "nothing frozen, and after freezing the base (base.trainable = False), when "
            "only the head trains."
        ),
        reference=training.trainable_parameters,
        make_cases=trainable_cases,
        compare=fields(("before", equal()), ("after", equal())),
        mistakes=(
            Mistake(
                "transfer-forgets-biases",
                "Biases not counted",
                "Every convolution and Dense layer has one bias per output unit: c_out "
                "for a convolution, 256 and num_classes for the head's two Dense layers.",
                _count_variant(biases=False),
                point="For each layer, what do you count besides the weights? How many numbers does a 1×1 convolution from 3 to 4 channels hold, as in the visible 'one layer' case?",
                fix="`base = sum(c_in * c_out * kh * kw + c_out for c_in, c_out, kh, kw in base_layers)`; `c = base_layers[-1][1]`; `head = c * 256 + 256 + 256 * num_classes + num_classes`; `return base + head, head`",
            ),
            Mistake(
                "transfer-counts-frozen-base",
                "The frozen base still counted as trainable",
                "Freezing the base (base.trainable = False, or requires_grad_(False)) "
                "takes all its weights out of training: afterwards only the head's "
                "parameters are trainable.",
                _count_variant(freeze=False),
                point="Look at your second number: once base.trainable = False, which layers still receive gradient updates?",
                fix="`return base + head, head`: after freezing, only the head's `c * 256 + 256 + 256 * num_classes + num_classes` parameters train",
            ),
            Mistake(
                "transfer-head-without-hidden-layer",
                "Head without the Dense(256) layer",
                "The notes' head has two Dense layers: GAP → Dense(256, ReLU) → "
                "Dense(num_classes), i.e. C·256 + 256 + 256·k + k parameters.",
                _count_variant(hidden=False),
                point="Count the layers of the notes' head: what sits between the global average pooling and the output layer?",
                fix="`head = c * 256 + 256 + 256 * num_classes + num_classes` with `c = base_layers[-1][1]`, not `c * num_classes + num_classes`",
            ),
        ),
        forbidden=("torchinfo", "torchsummary", "tensorflow", "keras"),
    )
)
