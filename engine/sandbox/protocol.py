"""Framing on the socket between the trusted worker and a sandbox host: an
8-byte little-endian length, then a wire payload. A message may carry file
descriptors (SCM_RIGHTS): the host hands the worker a spare child's pipes.

The host only ever sees these control messages: which limits to give the
job's cgroup, and, at the end, whether the job delivered its result. The
job's request and outputs never pass through it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import struct

# The descriptors of a started job, in the order the host sends them: the
# write end of the child's job pipe, the read ends of its outputs, and a pidfd
# (absent where the kernel has none).
CHANNELS = ("job", "stdout", "stderr", "result", "progress", "exit")


def send(sock: socket.socket, payload: bytes, fds: list[int] | None = None) -> None:
    data = struct.pack("<Q", len(payload)) + payload
    if fds:
        sent = socket.send_fds(sock, [data], fds)
        data = data[sent:]
    sock.sendall(data)


def receive(sock: socket.socket, limit: int) -> bytes | None:
    header = _read_exactly(sock, 8)
    if header is None:
        return None
    return _payload(sock, header, limit)


def receive_with_fds(
    sock: socket.socket, limit: int, max_fds: int
) -> tuple[bytes | None, list[int]]:
    """A message and the descriptors that came with it (close-on-exec). The
    caller owns the descriptors, even when it then refuses the message."""
    data, fds, flags, _ = socket.recv_fds(sock, 8, max_fds, socket.MSG_CMSG_CLOEXEC)
    try:
        if flags & socket.MSG_CTRUNC:
            raise ValueError("a message carried more descriptors than expected")
        if not data:
            return None, fds
        rest = _read_exactly(sock, 8 - len(data)) if len(data) < 8 else b""
        if rest is None:
            return None, fds
        return _payload(sock, data + rest, limit), fds
    except BaseException:
        close_all(fds)
        raise


def close_all(fds: list[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def _payload(sock: socket.socket, header: bytes, limit: int) -> bytes | None:
    (length,) = struct.unpack("<Q", header)
    if length > limit:
        raise ValueError(f"message of {length} bytes exceeds {limit}")
    return _read_exactly(sock, length)


def _read_exactly(sock: socket.socket, count: int) -> bytes | None:
    chunks, remaining = [], count
    while remaining:
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
