"""Turning what a finished child left behind into a `RunOutcome`.

Shared by both runners. The child's result bytes are decoded here, in the
trusted process, under the job's size cap; nothing is ever unpickled.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from typing import Any

from engine.sandbox import wire
from engine.sandbox.types import Limits, RunOutcome

_CHILD_STATUSES = {
    "ok",
    "syntax_error",
    "missing_entry_point",
    "wrong_signature",
    "import_error",
}


class SandboxError(RuntimeError):
    """The sandbox itself failed (not the submission): an infrastructure fault."""


@dataclass(frozen=True)
class Finished:
    """Raw facts about a finished job, however it was run."""

    exit_code: int  # negative: killed by that signal
    result: bytes
    stdout: str
    stderr: str
    wall_ms: float
    cpu_ms: float
    timed_out: bool = False
    result_overflow: bool = False
    memory_limit_hit: bool = False
    isolation: tuple[str, ...] = ()
    missing_isolation: tuple[str, ...] = ()


def outcome_from(
    finished: Finished, limits: Limits, told: Limits | None = None
) -> RunOutcome:
    """What the run came to, judged against the `limits` it ran under and
    told in `told` (the job's own limits, where a runner added room for its
    own start: engine/sandbox/subprocess_runner.py)."""
    told = told or limits
    base = RunOutcome(
        "crashed",
        stdout=finished.stdout,
        stderr=finished.stderr,
        wall_ms=finished.wall_ms,
        cpu_ms=finished.cpu_ms,
        isolation=finished.isolation,
        missing_isolation=finished.missing_isolation,
    )
    if finished.result_overflow:
        mib = told.result_bytes // 1024 // 1024
        return _with(base, "output_limit", f"the returned values exceed {mib} MiB")
    signum = -finished.exit_code if finished.exit_code < 0 else 0
    cpu_exceeded = (
        signum == signal.SIGXCPU or finished.cpu_ms >= limits.cpu_seconds * 1000
    )
    if finished.memory_limit_hit and not finished.result:
        return _with(
            base, "memory_limit", f"memory limit exceeded ({told.memory_mb} MiB)"
        )
    if finished.timed_out or (signum and cpu_exceeded):
        return _with(base, "time_limit", _time_message(told, cpu_exceeded))
    if not finished.result:
        return _with(base, "no_result", _no_result_message(finished.exit_code))
    try:
        reply = wire.decode(finished.result, max_bytes=limits.result_bytes)
    except wire.WireError as exc:
        return _with(base, "crashed", f"the child sent malformed data: {exc}")
    return _from_reply(reply, base)


def _from_reply(reply: Any, base: RunOutcome) -> RunOutcome:
    status = reply.get("status") if isinstance(reply, dict) else None
    if status == "sandbox_error":
        raise SandboxError(f"sandbox set-up failed:\n{reply.get('error', '')}")
    if status not in _CHILD_STATUSES:
        return _with(base, "crashed", "the child sent an unexpected reply")
    if status == "ok":
        results = reply.get("results")
        if not isinstance(results, list) or not all(
            isinstance(r, dict) for r in results
        ):
            return _with(base, "crashed", "the child sent malformed results")
        return RunOutcome(**{**base.__dict__, "status": "ok", "results": results})
    return RunOutcome(
        **{
            **base.__dict__,
            "status": status,
            "error": str(reply.get("error", "")),
            "line": _int(reply.get("line")),
            "column": _int(reply.get("column")),
        }
    )


def _int(value: Any) -> int:
    return value if type(value) is int else 0


def _with(base: RunOutcome, status: Any, error: str) -> RunOutcome:
    return RunOutcome(**{**base.__dict__, "status": status, "error": error})


def _time_message(limits: Limits, cpu_exceeded: bool) -> str:
    if cpu_exceeded:
        return f"time limit exceeded: more than {limits.cpu_seconds:g} s of CPU time"
    return f"time limit exceeded after {limits.wall_seconds:g} s"


_SIGNALS = {
    signal.SIGSEGV: "a segmentation fault",
    signal.SIGBUS: "a bus error",
    signal.SIGXFSZ: "the file size limit",
    signal.SIGABRT: "an abort",
    signal.SIGFPE: "a floating-point exception",
}


def _no_result_message(exit_code: int) -> str:
    if exit_code < 0:
        number = -exit_code
        name = _SIGNALS.get(signal.Signals(number), signal.Signals(number).name)
        return f"the process was killed by {name} before returning its results"
    return f"the process exited (code {exit_code}) before returning its results"
