"""Smith's triangular cyclical learning rate, step_size half a cycle, steps from 0."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="cyclical_lr",
    entry_point="cyclical_lr",
    source="""
import numpy as np


def cyclical_lr(steps, lr_min, lr_max, step_size):
    # § Where each step is in its cycle
    steps = np.asarray(steps, dtype=float)  # why: the list of 0-based steps becomes a float array, so every step is computed at once
    period = 2 * step_size  # why: step_size is HALF a cycle: step_size steps up, then step_size steps down
    cycle = np.floor(1 + steps / period)  # why: which cycle each step falls in, counting from 1
    x = np.abs(2 * steps / period - 2 * cycle + 1)  # why: 1 where a cycle starts and ends, 0 at its peak halfway through
    # § The triangle between the two rates
    return lr_min + (lr_max - lr_min) * np.maximum(0.0, 1 - x)  # why: 1 − x rises from 0 to 1 and back, carrying the rate from lr_min up to lr_max and down again
""",
    blanks=(
        BlankSpec(
            "2 * step_size",
            "how many steps one whole cycle lasts",
            ("clr-step-size-full-cycle",),
        ),
        BlankSpec(
            "lr_min + (lr_max - lr_min) * np.maximum(0.0, 1 - x)",
            "the rate: the triangle wave scaled into [lr_min, lr_max]",
            ("clr-starts-at-max",),
        ),
        BlankSpec(
            "np.asarray(steps, dtype=float)",
            "the steps as a float array, counted as given",
            ("clr-shifted-by-one",),
        ),
    ),
    distractors=(
        DistractorSpec(
            "period = 2 * step_size", "period = step_size", "clr-step-size-full-cycle"
        ),
        DistractorSpec(
            "steps = np.asarray(steps, dtype=float)",
            "steps = np.asarray(steps, dtype=float) + 1",
            "clr-shifted-by-one",
        ),
        DistractorSpec(
            "return lr_min + (lr_max - lr_min) * np.maximum(0.0, 1 - x)",
            "return lr_max - (lr_max - lr_min) * np.maximum(0.0, 1 - x)",
            "clr-starts-at-max",
        ),
    ),
)
