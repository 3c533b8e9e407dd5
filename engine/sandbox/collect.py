"""The trusted worker's side of one job's channels: feed the child its request
and read what it sends back, under the job's caps and wall clock.

The sandbox host hands the worker the ends of a spare child's pipes and never
sees a byte of the job itself: the request goes from the worker straight into
the child's job pipe, and the child's stdout, stderr, result and progress come
straight back here. The subprocess runner makes the same pipes for a fresh
interpreter of its own (without a progress pipe) and drains them here too.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from engine.sandbox.types import Limits

OUTPUTS = ("stdout", "stderr", "result", "progress")
EXIT_GRACE = 0.2  # seconds the pipes may stay open after the child exited
WRITE_CHUNK = 1 << 16


@dataclass
class Channels:
    """The worker's ends of one child's pipes, received from the host."""

    pid: int
    job: int  # write end: the request goes here
    outputs: dict[str, int]  # read ends: stdout, stderr, result, progress
    exit: int | None = None  # a pidfd, readable once the child has exited
    closed: bool = field(default=False, init=False)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for fd in (self.job, *self.outputs.values(), self.exit):
            if fd is not None and fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def kill(self) -> None:
        """Kill the child now (the job was interrupted); the host, told or
        not, kills whatever else the job started."""
        if self.exit is not None and not self.closed:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self.exit, signal.SIGKILL)


class Collected:
    def __init__(self) -> None:
        self.buffers = {
            "stdout": bytearray(),
            "stderr": bytearray(),
            "result": bytearray(),
        }
        self.timed_out = False
        self.result_overflow = False
        self.output_truncated = False
        self.finished = False  # every output pipe reached end of file

    def text(self, name: str) -> str:
        """stdout or stderr as text; stdout ends with a mark if either was cut."""
        text = bytes(self.buffers[name]).decode("utf-8", "replace")
        if name == "stdout" and self.output_truncated:
            text += "\n… (output truncated)"
        return text

    @property
    def delivered(self) -> bool:
        """The child wrote a whole result and closed every pipe in time."""
        return (
            self.finished
            and bool(self.buffers["result"])
            and not self.timed_out
            and not self.result_overflow
        )


def collect(
    channels: Channels,
    request: bytes,
    limits: Limits,
    started: float,
    cases: int,
    on_progress: Callable[[int], None] | None = None,
) -> Collected:
    """Write `request` (length-prefixed) into the job pipe and read the
    outputs until they close, the child has exited and left them open for
    EXIT_GRACE, or the wall clock runs out. The caller closes the channels."""
    collected = Collected()
    caps = {
        "stdout": limits.output_bytes,
        "stderr": limits.output_bytes,
        "result": limits.result_bytes,
    }
    pending = memoryview(len(request).to_bytes(8, "little") + request)
    progress = _Progress(cases, on_progress)
    deadline = started + limits.wall_seconds
    exited_at: float | None = None
    selector = selectors.DefaultSelector()
    try:
        os.set_blocking(channels.job, False)
        selector.register(channels.job, selectors.EVENT_WRITE, "job")
        for name, fd in channels.outputs.items():
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_READ, name)
        if channels.exit is not None:
            selector.register(channels.exit, selectors.EVENT_READ, "exit")
        while any(key.data in OUTPUTS for key in selector.get_map().values()):
            now = time.monotonic()
            if now >= deadline:
                collected.timed_out = True
                break
            if exited_at is None and channels.exit is None and _has_exited(channels):
                exited_at = now
            if exited_at is not None and now - exited_at > EXIT_GRACE:
                break  # something the job left behind holds a pipe open
            for key, _ in selector.select(timeout=min(0.05, deadline - now)):
                name = key.data
                if name == "exit":
                    exited_at = time.monotonic()
                    selector.unregister(key.fd)
                elif name == "job":
                    pending = _feed(channels.job, pending)
                    if not pending:  # all written: the job pipe is done
                        selector.unregister(key.fd)
                        os.close(channels.job)
                        channels.job = -1
                elif not _read(key.fd, name, collected, caps, progress):
                    selector.unregister(key.fd)
                if collected.result_overflow:
                    return collected
        collected.finished = not any(
            key.data in OUTPUTS for key in selector.get_map().values()
        )
    finally:
        selector.close()
    return collected


def _feed(fd: int, pending: memoryview) -> memoryview:
    """Write what the pipe takes now; nothing is left to write if the child
    is gone (it died in set-up: its result pipe says why)."""
    try:
        return pending[os.write(fd, pending[:WRITE_CHUNK]) :]
    except BlockingIOError:
        return pending
    except BrokenPipeError:
        return pending[:0]


def _read(
    fd: int,
    name: str,
    collected: Collected,
    caps: dict[str, int],
    progress: _Progress,
) -> bool:
    """Read one chunk; False at end of file."""
    try:
        chunk = os.read(fd, 1 << 16)
    except BlockingIOError:
        return True
    if not chunk:
        return False
    if name == "progress":
        progress.add(len(chunk))
        return True
    buffer, cap = collected.buffers[name], caps[name]
    room = cap - len(buffer)
    if len(chunk) > room:
        if name == "result":
            collected.result_overflow = True
            return True
        collected.output_truncated = True
    buffer.extend(chunk[: max(room, 0)])
    return True


class _Progress:
    """One byte per finished case. The progress pipe is the child's, so
    student code can write to it: the count never passes the number of cases
    and is only reported when it grows."""

    def __init__(self, cases: int, report: Callable[[int], None] | None) -> None:
        self.cases = cases
        self.report = report
        self.bytes = 0
        self.sent = 0

    def add(self, count: int) -> None:
        self.bytes += count
        done = min(self.bytes, self.cases)
        if done > self.sent:
            self.sent = done
            if self.report is not None:
                self.report(done)


def _has_exited(channels: Channels) -> bool:
    """Without a pidfd: the child (the host's or the subprocess runner's,
    unreaped until the job is finished, so its pid cannot be reused) is a
    zombie or gone."""
    try:
        with open(f"/proc/{channels.pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in (b"Z", b"X")
