"""Entry point of a child started as a fresh interpreter (the subprocess runner).

Reads one wire-encoded job from stdin (after its 8-byte little-endian length,
as `engine.sandbox.collect` writes it), runs it, writes the wire-encoded reply
to the result descriptor named on the command line, and exits without running
any of the student's exit hooks.
"""

from __future__ import annotations

import io
import math
import os
import resource
import sys
from pathlib import Path

from engine.sandbox import runtime, wire


def main(result_fd: int, max_job_bytes: int) -> None:
    header = sys.stdin.buffer.read(8)
    size = int.from_bytes(header, "little") if len(header) == 8 else 0
    payload = sys.stdin.buffer.read(min(size, max_job_bytes + 1))
    request = wire.decode(payload, max_bytes=max_job_bytes)
    sys.stdin = io.TextIOWrapper(io.BytesIO(b""))
    threads = int(request.get("torch_threads", 1))
    os.environ.clear()
    os.environ.update({"OMP_NUM_THREADS": str(threads), "HOME": str(Path.cwd())})
    runtime.load_torch(threads)
    _start_cpu_budget(float(request.get("cpu_seconds", 0)))
    reply = runtime.run_job(request)
    try:
        payload = wire.encode(reply)
    except wire.WireError as exc:
        payload = wire.encode(
            {"status": "import_error", "error": f"unsendable result: {exc}"}
        )
    sys.stdout.flush()
    sys.stderr.flush()
    view = memoryview(payload)
    while view:
        written = os.write(result_fd, view)
        view = view[written:]
    os._exit(0)


def _start_cpu_budget(seconds: float) -> None:
    """The job's CPU limit counts from here: the parent's limit left room for
    starting Python and importing torch; this lowers it to what is used so
    far plus the job's own limit (a process may lower its limits, never
    raise them, and the student's code runs after this)."""
    if seconds <= 0:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = max(1, math.ceil(usage.ru_utime + usage.ru_stime + seconds))
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))
    else:
        soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, min(soft + 1, hard)))
