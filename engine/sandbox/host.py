"""The warm sandbox host: a process that imported torch and NumPy once and
forks one child per job.

It is started by the trusted worker with an empty environment and no file
descriptor but its control socket, and never imports Django, the engine's
references or anything holding a secret: whatever the host holds, a child
could read. It never runs student code itself; each child isolates itself
(`engine.sandbox.isolation`) before loading the submission. The host enforces
the wall clock, collects the child's output under caps, kills everything the
job started and reports back. It relays the child's result bytes without
decoding them: only the trusted worker decodes, under its own caps.

Messages on the control socket are an 8-byte length and a wire payload.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import logging
import os
import selectors
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.sandbox import cgroups, isolation, kernel, runtime, seccomp_filter, wire
from engine.sandbox.protocol import receive, send

log = logging.getLogger("engine.sandbox.host")


def _state_dir() -> Path:
    """Where hosts keep uid locks and mount points: root-only, never a path an
    unprivileged user could have planted (a symlink in /tmp, say)."""
    configured = os.environ.get("TUTOR_SANDBOX_DIR")
    if configured:
        path = Path(configured)
    elif os.geteuid() == 0:
        path = Path("/run/tutor-sandbox")
    else:
        path = Path.home() / ".cache" / "tutor-sandbox"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = path.lstat()
    if path.is_symlink() or info.st_uid != os.geteuid() or info.st_mode & 0o077:
        raise RuntimeError(
            f"{path} must be a directory owned by this user with mode 0700"
        )
    return path


FIRST_UID, UID_COUNT = 61000, 64
MAX_REQUEST_BYTES = 64 * 1024 * 1024
# A spare's cgroup until its job sets the real limits.
SPARE_MEMORY_BYTES = 512 * 1024 * 1024
SPARE_PROCESSES = 4
MAX_PENDING = 4  # finished jobs whose teardown may still be under way


@dataclass
class Spare:
    """A child forked ahead of its job, set up and waiting for a request."""

    pid: int
    outputs: dict[str, int]  # read ends: stdout, stderr, result
    job_fd: int  # write end: the request goes here
    group: cgroups.JobGroup | None


class Host:
    def __init__(self) -> None:
        self.jobs = 0
        self.state_dir = _state_dir()
        self.uid, self._uid_lock = _claim_uid(self.state_dir)
        self.hierarchy = cgroups.find_hierarchy() if os.geteuid() == 0 else None
        self.seccomp = seccomp_filter.build()
        self.root_dir = _prepare_root_dir(self.state_dir, self.uid)
        self.layers = isolation.probe(self)
        self.spare: Spare | None = None
        self.pending: list[Spare] = []  # children and cgroups of finished jobs
        missing = isolation.missing_layers(self.layers)
        if missing:
            log.warning("sandbox layers unavailable here: %s", ", ".join(missing))

    def describe(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "uid": self.uid,
            "layers": list(isolation.applied_layers(self.layers)),
            "missing": list(isolation.missing_layers(self.layers)),
        }

    def fork_spare(self) -> None:
        """Fork the next job's child now, so its fork and set-up cost nothing
        when the job arrives."""
        if self.spare is not None:
            return
        self.jobs += 1
        group = None
        if self.hierarchy is not None:
            group = cgroups.create(
                self.hierarchy,
                f"job-{os.getpid()}-{self.jobs}",
                memory_bytes=SPARE_MEMORY_BYTES,
                processes=SPARE_PROCESSES,
            )
        pipes = {name: os.pipe() for name in ("stdout", "stderr", "result", "progress")}
        job_read, job_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(job_write)
            for read_end, _ in pipes.values():
                os.close(read_end)
            isolation.run_spare(self, pipes, job_read, group)
        os.close(job_read)
        for _, write_end in pipes.values():
            os.close(write_end)
        outputs = {name: read_end for name, (read_end, _) in pipes.items()}
        self.spare = Spare(pid, outputs, job_write, group)

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
        _reap_orphans()

    def close(self) -> None:
        self.finish_pending(wait=True)
        spare, self.spare = self.spare, None
        if spare is not None:
            os.close(spare.job_fd)  # end of file: the spare exits without a job
            for fd in spare.outputs.values():
                os.close(fd)
            with contextlib.suppress(ProcessLookupError):
                os.kill(spare.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(spare.pid, 0)
            if spare.group is not None:
                spare.group.remove()

    def run(
        self, request: dict[str, Any], report: Callable[[int], None] | None = None
    ) -> tuple[dict[str, Any], Callable[[], None]]:
        """Run one job; return the reply and the clean-up still to do.

        The reply goes back as soon as the child has delivered its result and
        closed its pipes. Tearing down the torch-sized child, killing what it
        left, removing its cgroup and forking the next spare happen after the
        reply is sent, while the worker compares outputs.
        """
        self.finish_pending(wait=False)
        self.fork_spare()
        spare, self.spare = self.spare, None
        assert spare is not None
        limits = request["limits"]
        if spare.group is not None:
            cgroups.set_limits(
                spare.group,
                memory_bytes=int(limits["memory_mb"]) * 1024 * 1024,
                processes=int(limits["processes"]),
            )
        reaped = False

        def clean_up() -> None:
            # Kill whatever the job left, then fork the next spare while the
            # kernel tears the old processes down; reaping them and removing
            # their cgroup wait for the next round.
            if spare.group is not None:
                spare.group.signal_all(signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(spare.pid, signal.SIGKILL)
            if not reaped:
                self.pending.append(spare)
            elif spare.group is not None:
                self.pending.append(Spare(-1, {}, -1, spare.group))
            if self.hierarchy is None:
                self._kill_slot_processes()  # without a cgroup, find them by uid
            self.fork_spare()
            self.finish_pending(wait=len(self.pending) > MAX_PENDING)

        try:
            reaped, reply = self._supervise(spare, request, limits, report)
        except BaseException:
            clean_up()
            raise
        return reply, clean_up

    def _supervise(
        self,
        spare: Spare,
        request: dict[str, Any],
        limits: dict[str, Any],
        report: Callable[[int], None] | None,
    ) -> tuple[bool, dict[str, Any]]:
        payload = wire.encode(request)
        started = time.monotonic()
        with contextlib.suppress(BrokenPipeError):  # the spare died in set-up
            _write_all(spare.job_fd, len(payload).to_bytes(8, "little") + payload)
        os.close(spare.job_fd)
        collected = _collect(spare.outputs, spare.pid, limits, started, report)
        reply = {
            "timed_out": collected.timed_out,
            "result_overflow": collected.result_overflow,
            "output_truncated": collected.output_truncated,
            "stdout": bytes(collected.buffers["stdout"]).decode("utf-8", "replace"),
            "stderr": bytes(collected.buffers["stderr"]).decode("utf-8", "replace"),
            "result": np.frombuffer(bytes(collected.buffers["result"]), dtype=np.uint8),
            "layers": list(isolation.applied_layers(self.layers)),
            "missing": list(isolation.missing_layers(self.layers)),
            "host_rss_kb": _rss_kb(),
        }
        delivered = collected.finished and collected.buffers["result"]
        if delivered and not collected.timed_out and not collected.result_overflow:
            # The child wrote its result and closed every pipe: its exit
            # status adds nothing; do not wait for the teardown.
            reply.update(
                exit=0, wall_ms=(time.monotonic() - started) * 1000, cpu_ms=-1.0
            )
            reply["memory_limit_hit"] = False
            return False, reply
        group = spare.group
        if group is not None:
            group.kill_all()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(spare.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.kill(spare.pid, signal.SIGKILL)
        _, status, usage = os.wait4(spare.pid, 0)
        reply.update(
            exit=os.waitstatus_to_exitcode(status),
            wall_ms=(time.monotonic() - started) * 1000,
            cpu_ms=(usage.ru_utime + usage.ru_stime) * 1000,
            memory_limit_hit=bool(group and group.hit_memory_limit()),
        )
        return True, reply

    def _kill_slot_processes(self) -> None:
        """Kill any process still running as this host's uid (a job that
        escaped its process group and, without cgroups, its accounting)."""
        if os.geteuid() != 0:
            return
        for _ in range(20):
            victims = _processes_of_uid(self.uid)
            if not victims:
                return
            for pid in victims:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            _reap_orphans()
            time.sleep(0.002)


class _Collected:
    def __init__(self) -> None:
        self.buffers = {
            "stdout": bytearray(),
            "stderr": bytearray(),
            "result": bytearray(),
        }
        self.timed_out = False
        self.result_overflow = False
        self.output_truncated = False
        self.finished = False  # every pipe reached end of file


def _progress_reporter(sock: socket.socket, cases: int) -> Callable[[int], None]:
    """Tell the worker how many cases are done. The progress pipe is the
    child's, so student code can write to it: the count never passes the
    number of cases and is only sent when it grows."""
    sent = [0]

    def report(done: int) -> None:
        done = min(done, cases)
        if done > sent[0]:
            sent[0] = done
            send(sock, wire.encode({"progress": done}))

    return report


def _collect(
    fds: dict[str, int],
    pid: int,
    limits: dict[str, Any],
    started: float,
    report: Callable[[int], None] | None = None,
) -> _Collected:
    collected = _Collected()
    cases_done = 0
    caps = {
        "stdout": int(limits["output_bytes"]),
        "stderr": int(limits["output_bytes"]),
        "result": int(limits["result_bytes"]),
    }
    selector = selectors.DefaultSelector()
    for name, fd in fds.items():
        os.set_blocking(fd, False)
        selector.register(fd, selectors.EVENT_READ, name)
    deadline = started + float(limits["wall_seconds"])
    exited_at: float | None = None
    try:
        while selector.get_map():
            now = time.monotonic()
            if now >= deadline:
                collected.timed_out = True
                break
            if exited_at is None and _has_exited(pid):
                exited_at = now
            if exited_at is not None and now - exited_at > 0.2:
                break  # something the job left behind holds a pipe open
            for key, _ in selector.select(timeout=min(0.05, max(0.0, deadline - now))):
                name = key.data
                try:
                    chunk = os.read(key.fd, 1 << 16)
                except BlockingIOError:
                    continue
                if not chunk:
                    selector.unregister(key.fd)
                    continue
                if name == "progress":
                    cases_done += len(chunk)
                    if report is not None:
                        report(cases_done)
                    continue
                buffer, cap = collected.buffers[name], caps[name]
                room = cap - len(buffer)
                if len(chunk) > room:
                    if name == "result":
                        collected.result_overflow = True
                        return collected
                    collected.output_truncated = True
                buffer.extend(chunk[: max(room, 0)])
        collected.finished = not selector.get_map()
    finally:
        selector.close()
        for fd in fds.values():
            os.close(fd)
    return collected


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _has_exited(pid: int) -> bool:
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None


def _reap_orphans() -> None:
    """The host is a child subreaper: orphans of jobs end up here; reap them."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _processes_of_uid(uid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if entry.stat().st_uid == uid:
                found.append(int(entry.name))
    return found


