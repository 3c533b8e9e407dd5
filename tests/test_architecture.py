"""The shape of the code: no first-party module grows past 400 lines (the
import contracts are checked by `lint-imports` in `make lint`)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tutor", "exercises", "engine", "tests", "benchmarks")
LIMIT = 400


def _modules() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and "samples" not in path.parts
    )


def test_the_walk_finds_the_modules() -> None:
    found = {path.relative_to(ROOT).as_posix() for path in _modules()}
    assert {"exercises/coding/queue.py", "engine/grader.py", "tutor/urls.py"} <= found


def test_no_module_passes_400_lines() -> None:
    long = {
        path.relative_to(ROOT).as_posix(): lines
        for path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert long == {}, f"split these by concept: {long}"
