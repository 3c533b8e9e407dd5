"""What the grader asks of a runner, and what a runner reports back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

RunStatus = Literal[
    "ok",
    "syntax_error",
    "missing_entry_point",
    "wrong_signature",
    "import_error",
    "time_limit",
    "memory_limit",
    "output_limit",
    "crashed",
    "no_result",
]


@dataclass(frozen=True)
class Limits:
    """Per-job limits. Wall time is enforced by the parent, the rest by the kernel."""

    cpu_seconds: float = 5.0
    wall_seconds: float = 11.0
    memory_mb: int = 1024
    processes: int = 16
    file_size_mb: int = 16
    open_files: int = 64
    output_bytes: int = 64 * 1024
    result_bytes: int = 32 * 1024 * 1024
    tmpfs_mb: int = 64
    torch_threads: int = 1


@dataclass(frozen=True)
class Job:
    source: str
    entry_point: str
    cases: list[dict[str, Any]]
    forbidden: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunOutcome:
    status: RunStatus
    results: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    line: int = 0
    column: int = 0
    stdout: str = ""
    stderr: str = ""
    wall_ms: float = 0.0
    cpu_ms: float = 0.0
    isolation: tuple[str, ...] = ()
    missing_isolation: tuple[str, ...] = ()
