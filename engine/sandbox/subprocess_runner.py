"""The fallback runner: one fresh interpreter per job, with kernel resource limits.

It keeps the same boundary as the warm sandbox (job in, outputs out as data,
comparison in the caller) but offers fewer isolation layers; the outcome lists
those that were missing so that a report never claims more than it had.
"""

from __future__ import annotations

import contextlib
import os
import resource
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from engine.sandbox import wire
from engine.sandbox.outcome import Finished, outcome_from
from engine.sandbox.types import Job, Limits, RunOutcome

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MAX_JOB_BYTES = 64 * 1024 * 1024
# torch reserves a large address-space range at import; the AS limit must leave
# room for it on top of the job's memory budget.
ADDRESS_SPACE_SLACK_MB = 1536

LAYERS = ("resource limits", "own process group", "scrubbed environment", "fresh cwd")
MISSING = ("network namespace", "mount namespace", "dropped privileges", "seccomp")


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
        }
        with tempfile.TemporaryDirectory(prefix="tutor-job-") as workdir:
            return self._run_in(Path(workdir), wire.encode(request), limits)

    def _run_in(self, workdir: Path, payload: bytes, limits: Limits) -> RunOutcome:
        job_file = workdir / ".job"
        job_file.write_bytes(payload)
        read_fd, write_fd = os.pipe()
        bootstrap = (
            f"import sys; sys.path.insert(0, {str(PROJECT_ROOT)!r}); "
            "from engine.sandbox import child; sys.path.pop(0); "
            f"child.main({write_fd}, {MAX_JOB_BYTES})"
        )
        started = time.monotonic()
        with job_file.open("rb") as stdin:
            job_file.unlink()
            process = subprocess.Popen(
                [sys.executable, "-I", "-c", bootstrap],
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(write_fd,),
                cwd=workdir,
                env={"PATH": "/usr/bin:/bin", "HOME": str(workdir), "LANG": "C.UTF-8"},
                start_new_session=True,
                preexec_fn=lambda: _apply_rlimits(limits),
            )
        os.close(write_fd)
        try:
            streams = _collect(process, read_fd, limits, started)
        except BaseException:
            # Interrupted (e.g. by the task's soft time limit): leave nothing behind.
            _kill_group(process)
            process.wait()
            raise
        return _outcome(process, streams, limits, started)


def _apply_rlimits(limits: Limits) -> None:
    cpu = max(1, int(limits.cpu_seconds + 0.999))
    memory = (limits.memory_mb + ADDRESS_SPACE_SLACK_MB) * 1024 * 1024
    file_size = limits.file_size_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class _Streams:
    def __init__(self) -> None:
        self.stdout = bytearray()
        self.stderr = bytearray()
        self.result = bytearray()
        self.timed_out = False
        self.result_overflow = False
        self.output_truncated = False


def _collect(
    process: subprocess.Popen[bytes], result_fd: int, limits: Limits, started: float
) -> _Streams:
    """Drain stdout, stderr and the result pipe under caps until the job ends."""
    streams = _Streams()
    assert process.stdout is not None and process.stderr is not None
    targets = {
        process.stdout.fileno(): streams.stdout,
        process.stderr.fileno(): streams.stderr,
        result_fd: streams.result,
    }
    selector = selectors.DefaultSelector()
    for fd in targets:
        os.set_blocking(fd, False)
        selector.register(fd, selectors.EVENT_READ)
    deadline = started + limits.wall_seconds
    exited_at: float | None = None
    while selector.get_map():
        now = time.monotonic()
        if now >= deadline:
            streams.timed_out = True
            break
        if exited_at is None and _has_exited(process.pid):
            exited_at = now
        if exited_at is not None and now - exited_at > 0.5:
            break  # a leftover process holds a pipe open; stop waiting for it
        for key, _ in selector.select(timeout=0.05):
            fd = int(key.fd)
            chunk = os.read(fd, 65536)
            if not chunk:
                selector.unregister(fd)
                continue
            buffer = targets[fd]
            cap = limits.result_bytes if fd == result_fd else limits.output_bytes
            room = cap - len(buffer)
            if len(chunk) > room:
                if fd == result_fd:
                    streams.result_overflow = True
                    _kill_group(process)
                    return streams
                streams.output_truncated = True
            buffer.extend(chunk[: max(room, 0)])
    _kill_group(process)
    selector.close()
    os.close(result_fd)
    return streams


def _has_exited(pid: int) -> bool:
    """Whether the child has ended, without reaping it (wait4 reaps it later,
    collecting its resource usage)."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _outcome(
    process: subprocess.Popen[bytes], streams: _Streams, limits: Limits, started: float
) -> RunOutcome:
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    finished = Finished(
        exit_code=process.returncode,
        result=bytes(streams.result),
        stdout=_text(streams.stdout, streams.output_truncated),
        stderr=_text(streams.stderr, False),
        wall_ms=(time.monotonic() - started) * 1000,
        cpu_ms=(usage.ru_utime + usage.ru_stime) * 1000,
        timed_out=streams.timed_out,
        result_overflow=streams.result_overflow,
        isolation=LAYERS,
        missing_isolation=MISSING,
    )
    return outcome_from(finished, limits)


def _text(data: bytearray, truncated: bool) -> str:
    text = data.decode("utf-8", errors="replace")
    if truncated:
        text += "\n… (output truncated)"
    return text
