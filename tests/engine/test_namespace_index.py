"""The host's index of module namespaces (engine/sandbox/namespace_index.py):
a child finds the modules loaded since the index from the end of sys.modules,
and falls back to walking them all when the index's last module was replaced.
Each test indexes this process's modules and puts the index back after."""

from __future__ import annotations

import sys
import types

import pytest

from engine.sandbox import namespace_index


def _module(name: str, **attributes: object) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    return module


def _routine() -> None:
    pass


@pytest.fixture
def load(monkeypatch):
    """Put a module at the end of sys.modules, as an import does."""

    def put(module: types.ModuleType) -> types.ModuleType:
        if module.__name__ in sys.modules:
            monkeypatch.delitem(sys.modules, module.__name__)
        monkeypatch.setitem(sys.modules, module.__name__, module)
        return module

    return put


@pytest.fixture
def index(monkeypatch):
    """Index this process's modules now; the old index comes back after."""
    for name in ("_INDEX", "_INDEXED", "_LAST", "_BY_ROOT"):
        monkeypatch.setattr(namespace_index, name, getattr(namespace_index, name))
    return namespace_index.index_namespaces


def _holds(namespaces: list[dict[str, object]], module: types.ModuleType) -> bool:
    return any(namespace is module.__dict__ for namespace in namespaces)


def test_only_the_modules_loaded_after_the_index_are_walked(load, index) -> None:
    before = load(_module("zz_before", routine=_routine))
    load(_module("zz_marker"))
    index()
    after = load(_module("zz_after", routine=_routine))
    later = namespace_index.later_namespaces()
    assert _holds(later, after)
    assert not _holds(later, before)
    assert _holds(namespace_index.indexed_namespaces("routine"), before)
    # A module imported again after the index is a namespace the index never
    # saw: it is walked too.
    again = load(_module("zz_before", routine=_routine))
    assert _holds(namespace_index.later_namespaces(), again)


def test_a_replaced_last_module_falls_back_to_walking_everything(load, index) -> None:
    load(_module("zz_before"))
    marker = load(_module("zz_marker"))
    index()
    after = load(_module("zz_after"))
    replacement = _module(marker.__name__)
    sys.modules[marker.__name__] = replacement  # replaced where it stands
    later = namespace_index.later_namespaces()
    assert _holds(later, after)
    assert _holds(later, replacement)  # not the namespace indexed under its name
    assert not _holds(later, marker)


@pytest.mark.parametrize("replaced", [False, True], ids=["from the end", "walking all"])
def test_loaded_under_names_a_package_and_its_submodules(
    load, index, replaced: bool
) -> None:
    load(_module("zz_pkg"))
    load(_module("zz_pkg.sub"))
    load(_module("zz_pkgother"))
    marker = load(_module("zz_marker"))
    index()
    load(_module("zz_pkg.later"))
    if replaced:
        sys.modules[marker.__name__] = _module(marker.__name__)
    assert sorted(namespace_index.loaded_under({"zz_pkg"})) == [
        "zz_pkg",
        "zz_pkg.later",
        "zz_pkg.sub",
    ]
    assert namespace_index.loaded_under({"zz_pkg.sub"}) == ["zz_pkg.sub"]
    assert namespace_index.loaded_under({"zz_absent"}) == []


class _Racing(dict):
    """sys.modules while another thread imports: reading it from the end
    fails as a dict changed during iteration does."""

    racing = False

    def __reversed__(self):
        if self.racing:
            raise RuntimeError("dictionary changed size during iteration")
        return super().__reversed__()


def test_a_module_imported_by_another_thread_meanwhile_means_walking_a_copy(
    monkeypatch, index
) -> None:
    """The blocker runs again inside the student's imports; a thread of theirs
    importing at that moment must not make it skip a namespace (it would
    leave a forbidden routine bound), only make it walk a copy of everything."""
    modules = _Racing(sys.modules)
    monkeypatch.setattr(namespace_index, "sys", types.SimpleNamespace(modules=modules))
    index()
    after = _module("zz_after")
    modules[after.__name__] = after
    modules.racing = True
    assert _holds(namespace_index.later_namespaces(), after)
    assert namespace_index.loaded_under({"zz_after"}) == ["zz_after"]
