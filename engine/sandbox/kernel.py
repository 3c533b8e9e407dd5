"""Thin bindings to the Linux calls the sandbox needs and Python 3.11 lacks.

unshare, mount, umount2, pivot_root and prctl through libc (ctypes); the
constants are the x86_64 / generic Linux values. Every call raises OSError with
errno on failure, like the os module does.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import platform
from pathlib import Path

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEW_ANY = (
    CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID
    | CLONE_NEWNET | CLONE_NEWCGROUP
)  # fmt: skip

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MNT_DETACH = 2

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36

_SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}.get(platform.machine())


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def unshare(flags: int) -> None:
    _check(_libc.unshare(ctypes.c_int(flags)), "unshare")


def mount(
    source: str | None, target: str, fstype: str | None, flags: int, data: str | None
) -> None:
    _check(
        _libc.mount(
            source.encode() if source else None,
            target.encode(),
            fstype.encode() if fstype else None,
            ctypes.c_ulong(flags),
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


def umount2(target: str, flags: int) -> None:
    _check(_libc.umount2(target.encode(), ctypes.c_int(flags)), f"umount {target}")


def pivot_root(new_root: str, put_old: str) -> None:
    if _SYS_PIVOT_ROOT is None:
        raise OSError(38, "pivot_root: unsupported architecture")
    _check(
        _libc.syscall(
            ctypes.c_long(_SYS_PIVOT_ROOT), new_root.encode(), put_old.encode()
        ),
        "pivot_root",
    )


def prctl(option: int, value: int) -> None:
    _check(
        _libc.prctl(
            ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_ulong(0),
            ctypes.c_ulong(0), ctypes.c_ulong(0),
        ),
        f"prctl {option}",
    )  # fmt: skip


def set_name(name: str) -> None:
    """This thread's name as `ps` and /proc/<pid>/comm show it (15 bytes at
    most); best effort."""
    with contextlib.suppress(OSError):
        Path("/proc/self/comm").write_text(name[:15])
