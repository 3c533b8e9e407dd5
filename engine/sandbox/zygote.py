"""One torch-loaded process that forks the sandbox hosts of a whole worker.

Without it, each of a Celery worker's pool processes starts a host of its
own, and each host imports torch into about 215 MiB of its own memory: two
pool processes, two copies. The worker's main process instead starts one
zygote before it forks its pool (`tutor.celery`); the zygote imports what the
hosts need (`engine.sandbox.host.preload`) and then only forks: each pool
process asks it for a host, and the host, a copy of the zygote, shares those
pages with it and with every other host.

The zygote is started like a host (an empty environment, nothing but its
socket) and is as bare: it never sees a job, a limit or a result, only the
socket a pool process wants its new host to serve. The host then claims its
own sandbox uid and cgroup (`engine.sandbox.host.Host`) as a host started on
its own does, so hosts stay as separate from one another as before.

On the socket, a SOCK_SEQPACKET pair whose trusted end every pool process
inherits, each request is one datagram: the word `host` and the host's
control socket (SCM_RIGHTS). The zygote answers on that control socket, not
on the shared one (where another pool process could read the answer): a
first message carries the new host's pid and a pidfd of it, through which the
pool process watches and, if need be, kills its host, which is the zygote's
child and not its own. Then the host greets as a host started on its own does.
This module is the zygote's side; the trusted side's handles on it and on its
hosts are in `engine.sandbox.launch`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import socket

from engine.sandbox import host, kernel, protocol, wire
from engine.sandbox.host import reap_orphans
from engine.sandbox.launch import REQUEST

log = logging.getLogger(__name__)


def serve(listen_fd: int) -> None:
    """The zygote's loop: fork a host for each request, reap the hosts that
    end, exit when no pool process holds the other end any more."""
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s sandbox-zygote: %(message)s",
    )
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        kernel.prctl(kernel.PR_SET_PDEATHSIG, signal.SIGKILL)
        kernel.prctl(kernel.PR_SET_CHILD_SUBREAPER, 1)
    kernel.set_name("sandbox-zygote")
    listening = socket.socket(fileno=listen_fd)
    poller = select.poll()
    poller.register(listening, select.POLLIN)
    while True:
        ready = poller.poll(1000)  # wakes each second to reap ended hosts
        reap_orphans()
        if not ready:
            continue
        try:
            data, fds, _, _ = socket.recv_fds(
                listening, len(REQUEST), 1, socket.MSG_CMSG_CLOEXEC
            )
        except OSError:
            log.exception("reading a request failed")
            continue
        if not data and not fds:
            return  # every pool process and the worker are gone
        if data != REQUEST or len(fds) != 1:
            protocol.close_all(fds)
            continue
        try:
            _fork_host(listening, fds[0])
        except Exception:  # keep serving the others
            log.exception("forking a host failed")
        finally:
            protocol.close_all(fds)


def _fork_host(listening: socket.socket, control_fd: int) -> None:
    """Fork a host for `control_fd`; tell its pool process the host's pid
    and a pidfd before the host may say anything on that socket."""
    go_read, go_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the host: never returns
        try:
            listening.close()
            os.close(go_write)
            os.read(go_read, 1)  # until the zygote has spoken on the socket
            os.close(go_read)
            host.main(control_fd)
        except BaseException:  # a forked child never unwinds into the zygote
            log.exception("the host failed")
            os._exit(70)
        os._exit(0)
    os.close(go_read)
    try:
        control = socket.socket(fileno=os.dup(control_fd))
        try:
            pidfd = os.pidfd_open(pid)
            try:
                protocol.send(control, wire.encode({"forked": pid}), [pidfd])
            finally:
                os.close(pidfd)
        finally:
            control.close()
    except OSError:
        os.kill(pid, signal.SIGKILL)  # its pool process is gone
        raise
    finally:
        os.write(go_write, b"g")
        os.close(go_write)
