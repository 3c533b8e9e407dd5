"""One cgroup per job (memory and pids), where the machine has a writable
hierarchy: cgroup v1 controllers under /sys/fs/cgroup/{memory,pids}, or a
cgroup v2 unified hierarchy with both controllers enabled.

The host creates the group, the child joins it while still privileged, and
the host kills whatever is left in it and removes it after the job. The group
lists every process of the job, however it was started, so nothing outlives
the job; it also caps memory (the kernel kills the job, not the machine) and
the number of processes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
GROUP = "tutor-sandbox"


@dataclass(frozen=True)
class Hierarchy:
    """Where job groups live: one directory per controller (v1) or one (v2)."""

    memory: Path
    pids: Path
    version: int


@dataclass
class JobGroup:
    hierarchy: Hierarchy
    name: str

    @property
    def directories(self) -> list[Path]:
        if self.hierarchy.version == 2:
            return [self.hierarchy.memory / self.name]
        return [self.hierarchy.memory / self.name, self.hierarchy.pids / self.name]

    def join(self, pid: int) -> None:
        """Move `pid` into the group (called by the child on itself)."""
        for directory in self.directories:
            (directory / "cgroup.procs").write_text(str(pid))

    def pids(self) -> list[int]:
        found: set[int] = set()
        for directory in self.directories:
            with contextlib.suppress(OSError):
                found.update(
                    int(line)
                    for line in (directory / "cgroup.procs").read_text().split()
                )
        return sorted(found)

    def signal_all(self, signum: int) -> None:
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signum)

    def try_remove(self) -> bool:
        """Remove the group if it is empty; False if processes remain."""
        for directory in self.directories:
            try:
                directory.rmdir()
            except FileNotFoundError:
                continue
            except OSError:
                return False
        return True

    def kill_all(self, timeout: float = 2.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            members = self.pids()
            if not members:
                return
            for pid in members:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.002)

    def memory_peak(self) -> int:
        name = (
            "memory.peak"
            if self.hierarchy.version == 2
            else "memory.max_usage_in_bytes"
        )
        with contextlib.suppress(OSError, ValueError):
            return int((self.directories[0] / name).read_text())
        return 0

    def hit_memory_limit(self) -> bool:
        directory = self.directories[0]
        if self.hierarchy.version == 2:
            with contextlib.suppress(OSError, ValueError):
                events = dict(
                    line.split()
                    for line in (directory / "memory.events").read_text().splitlines()
                )
                return (
                    int(events.get("oom_kill", 0)) > 0 or int(events.get("max", 0)) > 0
                )
            return False
        with contextlib.suppress(OSError, ValueError):
            control = dict(
                line.split()
                for line in (directory / "memory.oom_control").read_text().splitlines()
            )
            if int(control.get("oom_kill", 0)) > 0:
                return True
        for counter in ("memory.failcnt", "memory.memsw.failcnt"):
            with contextlib.suppress(OSError, ValueError):
                if int((directory / counter).read_text()) > 0:
                    return True
        return False

    def remove(self) -> None:
        self.kill_all()
        for directory in self.directories:
            for _ in range(50):
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.002)  # the last process is still being torn down


def find_hierarchy() -> Hierarchy | None:
    """A writable place for job groups, or None (the layer is then missing)."""
    v1_memory, v1_pids = ROOT / "memory", ROOT / "pids"
    if (v1_memory / "cgroup.procs").exists() and (v1_pids / "cgroup.procs").exists():
        hierarchy = Hierarchy(v1_memory / GROUP, v1_pids / GROUP, 1)
    elif (ROOT / "cgroup.controllers").exists():
        controllers = (ROOT / "cgroup.controllers").read_text().split()
        if not {"memory", "pids"} <= set(controllers):
            return None
        hierarchy = Hierarchy(ROOT / GROUP, ROOT / GROUP, 2)
    else:
        return None
    try:
        for directory in {hierarchy.memory, hierarchy.pids}:
            directory.mkdir(exist_ok=True)
        if hierarchy.version == 2:
            (hierarchy.memory / "cgroup.subtree_control").write_text("+memory +pids")
        probe = create(
            hierarchy, f"probe-{os.getpid()}", memory_bytes=1 << 30, processes=4
        )
        probe.remove()
    except OSError:
        return None
    return hierarchy


def create(
    hierarchy: Hierarchy, name: str, *, memory_bytes: int, processes: int
) -> JobGroup:
    group = JobGroup(hierarchy, name)
    for directory in group.directories:
        directory.mkdir(exist_ok=True)
    set_limits(group, memory_bytes=memory_bytes, processes=processes)
    return group


def set_limits(group: JobGroup, *, memory_bytes: int, processes: int) -> None:
    if group.hierarchy.version == 2:
        directory = group.directories[0]
        (directory / "memory.max").write_text(str(memory_bytes))
        with contextlib.suppress(OSError):
            (directory / "memory.swap.max").write_text("0")
        (directory / "pids.max").write_text(str(processes))
        return
    memory, pids = group.directories
    limit = memory / "memory.limit_in_bytes"
    with_swap = memory / "memory.memsw.limit_in_bytes"  # absent without swap accounting
    # memsw may not go below memory, nor memory above memsw: order the writes
    # by the direction of the change. The memory limit itself must succeed.
    raising = memory_bytes > _read_int(limit)
    if raising and with_swap.exists():
        with_swap.write_text(str(memory_bytes))
    limit.write_text(str(memory_bytes))
    if not raising and with_swap.exists():
        with_swap.write_text(str(memory_bytes))
    (pids / "pids.max").write_text(str(processes))


def _read_int(path: Path) -> int:
    try:
        return int(path.read_text())
    except (OSError, ValueError):
        return 0
