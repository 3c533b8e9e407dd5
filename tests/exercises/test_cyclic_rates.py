"""The CyclicLR question's rates (exercises/variants/exam_6_06.py) are torch's
scheduler's, computed without it: equal, float for float, at every setting
the question draws."""

from __future__ import annotations

import itertools

import pytest
import torch

from exercises.variants.exam_6_06 import _cyclic_rates


def _scheduled(
    lr_min: float, lr_max: float, up: int, down: int, steps: int
) -> list[float]:
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=lr_min)
    scheduler = torch.optim.lr_scheduler.CyclicLR(
        optimizer, base_lr=lr_min, max_lr=lr_max, step_size_up=up,
        step_size_down=down, mode="triangular", cycle_momentum=False,
    )  # fmt: skip
    rates = []
    for _ in range(steps):
        rates.append(float(optimizer.param_groups[0]["lr"]))
        optimizer.step()
        scheduler.step()
    return rates


# What exam_tl_clr_inverse draws: η_min, the unit, g, and a ≠ c.
SETTINGS = [
    (lr_min, unit, g, a, c)
    for lr_min, unit, g in itertools.product((0.001, 0.002), (0.0005, 0.001), (2, 3, 4))
    for a, c in itertools.permutations((1, 2, 3), 2)
]


@pytest.mark.parametrize(("lr_min", "unit", "g", "a", "c"), SETTINGS)
def test_the_rates_are_torchs_at_every_drawn_setting(
    lr_min: float, unit: float, g: int, a: int, c: int
) -> None:
    lr_max = round(lr_min + g * unit, 6)
    up, down = a * g, c * g
    steps = 2 * (up + down) + 1
    assert _cyclic_rates(lr_min, lr_max, up, down, steps) == _scheduled(
        lr_min, lr_max, up, down, steps
    )


def test_an_off_by_one_schedule_would_not_pass() -> None:
    """The comparison sees a rate one step late."""
    ours = _cyclic_rates(0.001, 0.003, 2, 4, 13)
    assert ours[1:] != _scheduled(0.001, 0.003, 2, 4, 13)[:-1]
