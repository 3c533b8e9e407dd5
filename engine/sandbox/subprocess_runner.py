"""The fallback runner: one fresh interpreter per job, with kernel resource limits.

It keeps the same boundary as the warm sandbox (job in, outputs out as data,
comparison in the caller) but offers fewer isolation layers; the outcome lists
those that were missing so that a report never claims more than it had.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from engine.sandbox import protocol, wire
from engine.sandbox.collect import Channels, Collected, collect
from engine.sandbox.outcome import Finished, outcome_from
from engine.sandbox.types import Job, Limits, RunOutcome

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MAX_JOB_BYTES = 64 * 1024 * 1024
# torch reserves a large address-space range at import; the AS limit must leave
# room for it on top of the job's memory budget.
ADDRESS_SPACE_SLACK_MB = 1536
# Starting Python and importing torch, which a warm host has done before it
# forks a child, and which a fresh interpreter pays inside the job: room for it
# on top of the job's limits. The child lowers its CPU limit to its own use so
# far plus the job's limit once torch is imported (engine/sandbox/child.py), so
# the student's code gets exactly the job's CPU limit.
START_CPU_SECONDS = 10.0
START_WALL_SECONDS = 15.0

LAYERS = ("resource limits", "own process group", "scrubbed environment", "fresh cwd")
MISSING = ("network namespace", "mount namespace", "dropped privileges", "seccomp")
# The child reads its request from "job" (length-prefixed, as a warm child
# does) and writes its outputs to the others; it reports no progress.
OUTPUTS = ("stdout", "stderr", "result")
PIPES = ("job", *OUTPUTS)


class SubprocessRunner:
    """Runs each job in `python -I` started for that job alone."""

    def warm(self) -> None:
        """Nothing to start ahead: every job pays for its own interpreter."""

    def run(
        self, job: Job, limits: Limits, on_progress: Callable[[int], None] | None = None
    ) -> RunOutcome:
        """Run the job; a fresh interpreter reports no progress while it runs."""
        request = {
            "source": job.source,
            "entry_point": job.entry_point,
            "cases": job.cases,
            "forbidden": list(job.forbidden),
            "torch_threads": limits.torch_threads,
            "cpu_seconds": limits.cpu_seconds,
        }
        roomy = replace(
            limits,
            cpu_seconds=limits.cpu_seconds + START_CPU_SECONDS,
            wall_seconds=limits.wall_seconds + START_WALL_SECONDS,
        )
        with tempfile.TemporaryDirectory(prefix="tutor-job-") as workdir:
            return self._run_in(Path(workdir), wire.encode(request), roomy, limits)

    def _run_in(
        self, workdir: Path, payload: bytes, limits: Limits, job_limits: Limits
    ) -> RunOutcome:
        """Run under `limits` (the job's with room for the start); the
        outcome is told in the job's own (`job_limits`)."""
        pipes = {name: os.pipe() for name in PIPES}
        theirs = [pipes["job"][0], *(pipes[name][1] for name in OUTPUTS)]
        bootstrap = (
            f"import sys; sys.path.insert(0, {str(PROJECT_ROOT)!r}); "
            "from engine.sandbox import child; sys.path.pop(0); "
            f"child.main({pipes['result'][1]}, {MAX_JOB_BYTES})"
        )
        started = time.monotonic()
        try:
            process = subprocess.Popen(
                [sys.executable, "-I", "-c", bootstrap],
                stdin=pipes["job"][0],
                stdout=pipes["stdout"][1],
                stderr=pipes["stderr"][1],
                pass_fds=(pipes["result"][1],),
                cwd=workdir,
                env={"PATH": "/usr/bin:/bin", "HOME": str(workdir), "LANG": "C.UTF-8"},
                start_new_session=True,
                preexec_fn=lambda: _apply_rlimits(limits),
            )
        except BaseException:
            protocol.close_all([pipes["job"][1], *(pipes[name][0] for name in OUTPUTS)])
            raise
        finally:
            protocol.close_all(theirs)
        channels = Channels(
            process.pid,
            pipes["job"][1],
            {name: pipes[name][0] for name in OUTPUTS},
            _pidfd(process.pid),
        )
        try:
            collected = collect(channels, payload, limits, started, cases=0)
        except BaseException:
            # Interrupted (e.g. by the task's soft time limit): leave nothing behind.
            _kill_group(process)
            process.wait()
            raise
        finally:
            channels.close()
        _kill_group(process)  # whatever the job started and left running
        return _outcome(process, collected, limits, job_limits, started)


def _apply_rlimits(limits: Limits) -> None:
    cpu = max(1, int(limits.cpu_seconds + 0.999))
    memory = (limits.memory_mb + ADDRESS_SPACE_SLACK_MB) * 1024 * 1024
    file_size = limits.file_size_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _pidfd(pid: int) -> int | None:
    """A descriptor that turns readable when the child exits (None where the
    kernel has none: the collector then watches /proc)."""
    with contextlib.suppress(AttributeError, OSError):
        return os.pidfd_open(pid)
    return None


def _outcome(
    process: subprocess.Popen[bytes],
    collected: Collected,
    limits: Limits,
    job_limits: Limits,
    started: float,
) -> RunOutcome:
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    finished = Finished(
        exit_code=process.returncode,
        result=bytes(collected.buffers["result"]),
        stdout=collected.text("stdout"),
        stderr=collected.text("stderr"),
        wall_ms=(time.monotonic() - started) * 1000,
        cpu_ms=(usage.ru_utime + usage.ru_stime) * 1000,
        timed_out=collected.timed_out,
        result_overflow=collected.result_overflow,
        isolation=LAYERS,
        missing_isolation=MISSING,
    )
    # Judged under the limits it ran under (its CPU time includes the start),
    # told in the job's: the CPU limit the student's code had, and the wall
    # clock it was stopped at.
    told = replace(job_limits, wall_seconds=limits.wall_seconds)
    return outcome_from(finished, limits, told)
