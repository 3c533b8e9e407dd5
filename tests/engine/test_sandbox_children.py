"""The host's children: forked and set up before their jobs arrive, and
handed to the worker whole (the host keeps no end of a job's pipes)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.processes import processes
from engine import grade
from engine.sandbox import warm
from engine.sandbox.collect import Channels
from engine.sandbox.types import Job, Limits
from engine.sandbox.warm import WarmSandboxRunner
from tests.workers import descriptor_targets, live_processes_of, wait_for

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/ns/net").exists(), reason="Linux only"
)
CANARY = (Path(__file__).parent / "samples" / "iou" / "correct-numpy.py").read_text()


@dataclass(frozen=True)
class Handed:
    """A job's child as the worker received it from the host."""

    pid: int
    pipes: frozenset[str]  # "pipe:[inode]" of its job pipe and its outputs


@pytest.fixture
def handed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Handed]]:
    """The child each job was handed by its host, in order."""
    recorded: list[Handed] = []
    start = warm.HostProcess._start

    def recording_start(self: warm.HostProcess, limits: Limits) -> Channels:
        channels = start(self, limits)
        fds = [channels.job, *channels.outputs.values()]
        pipes = frozenset(os.readlink(f"/proc/self/fd/{fd}") for fd in fds)
        recorded.append(Handed(channels.pid, pipes))
        return channels

    monkeypatch.setattr(warm.HostProcess, "_start", recording_start)
    yield recorded


def _spares_of(host: int) -> set[int]:
    """The host's children that are alive: its spares while no job runs (a
    finished job's child, killed, may linger a moment as a zombie)."""
    found = set()
    for child in processes().values():
        if child.parent == host and child.state not in ("Z", "X"):
            found.add(child.pid)
    return found


def test_both_children_of_a_grading_were_forked_and_set_up_ahead(
    handed: list[Handed],
) -> None:
    """A grading runs its visible cases, then its hidden ones, each in a
    child of its own: neither waits for a fork or a set-up."""
    runner = WarmSandboxRunner()
    try:
        runner.warm()
        [(host, _)] = runner.hosts()
        ready = wait_for(
            lambda: len(_spares_of(host)) == 2 and _spares_of(host),
            30,
            "the host's two spares",
        )
        assert grade("iou", CANARY, runner=runner).verdict == "passed"
        assert len(handed) == 2 and {child.pid for child in handed} == ready
        # Forked again once the host is idle.
        wait_for(lambda: len(_spares_of(host) - ready) == 2, 30, "two new spares")
    finally:
        runner.close()


def _pipes_of(pid: int) -> list[str]:
    return [t for t in descriptor_targets(pid) if t.startswith("pipe:")]


def test_the_host_holds_no_end_of_a_running_jobs_pipes(
    handed: list[Handed],
) -> None:
    """The host hands a job's pipes to the worker and keeps no copy: the
    request and the outputs never pass through it."""
    if os.geteuid() != 0:
        pytest.skip("needs the sandbox uid to tell the job's child apart")
    runner = WarmSandboxRunner()
    body = "import time\ndef iou(a, b):\n    time.sleep(1.5)\n    return 0.0\n"
    try:
        runner.warm()
        [(pid, uid)] = runner.hosts()
        assert uid is not None and _pipes_of(pid)  # its spares'
        job = Job(body, "iou", [{"box_a": [0, 0, 1, 1], "box_b": [0, 0, 1, 1]}])
        thread = threading.Thread(target=runner.run, args=(job, Limits()))
        thread.start()
        deadline = time.monotonic() + 10
        while not live_processes_of(uid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert live_processes_of(uid), "the job never started"
        [child] = handed
        assert len(child.pipes) == 5
        # The running child's pipes are the worker's alone.
        assert not child.pipes & set(_pipes_of(pid))
        thread.join()
    finally:
        runner.close()
