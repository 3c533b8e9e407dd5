"""Run a computation on untrusted data in a forked child under kernel limits.

Some inputs pass every syntactic check and still explode when simplified
(`exp(exp(exp(10*E)))`, `2^(20000*x)`). An alarm in the web process cannot
stop a C-level loop in sympy, so the work happens in a child with CPU-time and
address-space limits; the parent waits for a JSON answer and kills the child
when the wall clock runs out.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import select
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


class Exhausted(Exception):
    """The computation ran out of time or memory."""


def run_bounded(
    work: Callable[[], Any],
    *,
    cpu_seconds: int = 3,
    memory_mb: int = 512,
    wall_seconds: float = 5.0,
) -> Any:
    """Call `work()` in a forked child and return its (JSON-able) result."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        code = 1
        try:
            _limit(cpu_seconds, memory_mb)
            payload = json.dumps({"result": work()})
            os.write(write_end, payload.encode())
            code = 0
        except BaseException as exc:  # noqa: BLE001 - reported to the parent as data
            os.write(write_end, json.dumps({"error": type(exc).__name__}).encode())
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        data = _read_until(read_end, time.monotonic() + wall_seconds)
    finally:
        os.close(read_end)
        _stop(pid)
    if data is None:
        raise Exhausted("the check took too long")
    try:
        answer = json.loads(data)
    except ValueError:
        raise Exhausted("the check ran out of memory or time") from None
    if "error" in answer:
        if answer["error"] in {"MemoryError", "RecursionError", "Exhausted"}:
            raise Exhausted("the check ran out of memory or could not decide")
        raise RuntimeError(f"the check failed: {answer['error']}")
    return answer["result"]


def _limit(cpu_seconds: int, memory_mb: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    current = _vm_size()
    budget = current + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _vm_size() -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 2 * 1024**3


def _read_until(fd: int, deadline: float) -> bytes | None:
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            return None
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _stop(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
