"""CPU limits fitted to each exercise (engine/fitted_limits.py).

Every exercise has a measured limit, the registry applies it, an infinite
loop is stopped at it (about a second, not five), and no correct sample
comes near it at any of twenty seeds: each costs under a fifth of its
limit, in this process, where nothing of the sandbox's own start is counted
(what torch imports on first use, the sandbox loads before a job starts:
so does this test).
"""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest

from engine import all_specs, get_spec, grade
from engine.fitted_limits import (
    CAP,
    FLOOR,
    WALL_FACTOR,
    WALL_SLACK,
    _table,
    fitted_cpu_seconds,
)
from engine.sandbox.runtime import import_torch_lazy_parts
from engine.sandbox.types import Limits

SAMPLES = Path(__file__).parent / "samples"
SEEDS = range(20)


def test_every_exercise_is_measured_and_registered_with_its_limit() -> None:
    table = _table()
    assert {spec.id for spec in all_specs()} <= set(table)
    for spec in all_specs():
        entry = table[spec.id]
        assert entry["cpu_seconds"] == fitted_cpu_seconds(entry["slowest_run_ms"])
        assert FLOOR <= spec.limits.cpu_seconds == entry["cpu_seconds"] <= CAP
        assert (
            spec.limits.wall_seconds == WALL_FACTOR * entry["cpu_seconds"] + WALL_SLACK
        )
        assert (SAMPLES / spec.id / f"{entry['slowest_solution']}.py").is_file()


@pytest.mark.parametrize(
    ("slowest_ms", "seconds"),
    [(0, 1.0), (10, 1.0), (49, 1.0), (51, 1.1), (120, 2.4), (680, 5.0), (9000, 5.0)],
)
def test_the_limit_is_a_multiple_of_the_slowest_run_with_a_floor_and_a_cap(
    slowest_ms: float, seconds: float
) -> None:
    assert fitted_cpu_seconds(slowest_ms) == seconds


def test_an_infinite_loop_is_stopped_at_the_fitted_limit() -> None:
    spec = get_spec("iou")
    assert spec.limits.cpu_seconds < Limits().cpu_seconds
    report = grade("iou", "def iou(box_a, box_b):\n    while True:\n        pass\n")
    assert report.verdict == "time_limit", report.message
    assert f"more than {spec.limits.cpu_seconds:g} s of CPU time" in report.message


def _correct_samples() -> list[object]:
    return [
        pytest.param(spec.id, path, id=f"{spec.id}/{path.stem}")
        for spec in all_specs()
        for path in sorted((SAMPLES / spec.id).glob("correct-*.py"))
    ]


@pytest.mark.parametrize(("exercise", "path"), _correct_samples())
def test_no_correct_sample_comes_near_its_limit_at_any_seed(
    exercise: str, path: Path
) -> None:
    spec = get_spec(exercise)
    namespace: dict[str, object] = {"__name__": f"sample_{path.stem}"}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    function = namespace[spec.entry_point]
    import_torch_lazy_parts()
    slowest = 0.0
    for seed in SEEDS:
        cases = spec.cases(seed)
        started = time.process_time()
        for case in cases:
            function(*copy.deepcopy(case.kwargs).values())  # type: ignore[operator]
        slowest = max(slowest, time.process_time() - started)
    assert slowest < spec.limits.cpu_seconds / 5, (
        f"{path.name}: {slowest * 1000:.0f} ms of CPU at its slowest seed, "
        f"against a limit of {spec.limits.cpu_seconds:g} s"
    )


def test_the_fresh_interpreter_runner_gives_the_same_limit_after_its_start() -> None:
    """A fresh interpreter imports torch inside the job (a warm host did it
    before forking): that start does not count against the exercise's 1 s,
    and a loop is still stopped, told in the exercise's limit."""
    from engine.sandbox.subprocess_runner import SubprocessRunner

    runner = SubprocessRunner()
    spec = get_spec("lstm_cell")
    assert spec.limits.cpu_seconds == 1.0
    # A correct torch LSTM cell that also burns about half a second of CPU,
    # each run in a child that imported torch (most of a second) first.
    correct = (SAMPLES / "lstm_cell" / "correct-torch.py").read_text()
    cases = len(spec.cases(0))
    burning = correct + (
        f"\n\nimport time as _time\n_cell = {spec.entry_point}\n\n"
        f"def {spec.entry_point}(*args):\n"
        f"    until = _time.process_time() + 0.5 / {cases}\n"
        "    while _time.process_time() < until:\n"
        "        pass\n"
        "    return _cell(*args)\n"
    )
    report = grade("lstm_cell", burning, runner=runner)
    assert report.verdict == "passed", report.message
    looping = "def iou(box_a, box_b):\n    while True:\n        pass\n"
    report = grade("iou", looping, runner=runner)
    assert report.verdict == "time_limit", report.message
    assert "more than 1 s of CPU time" in report.message
