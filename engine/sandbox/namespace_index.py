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
# Each indexed module's name and namespace.
_INDEXED: dict[str, dict[str, Any]] = {}
# The module loaded last before the index: sys.modules keeps insertion order,
# so the modules after it are the ones loaded since.
_LAST: tuple[str, object] | None = None
# The indexed module names by their top-level package.
_BY_ROOT: dict[str, list[str]] = {}


def index_namespaces() -> None:
    """Record which module namespaces define each name. Called once in the
    host before it forks: a child then finds every module exposing a routine
    without walking (and so copying on write) a thousand module dicts."""
    global _INDEX, _INDEXED, _LAST, _BY_ROOT
    index: dict[str, list[dict[str, Any]]] = {}
    indexed = {}
    for name, namespace in _module_namespaces():
        indexed[name] = namespace
        for key in namespace:
            if isinstance(key, str):
                index.setdefault(key, []).append(namespace)
    _INDEX, _INDEXED = index, indexed
    _BY_ROOT = {}
    for name in indexed:
        _BY_ROOT.setdefault(name.partition(".")[0], []).append(name)
    last = next(reversed(sys.modules), None)
    _LAST = None if last is None else (last, sys.modules[last])


def indexed_namespaces(name: str) -> list[dict[str, Any]]:
    """The indexed module namespaces that define `name` (none without an index)."""
    return _INDEX.get(name, []) if _INDEX is not None else []


def later_namespaces() -> list[dict[str, Any]]:
    """Namespaces of the modules the index does not cover (all of them when
    there is no index: a fresh interpreter)."""
    if _INDEX is None:
        return [ns for _, ns in _module_namespaces()]
    since = _loaded_since_index()
    if since is not None:
        return since
    return [
        namespace
        for name, namespace in _module_namespaces()
        if _INDEXED.get(name) is not namespace
    ]


def loaded_under(packages: set[str]) -> list[str]:
    """The names in sys.modules of these modules and their submodules."""
    submodules = tuple(f"{package}." for package in packages)
    since = _names_since_index()
    if since is None:
        candidates: list[str] = list(sys.modules)
    else:
        roots = {package.partition(".")[0] for package in packages}
        candidates = since + [n for root in roots for n in _BY_ROOT.get(root, [])]
    return [
        name
        for name in dict.fromkeys(candidates)
        if (name in packages or name.startswith(submodules)) and name in sys.modules
    ]


def _names_since_index() -> list[str] | None:
    """The names after the last indexed module in sys.modules (oldest
    first), or None when that module is gone or replaced."""
    if _LAST is None:
        return None
    marker, module = _LAST
    names = []
    try:
        for name in reversed(sys.modules):
            if name == marker:
                break
            names.append(name)
    except RuntimeError:  # another thread imported meanwhile: walk a copy
        return None
    if sys.modules.get(marker) is not module:
        return None
    names.reverse()
    return names


def _loaded_since_index() -> list[dict[str, Any]] | None:
    """The namespaces of the modules loaded after the index, read from the end
    of sys.modules: a child (a copy of the host) then touches a few module
    objects, not two thousand (each touch a reference count written, a page
    copied). None when the index's last module is gone or replaced: then the
    caller walks everything."""
    names = _names_since_index()
    if names is None:
        return None
    found = []
    for name in names:
        namespace = getattr(sys.modules.get(name), "__dict__", None)
        if isinstance(namespace, dict):
            found.append(namespace)
    return found


def _module_namespaces() -> list[tuple[str, dict[str, Any]]]:
    # The module's own namespace, not getattr: torch's lazy module
    # __getattr__ would import half the library to answer.
    found = []
    for name, module in list(sys.modules.items()):
        namespace = getattr(module, "__dict__", None)
        if isinstance(namespace, dict):
            found.append((name, namespace))
    return found
