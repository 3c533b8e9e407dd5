"""Forbidden routines refused at run time, inside the child.

`block_forbidden` makes every forbidden routine and alias (the table in
`engine.sandbox.forbidden`) refuse to run: the name is rebound, wherever a
module exposes the object, to a stand-in that raises ForbiddenCallError when
it is used; a Python function or class is also made to refuse by itself, so
that reaching the original object some other way (a subclass list, a closure)
does not help; an immutable namespace (torch._C._VariableFunctions) is
replaced by a proxy that refuses those names. Modules loaded later (the
student imports torch, or a submodule that re-exports the routine) are covered
once the import completes. Forbidden modules that the library does not need
cannot be imported.

This is defence in depth behind the static check, not a proof: code in the
child can reach anything in its own process (ctypes, the garbage collector).
Only the routines an exercise forbids are touched: the rest of the library
keeps working.

This module runs next to hostile code: it imports only the standard library.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from engine.sandbox.forbidden import (
    MODULE_ROUTINES,
    NAME_ONLY,
    REFUSED,
    ForbiddenCallError,
    expand,
    refusal,
)
from engine.sandbox.namespace_index import (
    indexed_namespaces,
    later_namespaces,
    loaded_under,
)

# Packages the sandbox imports before any job: a forbidden submodule of these
# is never refused at import (the package imports its own submodules).
_PRELOADED_ROOTS = frozenset({"torch", "numpy"})


class _Forbidden:
    """Stands in for a forbidden routine: calling it, subclassing it or
    reading its attributes raises."""

    __slots__ = ("_message",)

    def __init__(self, message: str) -> None:
        object.__setattr__(self, "_message", message)

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise ForbiddenCallError(object.__getattribute__(self, "_message"))

    __call__ = _refuse
    __mro_entries__ = _refuse

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            # Introspection (hasattr(x, "__wrapped__"), copy, inspect) must
            # not explode; using the routine does.
            raise AttributeError(name)
        return self._refuse()

    def __repr__(self) -> str:
        return f"<forbidden: {object.__getattribute__(self, '_message')}>"


class _Guarded:
    """A proxy for an immutable namespace (torch._C._VariableFunctions, whose
    attributes cannot be replaced): refuses some names, forwards the rest."""

    __slots__ = ("_refused", "_target")

    def __init__(self, target: Any) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_refused", {})

    def __getattribute__(self, name: str) -> Any:
        refused = object.__getattribute__(self, "_refused")
        if name in refused:
            return refused[name]
        return getattr(object.__getattribute__(self, "_target"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        object.__getattribute__(self, "_refused")[name] = value

    def __dir__(self) -> list[str]:
        return dir(object.__getattribute__(self, "_target"))

    def __repr__(self) -> str:
        return repr(object.__getattribute__(self, "_target"))


def _refusing(*args: Any, _forbidden_stand_in: Any = None, **kwargs: Any) -> Any:
    """The body given to a forbidden Python function: it calls its stand-in,
    which raises."""
    return _forbidden_stand_in(*args, **kwargs)


def _refusing_init(stand_in: _Forbidden) -> Any:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        stand_in(*args, **kwargs)

    return __init__


def _poison(target: Any, stand_in: _Forbidden) -> None:
    """Make the object itself refuse, wherever else it is reached from."""
    try:
        if isinstance(target, type):
            type.__setattr__(target, "__init__", _refusing_init(stand_in))
        elif isinstance(target, types.FunctionType) and not target.__code__.co_freevars:
            target.__code__ = _refusing.__code__
            target.__defaults__ = None
            target.__kwdefaults__ = {"_forbidden_stand_in": stand_in}
    except (TypeError, AttributeError):
        pass  # a built-in type: its names are replaced, that is all


class _ForbiddenModules:
    """A meta-path finder that refuses to import forbidden modules."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if any(
            fullname == name or fullname.startswith(name + ".") for name in self.names
        ):
            raise ForbiddenCallError(f"importing {fullname} {REFUSED}")
        return None


class _ThenBlock:
    """Wraps a module's loader: once the outermost watched import completes,
    the routines it brought in are blocked."""

    depth = 0

    def __init__(self, loader: Any, blocker: _Blocker) -> None:
        self.loader = loader
        self.blocker = blocker

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        # The module looks as if this wrapper had never been there.
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        _ThenBlock.depth += 1
        try:
            self.loader.exec_module(module)
        finally:
            _ThenBlock.depth -= 1
        if _ThenBlock.depth == 0:
            self.blocker.install()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)


class _AfterImport:
    """A meta-path finder that notices imports of modules that may expose a
    routine not blocked yet (torch itself, in a fresh interpreter)."""

    def __init__(self, blocker: _Blocker) -> None:
        self.blocker = blocker

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname not in self.blocker.watched():
            return None
        after = False
        for finder in list(sys.meta_path):
            if finder is self:
                after = True
                continue
            find = getattr(finder, "find_spec", None)
            if not after or find is None:
                continue
            spec = find(fullname, path, target)
            if spec is None:
                continue
            if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                spec.loader = _ThenBlock(spec.loader, self.blocker)
            return spec
        return None


