"""What the hostile submissions against the warm sandbox share.

Every case submits code to the IoU exercise through `engine.grade` and asserts
(1) the verdict, (2) that nothing leaked into what the student sees, and
(3) that the host, the worker and the next submission are unharmed: the same
host process serves a correct canary submission afterwards, and no process of
the job survives it. `hostile` does (3); `seen` gathers what (2) searches.
"""

from __future__ import annotations

import os
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import grade
from engine.report import Report
from engine.sandbox.types import Limits
from engine.sandbox.warm import WarmSandboxRunner

LINUX_ONLY = pytest.mark.skipif(
    not Path("/proc/self/ns/net").exists(), reason="Linux only"
)

SAMPLES = Path(__file__).parent / "samples" / "iou"
CANARY = (SAMPLES / "correct-numpy.py").read_text()
# Limits for the tests about time: a 3 s wall clock for code that sleeps, and a
# 1 s CPU limit with a wall clock far above it for code that spins, so that the
# CPU limit fires first even on a machine too busy to give the job a full core.
QUICK = Limits(cpu_seconds=1, wall_seconds=3, memory_mb=512, processes=16)
SPIN = Limits(cpu_seconds=1, wall_seconds=30, memory_mb=512, processes=16)
# Every other hostile test expects its own verdict, not a time limit: it gets
# room enough that no load on the machine turns its verdict into one.
ROOMY = Limits(cpu_seconds=10, wall_seconds=40, memory_mb=512, processes=16)

# Indented like the bodies of the tests, so that ONCE + body dedents as one block.
ONCE = """
    _done = []
    def once(action):
        if not _done:
            _done.append(1)
            return action()
"""


def warm_runner() -> Iterator[WarmSandboxRunner]:
    """A test module's runner, its host started before the first test."""
    runner = WarmSandboxRunner()
    runner.isolation()
    yield runner
    runner.close()


def hostile(runner: WarmSandboxRunner, body: str, limits: Limits = ROOMY) -> Report:
    """Grade `body` (which defines iou) and check the sandbox survived it."""
    [(host_pid, uid)] = runner.hosts()
    report = grade("iou", textwrap.dedent(body), runner=runner, limits=limits)
    canary = grade("iou", CANARY, runner=runner)
    assert canary.verdict == "passed", (
        f"the next submission was harmed: {canary.message}"
    )
    assert runner.hosts() == [(host_pid, uid)], "the host was replaced or lost"
    assert uid is not None and _all_gone(uid), "a process of the job survived it"
    return report


def seen(report: Report) -> str:
    """Everything the student could read back from a report."""
    parts = [report.message, report.stdout, report.traceback]
    for case in report.cases:
        parts += [case.message, case.stdout, case.error, repr(case.got)]
    return "\n".join(parts)


def _all_gone(uid: int, grace: float = 20.0) -> bool:
    """No live process of the sandbox uid. The host replies before the last
    job's processes are reaped, so a dying one (or a zombie) may linger a
    moment; it must not keep running."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not [pid for pid in _processes_of(uid) if _state(pid) not in {"Z", "X", ""}]:
            return True
        time.sleep(0.02)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def _processes_of(uid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found
