"""CPU limits fitted to each exercise, from what correct solutions cost.

Every exercise used to allow 5 s of CPU time per run although its correct
solutions take milliseconds: an infinite loop then held a worker for five
seconds, and a burst with a few loops in it drained at a third of its speed.
The fitted limit is a multiple of the slowest correct solution measured (in
any style: loops, vectorised, torch), with a floor and under the default cap:

    cpu_seconds = min(CAP, max(FLOOR, MULTIPLE × slowest run))

rounded up to a tenth of a second, and the wall-clock limit follows it
(WALL_FACTOR × CPU + WALL_SLACK: room for a busy machine, where a run waits
for a core; code that sleeps or blocks is stopped by it).

The figures are measured on the development machine by
`python -m engine fit-limits tests/engine/samples` (engine/limits_fitting.py)
and kept in
`fitted_limits.json` beside this file, with what they were measured from; a
test grades every correct sample at several seeds under them, and the
statement shows the limit (the site's SANDBOX_CPU_SECONDS stays a cap).
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from engine.sandbox.types import Limits

TABLE = Path(__file__).with_name("fitted_limits.json")
MULTIPLE = 20.0
FLOOR = 1.0
CAP = Limits().cpu_seconds
WALL_FACTOR = 2.0
WALL_SLACK = 5.0
SEEDS = (0, 1, 2, 3, 4)


# An instructor's own exercise has one measured solution, its reference,
# often vectorised: students' loops get more room than the course's samples
# (which include loops) need.
MULTIPLE_OF_ONE_REFERENCE = 50.0


def fitted_cpu_seconds(slowest_cpu_ms: float, multiple: float = MULTIPLE) -> float:
    seconds = multiple * slowest_cpu_ms / 1000
    return min(CAP, max(FLOOR, math.ceil(seconds * 10) / 10))


def limits_with_cpu(limits: Limits, cpu_seconds: float) -> Limits:
    """`limits` with this CPU limit and the wall-clock limit that follows it."""
    return replace(
        limits,
        cpu_seconds=cpu_seconds,
        wall_seconds=WALL_FACTOR * cpu_seconds + WALL_SLACK,
    )


@cache
def _table() -> dict[str, dict[str, Any]]:
    if not TABLE.is_file():
        return {}
    data: dict[str, dict[str, Any]] = json.loads(TABLE.read_text(encoding="utf-8"))
    return data


def fitted_limits(spec_id: str, base: Limits | None = None) -> Limits:
    """The exercise's limits with its fitted CPU limit; `base` (the defaults)
    unchanged for an exercise that was never measured."""
    base = base or Limits()
    entry = _table().get(spec_id)
    if entry is None:
        return base
    return limits_with_cpu(base, float(entry["cpu_seconds"]))
