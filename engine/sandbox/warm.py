"""The trusted side of the warm sandbox: start, feed, watch and recycle hosts.

A host is started with an empty environment (no secret, no database or broker
address) and only its end of a socket pair, then imports torch once. Each job
goes to an idle host, which hands over a spare child's pipes; the request goes
into the child and its outputs come back here, never through the host (see
`engine.sandbox.host`). A host that dies is replaced, one that has served
`max_jobs` jobs or grown past `max_rss_mb` is retired. Hosts belong to the
process that started them: after a fork (Celery's prefork pool), the child
starts its own. Where a zygote runs (`start_zygote`, the Celery worker), a
new host is forked from it instead of importing torch itself, and shares the
zygote's memory (`engine.sandbox.zygote`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

from engine.sandbox import protocol, wire
from engine.sandbox.collect import OUTPUTS, Channels, Collected, collect
from engine.sandbox.launch import ForkedHost, Zygote, receive_forked, start_interpreter
from engine.sandbox.outcome import Finished, SandboxError, outcome_from
from engine.sandbox.types import Job, Limits, RunOutcome

log = logging.getLogger(__name__)
START_TIMEOUT = 120.0
CONTROL_TIMEOUT = 60.0  # a control reply: a fork, a kill, a cgroup write
CLOSE_GRACE = 5.0  # a host told to stop kills its job and exits by itself
MAX_REPLY_BYTES = 64 * 1024


class HostError(SandboxError):
    """The host reported a failure of its own, and is still in step."""


class HostProcess:
    """One running sandbox host and the socket to it. Started with
    `wait=False`, it imports torch while this process goes on; its greeting
    is read before its first job (`ready`)."""

    def __init__(
        self, *, wait: bool = True, zygote: Zygote | None = None, compiler: bool = True
    ) -> None:
        ours, theirs = socket.socketpair()
        self.process: subprocess.Popen[bytes] | ForkedHost
        try:
            if zygote is None:
                self.process = start_interpreter(
                    f"host.main({theirs.fileno()})", theirs.fileno(), compiler=compiler
                )
            else:
                zygote.request(theirs)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        if zygote is not None:
            try:
                self.process = receive_forked(ours, START_TIMEOUT)
            except BaseException:
                ours.close()
                raise
        self.sock = ours
        self.owner = os.getpid()
        self.jobs = 0
        self.rss_kb = 0
        self.layers: tuple[str, ...] = ()
        self.missing: tuple[str, ...] = ()
        self.uid: int | None = None
        self._greeted = False
        if wait:
            self.ready()

    def ready(self) -> None:
        """Wait for the host's greeting: torch imported, its layers probed."""
        if self._greeted:
            return
        hello = self._receive(START_TIMEOUT)
        self.layers = tuple(hello.get("layers", ()))
        self.missing = tuple(hello.get("missing", ()))
        self.uid = hello.get("uid")
        self._greeted = True

    def run(
        self,
        request: dict[str, Any],
        limits: Limits,
        on_progress: Callable[[int], None] | None = None,
    ) -> Finished:
        """Run one job on this host's spare child. Interrupted (the task's
        soft time limit), the child is killed and the host must be closed."""
        self.ready()
        payload = wire.encode(request)
        channels = self._start(limits)
        started = time.monotonic()
        try:
            collected = collect(
                channels,
                payload,
                limits,
                started,
                len(request["cases"]),
                on_progress,
            )
        except BaseException:
            channels.kill()
            raise
        finally:
            channels.close()
        reply = self._call({"finish": {"delivered": collected.delivered}})
        self.jobs += 1
        self.rss_kb = int(reply.get("host_rss_kb", 0))
        return self._finished(collected, reply, started)

    def _start(self, limits: Limits) -> Channels:
        start = {"memory_mb": limits.memory_mb, "processes": limits.processes}
        self.sock.settimeout(CONTROL_TIMEOUT)
        protocol.send(self.sock, wire.encode({"start": start}))
        payload, fds = protocol.receive_with_fds(
            self.sock, MAX_REPLY_BYTES, len(protocol.CHANNELS)
        )
        try:
            reply = self._decode(payload)
            pid = reply.get("pid")
            if type(pid) is not int or len(fds) < len(protocol.CHANNELS) - 1:
                raise SandboxError("the sandbox host sent no channels")
        except BaseException:
            protocol.close_all(fds)
            raise
        named = dict(zip(protocol.CHANNELS, fds, strict=False))
        return Channels(
            pid,
            named["job"],
            {name: named[name] for name in OUTPUTS},
            named.get("exit"),
        )

    def _call(self, message: dict[str, Any]) -> dict[str, Any]:
        self.sock.settimeout(CONTROL_TIMEOUT)
        protocol.send(self.sock, wire.encode(message))
        return self._receive(CONTROL_TIMEOUT)

    def _receive(self, timeout: float) -> dict[str, Any]:
        self.sock.settimeout(timeout)
        return self._decode(protocol.receive(self.sock, MAX_REPLY_BYTES))

    def _decode(self, payload: bytes | None) -> dict[str, Any]:
        if payload is None:
            raise SandboxError("the sandbox host closed its socket")
        reply = wire.decode(payload, max_bytes=MAX_REPLY_BYTES)
        if not isinstance(reply, dict):
            raise SandboxError("the sandbox host sent a malformed reply")
        if "host_error" in reply:
            raise HostError(str(reply["host_error"]))
        return reply

    def _finished(
        self, collected: Collected, reply: dict[str, Any], started: float
    ) -> Finished:
        return Finished(
            exit_code=int(reply["exit"]),
            result=bytes(collected.buffers["result"]),
            stdout=collected.text("stdout"),
            stderr=collected.text("stderr"),
            wall_ms=(time.monotonic() - started) * 1000,
            cpu_ms=float(reply.get("cpu_ms", 0.0)),
            timed_out=collected.timed_out,
            result_overflow=collected.result_overflow,
            memory_limit_hit=bool(reply.get("memory_limit_hit")),
            isolation=self.layers,
            missing_isolation=self.missing,
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        if self.owner != os.getpid():
            return  # another process's host: leave it to its owner
        if self.process.poll() is None:
            # At end of file the host kills the job under way, if any, and
            # exits; one that does not is stopped.
            try:
                self.process.wait(timeout=CLOSE_GRACE)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()


class WarmSandboxRunner:
    """Runs each job in a child forked from a warm, torch-loaded host. With
    `compiler=False` the hosts it starts itself leave torch's compiler stack
    unloaded (see `engine.sandbox.one_shot` for the only use)."""

    def __init__(
        self, *, max_jobs: int = 1000, max_rss_mb: int = 1536, compiler: bool = True
    ) -> None:
        self.compiler = compiler
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
        for attempt in (1, 2):
            host = self._acquire()
            try:
                finished = host.run(request, limits, on_progress)
            except HostError as exc:
                self._release(host)  # it answered: still in step, reusable
                raise SandboxError(str(exc)) from None
            except (OSError, SandboxError, ValueError, wire.WireError) as exc:
                host.close()
                if attempt == 2:
                    raise SandboxError(f"the sandbox host failed twice: {exc}") from exc
                log.warning("sandbox host failed (%s); starting a new one", exc)
                continue
            except BaseException:
                # Interrupted mid-job (the task's soft time limit): the child
                # is killed, and the host, whose socket may be mid-message,
                # is closed (it kills what is left of the job as it exits).
                host.close()
                raise
            self._release(host)
            return outcome_from(finished, limits)
        raise AssertionError("unreachable")

    def isolation(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(layers applied, layers missing) on this machine."""
        host = self._acquire()
        try:
            host.ready()
        except BaseException:
            host.close()
            raise
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

    def warm(self, *, wait: bool = True) -> None:
        """Start a host now, ahead of the first job, so that the first student
        does not wait for torch; with `wait=False`, return at once and let it
        import torch while this process does the same (a one-shot grading).
        Call it from the thread that will keep running: a host dies with the
        thread that started it (its parent-death signal follows the thread,
        not the process)."""
        self._release(self._acquire(wait=wait))

    def _acquire(self, *, wait: bool = True) -> HostProcess:
        with self._lock:
            while self._idle:
                host = self._idle.pop()
                if host.owner == os.getpid() and host.alive():
                    return host
                host.close()
        zygote = _ZYGOTE
        if zygote is not None and zygote.alive():
            try:
                return HostProcess(wait=wait, zygote=zygote)
            except (OSError, SandboxError, ValueError, wire.WireError) as exc:
                log.warning("the sandbox zygote gave no host (%s): starting one", exc)
        return HostProcess(wait=wait, compiler=self.compiler)

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


_ZYGOTE: Zygote | None = None


def start_zygote() -> Zygote:
    """Start the zygote that forks the hosts of this process and of every
    process forked from it from now on (the Celery worker's main process
    calls it before it forks its pool: see `engine.sandbox.zygote`). Call it
    from the thread that keeps running: the zygote dies with it."""
    global _ZYGOTE
    if _ZYGOTE is None or not _ZYGOTE.alive():
        _ZYGOTE = Zygote()
    return _ZYGOTE


def stop_zygote() -> None:
    """Stop this process's zygote, if it started one; hosts are started on
    their own again."""
    global _ZYGOTE
    zygote, _ZYGOTE = _ZYGOTE, None
    if zygote is not None:
        zygote.close()


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
