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
`python -m engine fit-limits tests/engine/samples` and kept in
`fitted_limits.json` beside this file, with what they were measured from; a
test grades every correct sample at several seeds under them, and the
statement shows the limit (the site's SANDBOX_CPU_SECONDS stays a cap).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from engine.sandbox.types import Job, Limits, RunOutcome

TABLE = Path(__file__).with_name("fitted_limits.json")
MULTIPLE = 20.0
FLOOR = 1.0
CAP = Limits().cpu_seconds
WALL_FACTOR = 2.0
WALL_SLACK = 5.0
SEEDS = (0, 1, 2, 3, 4)


def fitted_cpu_seconds(slowest_cpu_ms: float) -> float:
    seconds = MULTIPLE * slowest_cpu_ms / 1000
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


@dataclass
class _Recording:
    """A runner that notes the time of every run it passes on."""

    runner: Any
    cpu_ms: list[float]

    def run(
        self, job: Job, limits: Limits, on_progress: Callable[[int], None] | None = None
    ) -> RunOutcome:
        outcome: RunOutcome = self.runner.run(job, limits, on_progress)
        # The warm sandbox answers a job that delivered before its child is
        # reaped, so without its CPU time (-1): the run's wall-clock time is
        # then the bound (single-threaded work: never less than its CPU time).
        self.cpu_ms.append(outcome.cpu_ms if outcome.cpu_ms >= 0 else outcome.wall_ms)
        return outcome


def measure(
    spec_id: str, sources: Iterable[tuple[str, str]], runner: Any
) -> dict[str, Any]:
    """Grade each (name, source) at every seed of SEEDS under the default
    limits; the slowest run and the limit fitted to it."""
    from engine.grader import grade

    slowest, slowest_name = 0.0, ""
    for name, source in sources:
        for seed in SEEDS:
            recording = _Recording(runner, [])
            report = grade(
                spec_id, source, seed=seed, limits=Limits(), runner=recording
            )
            if report.verdict != "passed":
                raise ValueError(
                    f"{spec_id}/{name} fails at seed {seed}: {report.message}"
                )
            if max(recording.cpu_ms) > slowest:
                slowest, slowest_name = max(recording.cpu_ms), name
    return {
        "cpu_seconds": fitted_cpu_seconds(slowest),
        "slowest_run_ms": round(slowest, 1),
        "slowest_solution": slowest_name,
    }


def fit(samples: Path, runner: Any) -> dict[str, dict[str, Any]]:
    """Measure every exercise with a folder of correct samples (correct-*.py)."""
    from engine.specs import all_specs

    table = {}
    for spec in all_specs():
        sources = [
            (path.stem, path.read_text(encoding="utf-8"))
            for path in sorted((samples / spec.id).glob("correct-*.py"))
        ]
        if sources:
            table[spec.id] = measure(spec.id, sources, runner)
    return table
