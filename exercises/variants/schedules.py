"""Variants for lecture 6.6: the cyclical learning rate at a step, and traced
through its cycle and x (error carried forward)."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.reference import training
from exercises.variants import Variant, generator
from exercises.variants._common import parts_follow, wrongs_differ


def _clr_setting(rng: np.random.Generator) -> tuple[float, float, int, float]:
    lr_min = float(rng.choice([0.001, 0.002]))
    step_size = int(rng.choice([4, 5, 8, 10]))
    rise = float(rng.choice([0.0005, 0.001]))
    return lr_min, round(lr_min + step_size * rise, 6), step_size, rise


def _clr(step: float, lr_min: float, lr_max: float, step_size: float) -> float:
    return float(training.cyclical_lr([step], lr_min, lr_max, step_size)[0])


def _clr_holds(variant: Variant) -> str | None:
    values = variant.values
    if not values["lr_min"] <= variant.answer <= values["lr_max"]:
        return f"the rate {variant.answer} is outside [lr_min, lr_max]"
    return wrongs_differ(variant)


@generator(
    "clr_at_step",
    guarantees=(
        "lr_min 0.001 or 0.002, step_size 4, 5, 8 or 10, lr_max = lr_min + step_size·rise",
        "a step in 1 … 4·step_size that is not a multiple of step_size",
        "the rate from the engine's cyclical_lr (Smith, 0-based, step_size half a cycle)",
        "the full-cycle, one-based and upside-down slips all differ by ≥ rise/4",
        "the rate lies in [lr_min, lr_max]",
    ),
    holds=_clr_holds,
)
def clr_at_step(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        lr_min, lr_max, size, rise = _clr_setting(rng)
        step = int(rng.integers(1, 4 * size))
        answer = _clr(step, lr_min, lr_max, size)
        wrong = {
            "full_cycle": _clr(step, lr_min, lr_max, size / 2),
            "one_based": _clr(step + 1, lr_min, lr_max, size),
            "upside_down": lr_min + lr_max - answer,
        }
        far = all(abs(w - answer) >= rise / 4 for w in wrong.values())
        if step % size and far:
            break
    values = {"lr_min": lr_min, "lr_max": lr_max, "s": size, "t": step, "lr": answer}
    cycle = np.floor(1 + step / (2 * size))
    x = abs(step / size - 2 * cycle + 1)
    values |= {"cycle_length": 2 * size, "phase": step % (2 * size), "x": x, **wrong}
    return Variant({**values, "wrong_values": list(wrong.values())}, answer)


def _trace_holds(variant: Variant) -> str | None:
    values, answer = variant.values, variant.answer
    if answer["cycle"] < 2:
        return "the step is in the first cycle"
    if not 0 < answer["x"] < 1:
        return f"x = {answer['x']} is not strictly between 0 and 1"
    if not values["lr_min"] < answer["lr"] < values["lr_max"]:
        return f"the rate {answer['lr']} is not strictly inside (lr_min, lr_max)"
    return None


@generator(
    "clr_trace",
    guarantees=(
        "the same settings as clr_at_step, a step in the second cycle or later",
        "the step is not a multiple of step_size, so 0 < x < 1 and lr_min < lr < lr_max",
        "lr from the engine's cyclical_lr; cycle and x from its formula, checked",
        "error carried forward: x from the student's cycle, lr from the student's x",
    ),
    holds=_trace_holds,
)
def clr_trace(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    lr_min, lr_max, size, _ = _clr_setting(rng)
    step = int(rng.choice([t for t in range(2 * size, 5 * size) if t % size]))
    cycle = float(np.floor(1 + step / (2 * size)))
    x = abs(step / size - 2 * cycle + 1)
    lr = _clr(step, lr_min, lr_max, size)
    assert np.isclose(lr, lr_min + (lr_max - lr_min) * max(0.0, 1 - x))
    answer = {"cycle": cycle, "x": x, "lr": lr}
    follow = parts_follow(
        {
            "x": ({"cycle"}, lambda e: abs(step / size - 2 * e["cycle"] + 1)),
            "lr": ({"x"}, lambda e: lr_min + (lr_max - lr_min) * max(0.0, 1 - e["x"])),
        }
    )
    values = {"lr_min": lr_min, "lr_max": lr_max, "s": size, "t": step, **answer}
    return Variant(values, answer, follow)
