"""Which module namespaces define each name, recorded once in the host.

To refuse a forbidden routine, a child rebinds every module-level name that
holds it (`engine.sandbox.blocking`). Walking a thousand module dicts in each
child would copy them on write; the host indexes them before it forks, and a
child only walks the modules loaded since.

This module runs next to hostile code: it imports only the standard library.
"""

from __future__ import annotations

import sys
from typing import Any

_INDEX: dict[str, list[dict[str, Any]]] | None = None
_INDEXED: set[str] = set()


def index_namespaces() -> None:
    """Record which module namespaces define each name. Called once in the
    host before it forks: a child then finds every module exposing a routine
    without walking (and so copying on write) a thousand module dicts."""
    global _INDEX, _INDEXED
    index: dict[str, list[dict[str, Any]]] = {}
    indexed = set()
    for name, namespace in _module_namespaces():
        indexed.add(name)
        for key in namespace:
            if isinstance(key, str):
                index.setdefault(key, []).append(namespace)
    _INDEX, _INDEXED = index, indexed


def indexed_namespaces(name: str) -> list[dict[str, Any]]:
    """The indexed module namespaces that define `name` (none without an index)."""
    return _INDEX.get(name, []) if _INDEX is not None else []


def later_namespaces() -> list[dict[str, Any]]:
    """Namespaces of the modules the index does not cover (all of them when
    there is no index: a fresh interpreter)."""
    if _INDEX is None:
        return [ns for _, ns in _module_namespaces()]
    return [ns for _, ns in _module_namespaces(_INDEXED)]


def _module_namespaces(
    skip: set[str] | None = None,
) -> list[tuple[str, dict[str, Any]]]:
    # The module's own namespace, not getattr: torch's lazy module
    # __getattr__ would import half the library to answer.
    found = []
    for name, module in list(sys.modules.items()):
        if skip is not None and name in skip:
            continue
        namespace = getattr(module, "__dict__", None)
        if isinstance(namespace, dict):
            found.append((name, namespace))
    return found
