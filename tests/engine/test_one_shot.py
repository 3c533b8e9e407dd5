"""One grading from the command line: a lean host first, and a full one for
any job that did not end cleanly (engine/sandbox/one_shot.py). Whatever the
route, the report is the one a worker's fully preloaded host gives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine import grade
from engine.report import Report
from engine.sandbox.one_shot import OneShotRunner, ended_cleanly
from engine.sandbox.types import Limits, RunOutcome
from engine.sandbox.warm import WarmSandboxRunner

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/ns/net").exists(), reason="Linux only"
)
SAMPLES = Path(__file__).parent / "samples"

LOADED = """
import sys
LOADED = sorted(m for m in ("torch._dynamo", "sympy") if m in sys.modules)

def iou(box_a, box_b):
    print("loaded before the submission:", LOADED)
    return 0.0
"""

# Correct, but its first optimiser imports torch's compiler stack: most of a
# second of CPU in the job on a lean host, none on a full one.
WITH_AN_OPTIMISER = (
    (SAMPLES / "iou" / "correct-numpy.py").read_text()
    + """

import torch

_optimiser = None


def _adam():
    global _optimiser
    if _optimiser is None:
        _optimiser = torch.optim.Adam([torch.zeros(1, requires_grad=True)])
    return _optimiser


_iou = iou


def iou(box_a, box_b):
    _adam()
    return _iou(box_a, box_b)
"""
)


FULL_HOST_ONLY = (
    (SAMPLES / "iou" / "correct-numpy.py").read_text()
    + """

import sys

_iou = iou


def iou(box_a, box_b):
    if "torch._dynamo" not in sys.modules:
        raise RuntimeError("a lean host")
    return _iou(box_a, box_b)
"""
)


@pytest.fixture
def one_shot() -> Iterator[OneShotRunner]:
    runner = OneShotRunner()
    runner.warm()
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def shared_one_shot() -> Iterator[OneShotRunner]:
    runner = OneShotRunner()
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def full() -> Iterator[WarmSandboxRunner]:
    runner = WarmSandboxRunner()
    yield runner
    runner.close()


def comparable(report: Report) -> dict[str, Any]:
    """A report without its timings, which no two runs share."""
    data = report.to_dict()
    data.pop("duration_ms", None)
    for case in data.get("cases", []):
        case.pop("duration_ms", None)
    return data


def test_the_lean_host_leaves_the_compiler_stack_to_the_job(one_shot) -> None:
    report = grade("iou", LOADED, runner=one_shot)
    assert "loaded before the submission: []" in report.cases[0].stdout
    assert one_shot.reruns == 0


def test_a_job_that_imports_the_compiler_stack_in_time_is_kept(one_shot, full) -> None:
    """The stack loads inside the sandbox: a correct solution building an
    optimiser passes on the lean host, with the report a worker gives. The
    import costs the job most of a second of CPU, more on a busy machine, so
    the job has room for it here: whether it fits within the exercise's own
    limits depends on the machine's load, and a job that does not fit is
    rerun (the next test)."""
    room = Limits(cpu_seconds=60, wall_seconds=120, memory_mb=4096)
    report = grade("iou", WITH_AN_OPTIMISER, limits=room, runner=one_shot)
    assert report.verdict == "passed" and one_shot.reruns == 0 < one_shot.jobs
    assert comparable(report) == comparable(
        grade("iou", WITH_AN_OPTIMISER, limits=room, runner=full)
    )


def test_a_job_that_fails_only_on_a_lean_host_is_rerun_on_a_full_one(
    one_shot, full
) -> None:
    """What a job can tell apart on a lean host (here, on purpose; in earnest,
    a solution that the compiler stack's import pushes over its CPU or memory
    limit) ends it uncleanly, and the full host's run decides."""
    report = grade("iou", FULL_HOST_ONLY, runner=one_shot)
    assert one_shot.reruns == one_shot.jobs == 2  # visible cases, then hidden
    assert report.verdict == "passed", report.message
    assert comparable(report) == comparable(grade("iou", FULL_HOST_ONLY, runner=full))


@pytest.mark.parametrize(
    "sample",
    sorted(
        f"{folder.name}/{path.name}"
        for folder in (SAMPLES / "iou", SAMPLES / "lstm_cell")
        for path in folder.glob("*.py")
    ),
)
def test_every_sample_gets_a_workers_report(sample: str, shared_one_shot, full) -> None:
    """Correct, broken and wrong samples alike: one-shot and worker agree."""
    exercise, _ = sample.split("/")
    source = (SAMPLES / sample).read_text()
    for seed in (0, 1):
        assert comparable(
            grade(exercise, source, seed=seed, runner=shared_one_shot)
        ) == (comparable(grade(exercise, source, seed=seed, runner=full)))


@pytest.mark.parametrize(
    ("outcome", "clean"),
    [
        (RunOutcome("ok", results=[{"ok": True}, {"ok": True}]), True),
        (RunOutcome("ok", results=[{"ok": True}]), False),
        (RunOutcome("ok", results=[{"ok": True}] * 3), False),
        (RunOutcome("ok", results=[{"ok": True}, {"ok": False}]), False),
        (RunOutcome("ok", results=[{"ok": True}, {"ok": "yes"}]), False),
        (RunOutcome("time_limit"), False),
        (RunOutcome("memory_limit"), False),
        (RunOutcome("import_error"), False),
        (RunOutcome("crashed"), False),
    ],
)
def test_what_counts_as_ending_cleanly(outcome: RunOutcome, clean: bool) -> None:
    assert ended_cleanly(outcome, cases=2) is clean


def test_every_job_of_a_failing_submission_is_rerun_once(one_shot) -> None:
    failing = "def iou(a, b):\n    raise ValueError('no')\n"
    report = grade("iou", failing, runner=one_shot)
    assert report.verdict == "failed" and one_shot.reruns == one_shot.jobs == 2
