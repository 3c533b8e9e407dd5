"""The trusted side of the warm sandbox: start, feed, watch and recycle hosts.

A host is started with an empty environment (no secret, no database or broker
address) and only its end of a socket pair, then imports torch once. Each job
goes to an idle host; a host that dies is replaced, one that has served
`max_jobs` jobs or grown past `max_rss_mb` is retired. Hosts belong to the
process that started them: after a fork (Celery's prefork pool), the child
starts its own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from engine.sandbox import protocol, wire
from engine.sandbox.outcome import Finished, SandboxError, outcome_from
from engine.sandbox.types import Job, Limits, RunOutcome

log = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120.0
MAX_REPLY_BYTES = 256 * 1024 * 1024


class HostProcess:
    """One running sandbox host and the socket to it."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        bootstrap = (
            f"import sys; sys.path.insert(0, {str(PROJECT_ROOT)!r}); "
            "from engine.sandbox import host; sys.path.pop(0); "
            f"host.preload(); host.main({theirs.fileno()})"
        )
        environment = {
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
        }
        if "TUTOR_SANDBOX_DIR" in os.environ:
            environment["TUTOR_SANDBOX_DIR"] = os.environ["TUTOR_SANDBOX_DIR"]
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", bootstrap],
            env=environment,
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            cwd="/",
        )
        theirs.close()
        self.sock = ours
        self.owner = os.getpid()
        self.jobs = 0
        self.rss_kb = 0
        hello = self._receive(START_TIMEOUT)
        self.layers: tuple[str, ...] = tuple(hello.get("layers", ()))
        self.missing: tuple[str, ...] = tuple(hello.get("missing", ()))
        self.uid = hello.get("uid")

    def run(
        self,
        request: dict[str, Any],
        timeout: float,
        on_progress: Callable[[int], None] | None = None,
    ) -> dict[str, Any]:
        self.sock.settimeout(timeout)
        protocol.send(self.sock, wire.encode(request))
        deadline = time.monotonic() + timeout
        while True:
            reply = self._receive(max(0.1, deadline - time.monotonic()))
            if "progress" not in reply:
                break
            if on_progress is not None and type(reply["progress"]) is int:
                on_progress(reply["progress"])
        self.jobs += 1
        self.rss_kb = int(reply.get("host_rss_kb", 0))
        return reply

    def _receive(self, timeout: float) -> dict[str, Any]:
        self.sock.settimeout(timeout)
        payload = protocol.receive(self.sock, MAX_REPLY_BYTES)
        if payload is None:
            raise SandboxError("the sandbox host closed its socket")
        reply = wire.decode(payload, max_bytes=MAX_REPLY_BYTES)
        if not isinstance(reply, dict):
            raise SandboxError("the sandbox host sent a malformed reply")
        return reply

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        if self.owner != os.getpid():
            return  # another process's host: leave it to its owner
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class WarmSandboxRunner:
    """Runs each job in a child forked from a warm, torch-loaded host."""

    def __init__(self, *, max_jobs: int = 1000, max_rss_mb: int = 1536) -> None:
        self.max_jobs = max_jobs
        self.max_rss_kb = max_rss_mb * 1024
        self._idle: list[HostProcess] = []
        self._lock = threading.Lock()

    def run(
        self, job: Job, limits: Limits, on_progress: Callable[[int], None] | None = None
    ) -> RunOutcome:
        request = {
            "source": job.source,
            "entry_point": job.entry_point,
            "cases": job.cases,
            "forbidden": list(job.forbidden),
            "limits": _limits_dict(limits),
        }
        timeout = limits.wall_seconds + 30
        for attempt in (1, 2):
            host = self._acquire()
            try:
                reply = host.run(request, timeout, on_progress)
            except (OSError, SandboxError, ValueError, wire.WireError) as exc:
                host.close()
                if attempt == 2:
                    raise SandboxError(f"the sandbox host failed twice: {exc}") from exc
                log.warning("sandbox host failed (%s); starting a new one", exc)
                continue
            except BaseException:
                # Interrupted mid-job (the task's soft time limit): the host's
                # socket is mid-message, so this host cannot be reused.
                host.close()
                raise
            self._release(host)
            if "host_error" in reply:
                raise SandboxError(reply["host_error"])
            return outcome_from(_finished(reply), limits)
        raise AssertionError("unreachable")

    def isolation(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(layers applied, layers missing) on this machine."""
        host = self._acquire()
        self._release(host)
        return host.layers, host.missing

    def hosts(self) -> list[tuple[int, int | None]]:
        """(pid, sandbox uid) of each idle host, for monitoring and tests."""
        with self._lock:
            return [(host.process.pid, host.uid) for host in self._idle]

    def close(self) -> None:
        with self._lock:
            hosts, self._idle = self._idle, []
        for host in hosts:
            host.close()

    def warm(self) -> None:
        """Start a host now, ahead of the first job, so that the first student
        does not wait for torch. Call it from the thread that will keep
        running: a host dies with the thread that started it (its parent-death
        signal follows the thread, not the process)."""
        self._release(self._acquire())

    def _acquire(self) -> HostProcess:
        with self._lock:
            while self._idle:
                host = self._idle.pop()
                if host.owner == os.getpid() and host.alive():
                    return host
                host.close()
        return HostProcess()

    def _release(self, host: HostProcess) -> None:
        if (
            host.jobs >= self.max_jobs
            or host.rss_kb > self.max_rss_kb
            or not host.alive()
        ):
            host.close()
            return
        with self._lock:
            self._idle.append(host)


def _limits_dict(limits: Limits) -> dict[str, Any]:
    return {
        "cpu_seconds": limits.cpu_seconds,
        "wall_seconds": limits.wall_seconds,
        "memory_mb": limits.memory_mb,
        "processes": limits.processes,
        "file_size_mb": limits.file_size_mb,
        "open_files": limits.open_files,
        "output_bytes": limits.output_bytes,
        "result_bytes": limits.result_bytes,
        "tmpfs_mb": limits.tmpfs_mb,
        "torch_threads": limits.torch_threads,
    }


def _finished(reply: dict[str, Any]) -> Finished:
    result = reply.get("result")
    return Finished(
        exit_code=int(reply["exit"]),
        result=result.tobytes() if isinstance(result, np.ndarray) else b"",
        stdout=_truncated(
            str(reply.get("stdout", "")), bool(reply.get("output_truncated"))
        ),
        stderr=str(reply.get("stderr", "")),
        wall_ms=float(reply.get("wall_ms", 0.0)),
        cpu_ms=float(reply.get("cpu_ms", 0.0)),
        timed_out=bool(reply.get("timed_out")),
        result_overflow=bool(reply.get("result_overflow")),
        memory_limit_hit=bool(reply.get("memory_limit_hit")),
        isolation=tuple(reply.get("layers", ())),
        missing_isolation=tuple(reply.get("missing", ())),
    )


def _truncated(text: str, truncated: bool) -> str:
    return text + "\n… (output truncated)" if truncated else text
