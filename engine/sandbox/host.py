"""The warm sandbox host: a process that imported torch and NumPy once and
forks one child per job.

It is started by the trusted worker (or forked by the worker's zygote,
`engine.sandbox.zygote`) with an empty environment and no file descriptor
but its control socket, and never imports Django, the engine's
references or anything holding a secret: whatever the host holds, a child
could read. For the same reason it never sees a job: no source, case,
reference, result or printed line ever passes through its memory, so the next
child, forked from it, cannot find one there (freed memory is not zeroed).

Per job, the worker asks for a child ("start", with the limits the job's
cgroup needs); the host takes the oldest of the spare children it forked
ahead (`SPARES` of them, forked while no request waits), sets those limits
and hands the worker the child's pipes over the socket (SCM_RIGHTS), closing
its own copies. The worker writes the request into the child's job pipe and
reads the outputs itself. It then says whether the result was delivered
("finish"); the host kills everything the job started, collects its exit
status, CPU time and cgroup memory events, and replies with those facts
only. Each child isolates itself (`engine.sandbox.isolation`, which knows of
the host only its `engine.sandbox.slot.Slot`) before loading the submission.

Messages on the control socket are an 8-byte length and a wire payload.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import select
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.sandbox import cgroups, isolation, kernel, runtime, seccomp_filter, wire
from engine.sandbox.protocol import close_all, receive, send
from engine.sandbox.slot import (
    Slot,
    claim_uid,
    prepare_root_dir,
    processes_of_uid,
    state_dir,
)

log = logging.getLogger("engine.sandbox.host")


MAX_MESSAGE_BYTES = 64 * 1024  # control messages only: limits and flags
# A spare's cgroup until its job sets the real limits.
SPARE_MEMORY_BYTES = 512 * 1024 * 1024
SPARE_PROCESSES = 4
MAX_PENDING = 4  # finished jobs whose teardown may still be under way
# Children kept forked and set up ahead: a grading runs its visible cases,
# then its hidden ones, in two children one right after the other, so the
# second must not wait for a fork and a set-up either (about 10 ms of each
# grading of the benchmark's LSTM cell).
SPARES = 2
OUTPUTS = ("stdout", "stderr", "result", "progress")


@dataclass
class Spare:
    """A child forked ahead of its job, set up and waiting for a request.
    The host holds the pipes' other ends only until it hands them over."""

    pid: int
    outputs: dict[str, int]  # read ends: stdout, stderr, result, progress
    job_fd: int  # write end: the worker writes the request here
    group: cgroups.JobGroup | None

    def release_pipes(self) -> None:
        close_all([self.job_fd, *self.outputs.values()] if self.job_fd >= 0 else [])
        self.job_fd, self.outputs = -1, {}


