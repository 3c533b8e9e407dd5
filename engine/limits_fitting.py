"""Measuring what correct solutions cost, for engine/fitted_limits.py:
`python -m engine fit-limits tests/engine/samples` grades every correct
sample at several seeds in the warm sandbox and writes the table."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.fitted_limits import SEEDS, fitted_cpu_seconds
from engine.sandbox.types import Job, Limits, RunOutcome


@dataclass
class RecordingRunner:
    """A runner that notes the time of every run it passes on."""

    runner: Any
    cpu_ms: list[float]

    def run(
        self, job: Job, limits: Limits, on_progress: Callable[[int], None] | None = None
    ) -> RunOutcome:
        outcome: RunOutcome = self.runner.run(job, limits, on_progress)
        # The host reads the child's CPU time from /proc; where it could not
        # (-1), the run's wall-clock time is the bound (single-threaded work
        # takes no less).
        self.cpu_ms.append(outcome.cpu_ms if outcome.cpu_ms >= 0 else outcome.wall_ms)
        return outcome


def measure(
    spec_id: str, sources: Iterable[tuple[str, str]], runner: Any
) -> dict[str, Any]:
    """Grade each (name, source) at every seed of SEEDS under the default
    limits; the slowest run and the limit fitted to it."""
    from engine.grader import grade

    slowest, slowest_name = -1.0, ""
    for name, source in sources:
        for seed in SEEDS:
            recording = RecordingRunner(runner, [])
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
        "cpu_seconds": fitted_cpu_seconds(max(slowest, 0.0)),
        "slowest_run_ms": round(max(slowest, 0.0), 1),
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
