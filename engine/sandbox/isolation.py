"""What a child does to itself between fork and the student's first line.

Order matters (privileged steps first, seccomp last):
  1. own session and process group; die with the host; join the job's cgroup
  2. stdin from /dev/null, stdout/stderr onto capped pipes, fresh sys.stdout
     and sys.stderr objects, every other descriptor closed
  3. new mount, network, IPC and UTS namespaces
  4. a private root (`engine.sandbox.private_root`): a tmpfs with read-only
     binds of the system and Python installations only (not the project: no
     references, no settings), a few device nodes, and an empty writable /job
     as cwd and $HOME
  5. resource limits (CPU, address space, processes, file size, open files,
     no core dumps)
  6. an otherwise unused uid and gid, no supplementary groups, no new
     privileges
  7. the seccomp filter
  8. an empty environment; torch threads as the exercise allows
Layers this machine cannot provide are found once by `probe` at host start;
a job then runs without them, and its report lists them as missing. A layer
that was available but fails during a job aborts the job instead.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from engine.sandbox import kernel, private_root, runtime, wire
from engine.sandbox.slot import Slot

if TYPE_CHECKING:
    from engine.sandbox.cgroups import JobGroup

LAYERS = {
    "session": "own session and process group",
    "cgroup": "cgroup (memory, pids)",
    "namespaces": "mount, network, IPC and UTS namespaces",
    "private_root": "private read-only root without the project",
    "rlimits": "resource limits",
    "uid": "unprivileged uid",
    "no_new_privs": "no new privileges",
    "seccomp": "seccomp filter",
    "environment": "empty environment and fresh working directory",
}
NAMESPACES = (
    kernel.CLONE_NEWNS | kernel.CLONE_NEWNET | kernel.CLONE_NEWIPC | kernel.CLONE_NEWUTS
)


def applied_layers(layers: dict[str, bool]) -> tuple[str, ...]:
    return tuple(LAYERS[name] for name, ok in layers.items() if ok)


def missing_layers(layers: dict[str, bool]) -> tuple[str, ...]:
    return tuple(LAYERS[name] for name, ok in layers.items() if not ok)


def probe(slot: Slot, *, cgroup: bool) -> dict[str, bool]:
    """Which layers work here: a throw-away child tries each one (`cgroup`:
    whether the host found a writable cgroup hierarchy)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        hardening = Hardening(slot, available=None)
        try:
            address_space = hardening.prepare(keep=(write_end,))
            hardening.confine(_probe_limits(), address_space)
        finally:
            os.write(write_end, json.dumps(hardening.layers).encode())
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        data = reader.read()
    os.waitpid(pid, 0)
    layers = json.loads(data) if data else dict.fromkeys(LAYERS, False)
    layers["cgroup"] = cgroup
    return layers


def _probe_limits() -> dict[str, Any]:
    return {
        "cpu_seconds": 2, "memory_mb": 256, "processes": 4, "file_size_mb": 1,
        "open_files": 32, "torch_threads": 1, "tmpfs_mb": 1,
    }  # fmt: skip


def run_spare(
    slot: Slot,
    available: dict[str, bool],
    pipes: dict[str, tuple[int, int]],
    job_fd: int,
    group: JobGroup | None,
) -> NoReturn:
    """A child forked ahead of its job: it does the privileged, job-independent
    set-up (session, cgroup, namespaces, private root) while the host waits
    for work, then reads its job (written into the job pipe by the worker,
    never by the host), applies the job's limits and drops every privilege
    before the first line of the submission runs."""
    result_fd = pipes["result"][1]
    progress_fd = pipes["progress"][1]
    hardening = Hardening(slot, available)
    try:
        _wire_stdio(pipes)
        if group is not None:
            group.join(os.getpid())
        hardening.layers["cgroup"] = group is not None
        address_space = hardening.prepare(keep=(result_fd, progress_fd, job_fd))
    except BaseException:  # noqa: BLE001 - report the set-up failure, never run code
        _fail(result_fd)
    request = _read_request(job_fd)
    if request is None:
        os._exit(0)  # shut down before this child was given a job
    try:
        hardening.confine(request["limits"], address_space)
    except BaseException:  # noqa: BLE001
        _fail(result_fd)
    _run(request, result_fd, progress_fd)


def _fail(result_fd: int) -> NoReturn:
    error = traceback.format_exc()
    _write(result_fd, wire.encode({"status": "sandbox_error", "error": error}))
    os._exit(71)


def _read_request(fd: int) -> dict[str, Any] | None:
    with os.fdopen(fd, "rb") as reader:
        header = reader.read(8)
        if len(header) < 8:
            return None
        payload = reader.read(int.from_bytes(header, "little"))
    request = wire.decode(payload, max_bytes=len(payload) + 1)
    return request if isinstance(request, dict) else None