class Host:
    def __init__(self) -> None:
        self.jobs = 0
        state = state_dir()
        uid, self._uid_lock = claim_uid(state)
        self.hierarchy = cgroups.find_hierarchy() if os.geteuid() == 0 else None
        root_dir = prepare_root_dir(state, uid)
        self.slot = Slot(uid, root_dir, seccomp_filter.build())
        self.layers = isolation.probe(self.slot, cgroup=self.hierarchy is not None)
        self.spares: list[Spare] = []  # the oldest first: the first set up
        self.current: Spare | None = None  # the child of the job under way
        self.pending: list[Spare] = []  # children and cgroups of finished jobs
        missing = isolation.missing_layers(self.layers)
        if missing:
            log.warning("sandbox layers unavailable here: %s", ", ".join(missing))

    def describe(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "uid": self.slot.uid,
            "layers": list(isolation.applied_layers(self.layers)),
            "missing": list(isolation.missing_layers(self.layers)),
        }

    def fork_spare(self) -> None:
        """Fork a job's child now, so its fork and set-up cost nothing when
        the job arrives."""
        self.jobs += 1
        group = None
        if self.hierarchy is not None:
            group = cgroups.create(
                self.hierarchy,
                f"job-{os.getpid()}-{self.jobs}",
                memory_bytes=SPARE_MEMORY_BYTES,
                processes=SPARE_PROCESSES,
            )
        pipes = {name: os.pipe() for name in OUTPUTS}
        job_read, job_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(job_write)
            for read_end, _ in pipes.values():
                os.close(read_end)
            isolation.run_spare(self.slot, self.layers, pipes, job_read, group)
        os.close(job_read)
        for _, write_end in pipes.values():
            os.close(write_end)
        outputs = {name: read_end for name, (read_end, _) in pipes.items()}
        self.spares.append(Spare(pid, outputs, job_write, group))

    def wants_spares(self) -> bool:
        return len(self.spares) < SPARES

    def start(self, limits: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
        """Give the spare child to a job: its cgroup gets the job's limits,
        and the worker gets its pipes (and a pidfd), in `protocol.CHANNELS`
        order. The caller sends them, then closes them."""
        if self.current is not None:
            self.abort()  # the worker never finished the last job
        self.finish_pending(wait=False)
        if not self.spares:
            self.fork_spare()
        spare = self.spares.pop(0)
        self.current = spare
        if spare.group is not None:
            cgroups.set_limits(
                spare.group,
                memory_bytes=int(limits["memory_mb"]) * 1024 * 1024,
                processes=int(limits["processes"]),
            )
        fds = [spare.job_fd, *(spare.outputs[name] for name in OUTPUTS)]
        with contextlib.suppress(AttributeError, OSError):  # no pidfds here
            fds.append(os.pidfd_open(spare.pid))
        spare.job_fd, spare.outputs = -1, {}  # from now on the caller's to close
        return {"pid": spare.pid}, fds

    def finish(self, *, delivered: bool) -> tuple[dict[str, Any], Callable[[], None]]:
        """End the job under way; return the reply and the clean-up still to do.

        A child that delivered its result and closed its pipes is done: its
        exit status adds nothing, so the reply goes back at once. Tearing down
        the torch-sized child, killing what it left, removing its cgroup and
        forking the next spare happen after the reply is sent, while the
        worker compares outputs. Otherwise the job is killed and reaped first.
        """
        spare = self.current
        if spare is None:
            raise RuntimeError("no job under way")
        reply: dict[str, Any] = {
            "exit": 0,
            "cpu_ms": _cpu_ms(spare.pid),  # read by this host, not told by the child
            "memory_limit_hit": False,
        }
        if not delivered:
            reply = _end(spare)  # if this fails, `abort` kills what is left
        self.current, reaped = None, not delivered
        reply["host_rss_kb"] = _rss_kb()

        def clean_up() -> None:
            # Kill whatever the job left; reaping it and removing its cgroup
            # wait for the next round, and so does a new spare while one is
            # ready (`main` forks it when no request waits).
            if reaped:
                spare.pid = -1  # never signal a pid that may be reused
            self._kill_job(spare)
            self.pending.append(spare)
            if not self.spares:
                self.fork_spare()
            self.finish_pending(wait=len(self.pending) > MAX_PENDING)

        return reply, clean_up

    def abort(self) -> None:
        """Kill the job under way, if any (its worker is gone or failed)."""
        spare, self.current = self.current, None
        if spare is not None:
            spare.release_pipes()
            self._kill_job(spare)
            self.pending.append(spare)

    def _kill_job(self, spare: Spare) -> None:
        if spare.group is not None:
            spare.group.signal_all(signal.SIGKILL)
        if spare.pid > 0:
            _kill_group(spare.pid)
        if self.hierarchy is None:
            self._kill_slot_processes()  # without a cgroup, find them by uid

    def finish_pending(self, *, wait: bool) -> None:
        """Reap finished jobs' children and remove their emptied cgroups."""
        still = []
        for job in self.pending:
            if job.pid > 0:
                try:
                    done, _ = os.waitpid(job.pid, 0 if wait else os.WNOHANG)
                except ChildProcessError:
                    done = job.pid
                if done == 0:
                    still.append(job)
                    continue
                job.pid = -1
            if job.group is not None and not job.group.try_remove():
                if wait:
                    job.group.remove()
                else:
                    still.append(job)
                    continue
        self.pending = still
        reap_orphans()

    def close(self) -> None:
        self.abort()
        self.finish_pending(wait=True)
        spares, self.spares = self.spares, []
        for spare in spares:
            spare.release_pipes()  # end of file: the spare exits without a job
            with contextlib.suppress(ProcessLookupError):
                os.kill(spare.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(spare.pid, 0)
            if spare.group is not None:
                spare.group.remove()

    def _kill_slot_processes(self) -> None:
        """Kill any process still running as this host's uid (a job that
        escaped its process group and, without cgroups, its accounting)."""
        if os.geteuid() != 0:
            return
        for _ in range(20):
            victims = processes_of_uid(self.slot.uid)
            if not victims:
                return
            for pid in victims:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            reap_orphans()
            time.sleep(0.002)


def _end(spare: Spare) -> dict[str, Any]:
    """Kill a job that did not deliver, reap its child, and say how it ended."""
    if spare.group is not None:
        spare.group.kill_all()
    _kill_group(spare.pid)
    try:
        _, status, usage = os.wait4(spare.pid, 0)
    except ChildProcessError:  # a spare that died in set-up, reaped as an orphan
        return {"exit": -signal.SIGKILL, "cpu_ms": -1.0, "memory_limit_hit": False}
    return {
        "exit": os.waitstatus_to_exitcode(status),
        "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000,
        "memory_limit_hit": bool(spare.group and spare.group.hit_memory_limit()),
    }


def _kill_group(pid: int) -> None:
    """The child leads its own session and process group."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def reap_orphans() -> None:
    """The host is a child subreaper: orphans of jobs end up here; reap them."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _cpu_ms(pid: int) -> float:
    """The CPU time a live (or not yet reaped) child has used so far, from
    /proc; -1 when it cannot be read."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime
        return ticks * 1000 / os.sysconf("SC_CLK_TCK")
    return -1.0


def _rss_kb() -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _serve(host: Host, message: Any) -> tuple[dict[str, Any], list[int], Any]:
    """One control message: (reply, descriptors to send, clean-up or None)."""
    if not isinstance(message, dict):
        raise ValueError("malformed control message")
    if isinstance(message.get("start"), dict):
        reply, fds = host.start(message["start"])
        return reply, fds, None
    if isinstance(message.get("finish"), dict):
        reply, clean_up = host.finish(
            delivered=message["finish"].get("delivered") is True
        )
        return reply, [], clean_up
    raise ValueError("unknown control message")


def main(control_fd: int) -> None:
    """Serve jobs on the control socket until it closes."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s sandbox-host: %(message)s"
    )
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # a dead pipe: EPIPE, not death
    kernel.set_name("sandbox-host")
    with contextlib.suppress(OSError):
        kernel.prctl(kernel.PR_SET_CHILD_SUBREAPER, 1)
        kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)
    sock = socket.socket(fileno=control_fd)
    host = Host()
    host.fork_spare()
    send(sock, wire.encode({"ready": True, **host.describe()}))
    waiting = select.poll()
    waiting.register(sock, select.POLLIN)
    while True:
        # Fork the spares still wanted while no request waits: a request
        # that came meanwhile is served first, from the spare that is ready.
        while host.wants_spares() and not waiting.poll(0):
            host.fork_spare()
        payload = receive(sock, MAX_MESSAGE_BYTES)
        if payload is None:  # the worker is gone, or gave up on this job
            host.close()
            return
        fds: list[int] = []
        clean_up = None
        try:
            reply, fds, clean_up = _serve(
                host, wire.decode(payload, max_bytes=MAX_MESSAGE_BYTES)
            )
        except Exception as exc:  # report, keep serving
            log.exception("the host failed")
            host.abort()
            reply = {"host_error": f"{type(exc).__name__}: {exc}"}
        try:
            send(sock, wire.encode(reply), fds)
        finally:
            close_all(fds)  # the worker's now; the host keeps no end of them
        if clean_up is not None:
            clean_up()


def preload(torch_threads: int = 1, *, compiler: bool = True) -> None:
    """What every job may use, imported once: the forked children share it
    (without `compiler`, all but torch's compiler stack: `runtime.load_torch`)."""
    runtime.load_torch(torch_threads, compiler=compiler)
    runtime.index_namespaces()
    # Everything imported so far moves to the permanent generation: a child's
    # garbage collections then never walk (and so never copy) the host's pages.
    gc.collect()
    gc.freeze()


def exit_now() -> None:
    """End a host or zygote whose loop has returned: logs flushed, no
    interpreter teardown (it would only free what the exit frees anyway)."""
    logging.shutdown()
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(0)
