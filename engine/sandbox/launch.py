"""Starting sandbox processes from the trusted side: a fresh interpreter (a
host, or the zygote of `engine.sandbox.zygote`) with an empty environment and
one descriptor, and the handle on a host the zygote forked."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from engine.sandbox import protocol, wire

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REQUEST = b"host"  # a pool process's request to the zygote
FORKED_BYTES = 1024


def environment() -> dict[str, str]:
    """What a host or the zygote starts with: nothing secret, one thread."""
    values = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    if "TUTOR_SANDBOX_DIR" in os.environ:
        values["TUTOR_SANDBOX_DIR"] = os.environ["TUTOR_SANDBOX_DIR"]
    return values


def start_interpreter(
    call: str, fd: int, *, compiler: bool = True
) -> subprocess.Popen[bytes]:
    """A fresh interpreter that imports `engine.sandbox.host`, preloads
    torch (with its compiler stack unless told not to) and runs `call` (e.g.
    `host.main(3)`) with only descriptor `fd`. When `call` returns, the
    process ends at once: its work is done and its children are reaped, and
    unwinding a torch-loaded interpreter would cost a tenth of a second."""
    bootstrap = (
        f"import sys; sys.path.insert(0, {str(PROJECT_ROOT)!r}); "
        "from engine.sandbox import host, zygote; sys.path.pop(0); "
        f"host.preload(compiler={compiler}); {call}; host.exit_now()"
    )
    return subprocess.Popen(
        [sys.executable, "-I", "-c", bootstrap],
        env=environment(),
        pass_fds=(fd,),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        cwd="/",
    )


class ForkedHost:
    """A host the zygote forked: the pool process's handle on it, with the
    part of `subprocess.Popen`'s interface a host needs (it is not this
    process's child, so it is watched and signalled through its pidfd)."""

    def __init__(self, pid: int, pidfd: int) -> None:
        self.pid, self._pidfd = pid, pidfd
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and _readable(self._pidfd, 0):
            self.returncode = -1  # its exit status is the zygote's to collect
            self._close()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            waited = None if timeout is None else max(0, int(timeout * 1000))
            if not _readable(self._pidfd, waited):
                raise subprocess.TimeoutExpired("sandbox host", timeout or 0)
        return self.poll() or -1

    def terminate(self) -> None:
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)

    def _signal(self, number: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._pidfd, number)

    def _close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._pidfd)
        self._pidfd = -1

    def __del__(self) -> None:
        if self._pidfd >= 0:
            self._close()


def _readable(fd: int, timeout_ms: int | None) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(timeout_ms))


class Zygote:
    """The trusted end: started by the worker's main process, inherited by
    its pool processes (a fork keeps the socket and the pidfd)."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.process = start_interpreter(
            f"zygote.serve({theirs.fileno()})", theirs.fileno()
        )
        theirs.close()
        self.sock = ours
        self.owner = os.getpid()
        self._pidfd = os.pidfd_open(self.process.pid)

    def alive(self) -> bool:
        return self._pidfd >= 0 and not _readable(self._pidfd, 0)

    def request(self, control: socket.socket) -> None:
        """Ask for a host serving `control` (the host's end of a pair)."""
        socket.send_fds(self.sock, [REQUEST], [control.fileno()])

    def close(self, grace: float = 5.0) -> None:
        """Stop the zygote (its owner only). Once no pool process holds the
        socket, the zygote exits by itself; one that does not is killed, and
        the hosts it forked die with it (their parent-death signal)."""
        with contextlib.suppress(OSError):
            self.sock.close()
        if self.owner != os.getpid():
            return
        with contextlib.suppress(OSError):
            os.close(self._pidfd)
        self._pidfd = -1
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def receive_forked(sock: socket.socket, timeout: float) -> ForkedHost:
    """The zygote's first message on a new host's socket: its pid and pidfd."""
    sock.settimeout(timeout)
    payload, fds = protocol.receive_with_fds(sock, FORKED_BYTES, 1)
    message: Any = None
    with contextlib.suppress(wire.WireError, ValueError):
        message = wire.decode(payload, max_bytes=FORKED_BYTES) if payload else None
    if (
        not isinstance(message, dict)
        or type(message.get("forked")) is not int
        or len(fds) != 1
    ):
        protocol.close_all(fds)
        raise OSError("the sandbox zygote forked no host")
    return ForkedHost(message["forked"], fds[0])