def _run(request: dict[str, Any], result_fd: int, progress_fd: int) -> NoReturn:
    me = os.getpid()

    def progress(done: int) -> None:
        # One byte per finished case; the worker turns them into progress reports.
        with contextlib.suppress(OSError):
            os.write(progress_fd, b"\x01")

    try:
        reply = runtime.run_job(request, progress)
        payload = wire.encode(reply)
    except BaseException as exc:  # noqa: BLE001 - the student broke the runtime itself
        payload = wire.encode(
            {"status": "import_error", "error": runtime.format_student_error(exc)}
        )
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001, S110 - a student-replaced stream may fail
        pass
    if os.getpid() == me:  # a process the submission forked never reports
        _write(result_fd, payload)
        # Close every pipe now: the job is over without waiting for this
        # torch-sized process to be torn down.
        for fd in (result_fd, progress_fd, 1, 2):
            with contextlib.suppress(OSError):
                os.close(fd)
    os._exit(0)


def _write(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]


def _wire_stdio(pipes: dict[str, tuple[int, int]]) -> None:
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(pipes["stdout"][1], 1)
    os.dup2(pipes["stderr"][1], 2)
    # New stream objects: the host's buffers were copied into this process,
    # and os._exit would never flush a student's prints through them.
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))
    sys.stdout = io.TextIOWrapper(
        io.FileIO(1, "w", closefd=False), errors="replace", write_through=True
    )
    sys.stderr = io.TextIOWrapper(
        io.FileIO(2, "w", closefd=False), errors="replace", write_through=True
    )
    sys.__stdout__, sys.__stderr__ = sys.stdout, sys.stderr  # type: ignore[misc]


def _close_descriptors(keep: tuple[int, ...]) -> None:
    wanted = {0, 1, 2, *keep}
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in wanted:
            try:
                os.close(fd)
            except OSError:
                continue


class Hardening:
    """The layers, applied in two phases. Given the layers the probe found
    `available`, each of them must succeed (or the job is refused); without
    (the probe itself), each is tried and recorded."""

    def __init__(self, slot: Slot, available: dict[str, bool] | None) -> None:
        self.slot = slot
        self.strict = available is not None
        self.available = dict.fromkeys(LAYERS, True) if available is None else available
        self.layers = dict.fromkeys(LAYERS, False)

    def attempt(self, name: str, step: Any) -> None:
        if not self.available.get(name, False):
            return
        try:
            step()
            self.layers[name] = True
        except OSError:
            if self.strict:
                raise

    def prepare(self, *, keep: tuple[int, ...]) -> int:
        """Job-independent, privileged: session, descriptors, namespaces,
        private root. Returns the address-space size to budget from."""
        slot = self.slot
        self.attempt("session", _new_session)
        _close_descriptors(keep)
        address_space = _vm_size_bytes()
        self.attempt("namespaces", lambda: kernel.unshare(NAMESPACES))
        if self.layers["namespaces"]:
            self.attempt(
                "private_root", lambda: private_root.enter(slot.root_dir, slot.uid)
            )
        if not self.layers["private_root"]:
            private_root.enter_scratch_dir(slot)
        return address_space

    def confine(self, limits: dict[str, Any], address_space: int) -> None:
        """The job's own limits, then every privilege dropped, seccomp last."""
        slot = self.slot
        if self.layers["private_root"]:
            megabytes = int(limits.get("tmpfs_mb", private_root.JOB_TMPFS_MB))
            private_root.size_job_dir(slot.uid, megabytes)
        self.attempt("rlimits", lambda: _set_limits(limits, address_space))
        self.attempt("uid", lambda: _drop_privileges(slot.uid))
        self.attempt(
            "no_new_privs", lambda: kernel.prctl(kernel.PR_SET_NO_NEW_PRIVS, 1)
        )
        if slot.seccomp is not None:
            self.attempt("seccomp", slot.seccomp.load)
        self.attempt("environment", lambda: _clean_environment(limits))


def _new_session() -> None:
    os.setsid()
    kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)


def _vm_size_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _set_limits(limits: dict[str, Any], address_space: int) -> None:
    cpu = max(1, int(float(limits["cpu_seconds"]) + 0.999))
    memory = address_space + int(limits["memory_mb"]) * 1024 * 1024
    file_size = int(limits["file_size_mb"]) * 1024 * 1024
    files = int(limits["open_files"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
    resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Counted per real uid, and never enforced for root: it takes effect once
    # the child has switched to its sandbox uid.
    processes = int(limits["processes"])
    resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))


def _drop_privileges(uid: int) -> None:
    if os.geteuid() != 0:
        raise OSError(1, "not started as root: cannot switch to a sandbox uid")
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    # The kernel clears the parent-death signal when credentials change.
    kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)


def _clean_environment(limits: dict[str, Any]) -> None:
    os.environ.clear()
    os.environ.update({"HOME": os.getcwd(), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    threads = int(limits.get("torch_threads", 1))
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(threads)