def _rss_kb() -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _claim_uid(state_dir: Path) -> tuple[int, Any]:
    """An otherwise unused uid for this host alone, held by a file lock for
    the host's lifetime (RLIMIT_NPROC and the leftover-process sweep count
    processes per uid, so two hosts must never share one)."""
    if os.geteuid() != 0:
        return os.geteuid(), None
    locks = state_dir / "uids"
    locks.mkdir(parents=True, exist_ok=True, mode=0o700)
    for uid in range(FIRST_UID, FIRST_UID + UID_COUNT):
        handle = (locks / f"{uid}.lock").open("w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        if not _processes_of_uid(uid):
            return uid, handle
        handle.close()  # a previous host's job still lingers under this uid
    raise RuntimeError("no free sandbox uid")


def _prepare_root_dir(state_dir: Path, uid: int) -> Path:
    """An empty directory that each child mounts its private root over."""
    root = state_dir / f"root-{uid}"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def main(control_fd: int) -> None:
    """Serve jobs on the control socket until it closes."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s sandbox-host: %(message)s"
    )
    signal.signal(
        signal.SIGPIPE, signal.SIG_IGN
    )  # a dead child's pipe: EPIPE, not death
    with contextlib.suppress(OSError):
        kernel.prctl(kernel.PR_SET_CHILD_SUBREAPER, 1)
        kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)
    sock = socket.socket(fileno=control_fd)
    host = Host()
    host.fork_spare()
    send(sock, wire.encode({"ready": True, **host.describe()}))
    while True:
        payload = receive(sock, MAX_REQUEST_BYTES)
        if payload is None:
            host.close()
            return
        request = wire.decode(payload, max_bytes=MAX_REQUEST_BYTES)
        clean_up: Callable[[], None] | None = None

        report = _progress_reporter(sock, len(request.get("cases") or []))

        try:
            reply, clean_up = host.run(request, report)
        except Exception as exc:  # report, keep serving
            log.exception("job failed in the host")
            reply = {"host_error": f"{type(exc).__name__}: {exc}"}
        send(sock, wire.encode(reply))
        if clean_up is not None:
            clean_up()


def preload(torch_threads: int = 1) -> None:
    """What every job may use, imported once: the forked children share it."""
    import torch

    torch.set_num_threads(torch_threads)
    torch.set_num_interop_threads(1)
    _ = torch.zeros(1) + 1  # initialise the CPU allocator single-threaded
    runtime.index_namespaces()
    # Everything imported so far moves to the permanent generation: a child's
    # garbage collections then never walk (and so never copy) the host's pages.
    gc.collect()
    gc.freeze()
