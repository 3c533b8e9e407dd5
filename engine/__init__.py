"""The reference engine: references, exercise specs, comparators, the grader.

Pure Python on torch and NumPy; it never imports Django. Attributes load
lazily, so that the sandbox can import `engine.sandbox` without pulling the
references (which hold the answers) into memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.grader import grade
    from engine.report import CaseResult, MistakeMatch, Report
    from engine.specs import all_specs, get_spec

__all__ = ["CaseResult", "MistakeMatch", "Report", "all_specs", "get_spec", "grade"]

_LAZY = {
    "grade": "engine.grader",
    "Report": "engine.report",
    "CaseResult": "engine.report",
    "MistakeMatch": "engine.report",
    "all_specs": "engine.specs",
    "get_spec": "engine.specs",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
