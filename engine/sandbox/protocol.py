"""Framing on the socket between the trusted worker and a sandbox host: an
8-byte little-endian length, then a wire payload."""

from __future__ import annotations

import socket
import struct


def send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(struct.pack("<Q", len(payload)) + payload)


def receive(sock: socket.socket, limit: int) -> bytes | None:
    header = _read_exactly(sock, 8)
    if header is None:
        return None
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