class _Blocker:
    """Installs the stand-ins for one job's forbidden routines."""

    def __init__(self, table: dict[str, str]) -> None:
        self.pending = dict(table)
        self.proxies: dict[int, _Guarded] = {}
        self.later: list[dict[str, Any]] = []
        self.busy = False
        self._watched: set[str] | None = None

    def install(self) -> None:
        if self.busy:
            return
        self.busy = True
        try:
            self.later = later_namespaces()
            for path, entry in list(self.pending.items()):
                if self._install(path, entry, poison=path not in NAME_ONLY):
                    self.pending.pop(path, None)
        finally:
            self.busy = False
            self._watched = None

    def watched(self) -> set[str]:
        """Modules whose import may make a pending name resolvable."""
        if self._watched is None:
            names: set[str] = set()
            for path in self.pending:
                parts = path.split(".")
                names.update(".".join(parts[:end]) for end in range(1, len(parts)))
            self._watched = names
        return self._watched

    def _install(self, path: str, entry: str, *, poison: bool) -> bool:
        """Block one name; False if it cannot be resolved yet."""
        parent_path, _, attribute = path.rpartition(".")
        if not parent_path:
            return True  # a top-level module: refused at import
        parent = _lookup(parent_path)
        if parent is None:
            return False
        target = _child(parent, attribute, path)
        if target is None:
            return False
        if isinstance(target, (_Forbidden, _Guarded)):
            return True
        if isinstance(target, types.ModuleType):
            # A forbidden module already loaded (the library imported it):
            # what it offers is refused, name by name.
            for name in _public_names(target):
                self._install(f"{path}.{name}", entry, poison=False)
            return True
        stand_in = _Forbidden(refusal(path, entry))
        self._replace(parent, parent_path, attribute, stand_in)
        for namespace in self._defining(attribute):
            if namespace.get(attribute) is target:
                namespace[attribute] = stand_in
        if poison:
            _poison(target, stand_in)
        return True

    def _defining(self, name: str) -> list[dict[str, Any]]:
        """Module namespaces that may bind `name`."""
        return indexed_namespaces(name) + [ns for ns in self.later if name in ns]

    def _replace(
        self, parent: Any, parent_path: str, attribute: str, stand_in: _Forbidden
    ) -> None:
        try:
            setattr(parent, attribute, stand_in)
        except (TypeError, AttributeError):
            pass
        else:
            return
        # An immutable C type, or an instance of one: the namespace itself is
        # replaced by a proxy that refuses the name.
        grand_path, _, parent_attribute = parent_path.rpartition(".")
        grand = _lookup(grand_path) if grand_path else None
        if grand is None:
            return
        proxy = self.proxies.get(id(parent))
        if proxy is None:
            proxy = self.proxies[id(parent)] = _Guarded(parent)
        refused = object.__getattribute__(proxy, "_refused")
        refused.setdefault(attribute, stand_in)  # the first name keeps its message
        try:
            setattr(grand, parent_attribute, proxy)
        except (TypeError, AttributeError):
            return
        for namespace in self._defining(parent_attribute):
            if namespace.get(parent_attribute) is parent:
                namespace[parent_attribute] = proxy


_ABSENT = object()


def _child(value: Any, name: str, fullname: str) -> Any:
    """value.name, or None; never imports a module that is not loaded yet."""
    if type(value) is types.ModuleType:
        # A plain module: its own namespace, so that a lazy module
        # __getattr__ (torch's) does not import half the library to answer.
        found = vars(value).get(name, _ABSENT)
        return sys.modules.get(fullname) if found is _ABSENT else found
    try:
        return getattr(value, name)
    except Exception:  # noqa: BLE001 - a missing or broken attribute is just absent
        return None


def _lookup(path: str) -> Any:
    head, *rest = path.split(".")
    value: Any = sys.modules.get(head)
    name = head
    for part in rest:
        if value is None:
            return None
        name = f"{name}.{part}"
        value = _child(value, part, name)
    return value


def _public_names(module: types.ModuleType) -> list[str]:
    declared = vars(module).get("__all__")
    if isinstance(declared, (list, tuple)):
        return [name for name in declared if isinstance(name, str)]
    return [
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and getattr(value, "__module__", None) == module.__name__
    ]


def block_forbidden(names: Any) -> None:
    """Make the job's forbidden routines and their aliases refuse to run, and
    its forbidden modules refuse to import. Called in the child before the
    student's module runs."""
    entries = [name for name in names if isinstance(name, str)]
    refused_imports = {
        name
        for name in entries
        if name not in MODULE_ROUTINES
        and ("." not in name or name.split(".")[0] not in _PRELOADED_ROOTS)
    }
    if refused_imports:
        for loaded in loaded_under(refused_imports):
            del sys.modules[loaded]
        sys.meta_path.insert(0, _ForbiddenModules(refused_imports))
    table = {
        path: entry
        for path, entry in expand(entries).items()
        if path not in MODULE_ROUTINES and "." in path
    }
    blocker = _Blocker(table)
    blocker.install()
    if blocker.pending:
        position = 1 if refused_imports else 0
        sys.meta_path.insert(position, _AfterImport(blocker))
