"""The child's view of the file system: a private root of its own.

A tmpfs mounted over the slot's empty root directory, with read-only, nosuid,
nodev binds of the system and Python installations only (never the project:
no references, no settings), a few device nodes, and an empty writable
`JOB_DIR` as working directory and $HOME; then `pivot_root` into it and the
old root detached. Where mount namespaces are missing, a fresh private
scratch directory is the least a job gets.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from engine.sandbox import kernel
from engine.sandbox.slot import Slot

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEVICES = ("null", "zero", "urandom", "random")
ROOT_TMPFS = "size=8m,mode=0755"
JOB_DIR = "/job"  # the writable working directory and $HOME inside the private root
JOB_TMPFS_MB = 64


def bind_sources() -> list[str]:
    """System and Python directories the child needs, read-only; never the
    project tree (only its virtual environment, if it lives there)."""
    sources = {"/usr", sys.base_prefix, sys.prefix}
    for name in ("bin", "lib", "lib64", "sbin"):
        path = f"/{name}"
        if os.path.isdir(path) and not os.path.islink(path):
            sources.add(path)
    chosen: list[str] = []
    for source in sorted(sources):
        resolved = Path(source).resolve()
        if resolved == PROJECT_ROOT or PROJECT_ROOT.is_relative_to(resolved):
            continue  # never bind the project (or a directory that contains it)
        if any(resolved.is_relative_to(Path(other)) for other in chosen):
            continue
        chosen.append(str(resolved))
    return chosen


def enter(root_dir: Path, uid: int) -> None:
    root = str(root_dir)
    kernel.mount(None, "/", None, kernel.MS_REC | kernel.MS_PRIVATE, None)
    kernel.mount("tmpfs", root, "tmpfs", kernel.MS_NOSUID | kernel.MS_NODEV, ROOT_TMPFS)
    read_only = (
        kernel.MS_BIND
        | kernel.MS_REMOUNT
        | kernel.MS_RDONLY
        | kernel.MS_NOSUID
        | kernel.MS_NODEV
    )
    for source in bind_sources():
        target = root + source
        os.makedirs(target, exist_ok=True)
        kernel.mount(source, target, None, kernel.MS_BIND | kernel.MS_REC, None)
        kernel.mount(None, target, None, read_only, None)
    for name in ("bin", "lib", "lib64", "sbin"):
        if os.path.islink(f"/{name}") and not os.path.lexists(f"{root}/{name}"):
            os.symlink(os.readlink(f"/{name}"), f"{root}/{name}")
    os.makedirs(f"{root}/dev")
    for device in DEVICES:
        Path(f"{root}/dev/{device}").touch()
        kernel.mount(
            f"/dev/{device}", f"{root}/dev/{device}", None, kernel.MS_BIND, None
        )
    os.makedirs(f"{root}{JOB_DIR}")
    kernel.mount(
        "tmpfs", f"{root}{JOB_DIR}", "tmpfs", kernel.MS_NOSUID | kernel.MS_NODEV,
        f"size={JOB_TMPFS_MB}m,mode=0700,uid={uid},gid={uid}",
    )  # fmt: skip
    os.makedirs(f"{root}/.old")
    kernel.pivot_root(root, f"{root}/.old")
    os.chdir("/")
    kernel.umount2("/.old", kernel.MNT_DETACH)
    os.rmdir("/.old")
    kernel.mount(
        None,
        "/",
        None,
        kernel.MS_REMOUNT | kernel.MS_RDONLY | kernel.MS_NOSUID | kernel.MS_NODEV,
        None,
    )
    os.chdir(JOB_DIR)


def size_job_dir(uid: int, megabytes: int) -> None:
    if megabytes != JOB_TMPFS_MB:
        kernel.mount(
            None,
            JOB_DIR,
            None,
            kernel.MS_REMOUNT | kernel.MS_NOSUID | kernel.MS_NODEV,
            f"size={megabytes}m,mode=0700,uid={uid},gid={uid}",
        )


def enter_scratch_dir(slot: Slot) -> None:
    """Without a private root: at least a fresh, empty, private working dir."""
    work = slot.root_dir.parent / f"work-{slot.uid}-{os.getpid()}"
    work.mkdir(mode=0o700)
    if os.geteuid() == 0:
        os.chown(work, slot.uid, slot.uid)
    os.chdir(work)
