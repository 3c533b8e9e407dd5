"""A sandbox host's slot: the uid its jobs alone run as, the root-only state
directory it keeps, and the empty directory each child mounts its private root
over.

`Slot` is what a child needs to know of its host to isolate itself: the host
builds it once at start and hands it to `engine.sandbox.isolation`, which so
never depends on the host itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIRST_UID, UID_COUNT = 61000, 64


@dataclass(frozen=True)
class Slot:
    """One host's share of the machine, fixed for the host's lifetime."""

    uid: int  # the jobs' uid (the host's own when it is not root)
    root_dir: Path  # an empty directory each child mounts its private root over
    seccomp: Any | None  # the libseccomp filter, built once; None without one


def state_dir() -> Path:
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


def claim_uid(state: Path) -> tuple[int, Any]:
    """An otherwise unused uid for this host alone, held by a file lock for
    the host's lifetime (RLIMIT_NPROC and the leftover-process sweep count
    processes per uid, so two hosts must never share one)."""
    if os.geteuid() != 0:
        return os.geteuid(), None
    locks = state / "uids"
    locks.mkdir(parents=True, exist_ok=True, mode=0o700)
    for uid in range(FIRST_UID, FIRST_UID + UID_COUNT):
        handle = (locks / f"{uid}.lock").open("w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        if not processes_of_uid(uid):
            return uid, handle
        handle.close()  # a previous host's job still lingers under this uid
    raise RuntimeError("no free sandbox uid")


def prepare_root_dir(state: Path, uid: int) -> Path:
    """An empty directory that each child mounts its private root over."""
    root = state / f"root-{uid}"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def processes_of_uid(uid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if entry.stat().st_uid == uid:
                found.append(int(entry.name))
    return found
