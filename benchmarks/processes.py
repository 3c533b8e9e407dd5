"""The machine's processes from /proc, for the benchmarks and the tests that
look for what a run left behind or started."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Process:
    pid: int
    parent: int
    session: int
    state: str  # R, S, Z …


def processes() -> dict[int, Process]:
    """Every process readable now (one that exits meanwhile is left out)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # state, ppid, group, session …
        pid = int(entry.name)
        found[pid] = Process(pid, int(fields[1]), int(fields[3]), fields[0])
    return found


def descendants(root: int, table: dict[int, Process] | None = None) -> list[int]:
    """The process and everything under it."""
    table = processes() if table is None else table
    children: dict[int, list[int]] = {}
    for process in table.values():
        children.setdefault(process.parent, []).append(process.pid)
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found
