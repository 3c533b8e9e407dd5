"""Routines an exercise forbids: the alias table, and their refusal at run time.

An exercise's `forbidden` list names library routines ("torch.nn.LSTMCell")
and modules ("sklearn") that would do the exercise for the student. A routine
is reachable under more than one name: nn.LSTMCell computes torch.lstm_cell,
which is also torch._VF.lstm_cell, torch._C._VariableFunctions.lstm_cell and
torch.ops.aten.lstm_cell. `ALIASES` lists those other names; the static check
(engine.static_checks) and the run-time refusal below both use it.

At run time, inside the child, `block_forbidden` makes every forbidden routine
and alias refuse to run: the name is rebound, wherever a module exposes the
object, to a stand-in that raises ForbiddenCallError when it is used; a Python
function or class is also made to refuse by itself, so that reaching the
original object some other way (a subclass list, a closure) does not help; an
immutable namespace (torch._C._VariableFunctions) is replaced by a proxy that
refuses those names. Modules loaded later (the student imports torch, or a
submodule that re-exports the routine) are covered once the import completes.
Forbidden modules that the library does not need cannot be imported.

This is defence in depth behind the static check, not a proof: code in the
child can reach anything in its own process (ctypes, the garbage collector).
Only the routines an exercise forbids are touched: the rest of the library
keeps working.

This module runs next to hostile code: it imports only the standard library.
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterable
from typing import Any

REFUSED = "is not allowed in this exercise"


class ForbiddenCallError(RuntimeError):
    """Raised when the submission reaches a routine the exercise forbids."""


# ---------------------------------------------------------------- alias table


def _aten(op: str) -> tuple[str, ...]:
    """Every Python name of one ATen operator exposed at torch's top level."""
    return (
        f"torch.{op}",
        f"torch._C._VariableFunctions.{op}",
        f"torch._C._VariableFunctionsClass.{op}",
        f"torch._VF.{op}",
        f"torch._VF.vf.{op}",
        f"torch.ops.aten.{op}",
    )


def _aten_nn(op: str) -> tuple[str, ...]:
    """An ATen operator exposed through torch.nn.functional (torch._C._nn)."""
    return (f"torch._C._nn.{op}", f"torch.ops.aten.{op}")


def _quantized_rnn(name: str) -> tuple[str, ...]:
    """A recurrent module's quantized versions (they take float weights too)."""
    paths = [f"torch.nn.modules.rnn.{name}"]
    for package in ("torch.ao.nn.quantized.dynamic", "torch.nn.quantized.dynamic"):
        paths += [f"{package}.{name}", f"{package}.modules.rnn.{name}"]
    if name in ("LSTMCell", "LSTM"):
        # A pure-Python LSTM built from Linear layers.
        for package in ("torch.ao.nn.quantizable", "torch.nn.quantizable"):
            paths += [f"{package}.{name}", f"{package}.modules.rnn.{name}"]
    return tuple(paths)


# nn.RNNBase("LSTM", ...) is nn.LSTM: its name is refused where a recurrent
# module is, but the class itself keeps working (nn.LSTM is built on it).
_RNN_BASE = ("torch.nn.RNNBase", "torch.nn.modules.rnn.RNNBase")

_JACOBIAN_FAMILY = tuple(
    f"torch.autograd.functional.{name}"
    for name in ("jacobian", "hessian", "vjp", "jvp", "hvp", "vhp")
)

_EAGER = "torch._functorch.eager_transforms"

# forbidden entry -> the other names of the same routine (or of a routine
# that computes the same thing from the same arguments).
ALIASES: dict[str, tuple[str, ...]] = {
    # recurrent cells and layers
    "torch.nn.LSTMCell": (
        *_quantized_rnn("LSTMCell"),
        *_aten("lstm_cell"),
        *_aten("quantized_lstm_cell"),
    ),
    "torch.nn.LSTM": (
        *_quantized_rnn("LSTM"),
        *_aten("lstm"),
        *_aten("quantized_lstm"),
        *_RNN_BASE,
    ),
    "torch.nn.GRUCell": (
        *_quantized_rnn("GRUCell"),
        *_aten("gru_cell"),
        *_aten("quantized_gru_cell"),
    ),
    "torch.nn.GRU": (
        *_quantized_rnn("GRU"),
        *_aten("gru"),
        *_aten("quantized_gru"),
        *_RNN_BASE,
    ),
    "torch.nn.RNNCell": (
        *_quantized_rnn("RNNCell"),
        *_aten("rnn_tanh_cell"),
        *_aten("rnn_relu_cell"),
        *_aten("quantized_rnn_tanh_cell"),
        *_aten("quantized_rnn_relu_cell"),
    ),
    "torch.nn.RNN": (
        "torch.nn.modules.rnn.RNN",
        *_aten("rnn_tanh"),
        *_aten("rnn_relu"),
        *_RNN_BASE,
    ),
    # cosine similarity (cosine_embedding_loss with target 1 is 1 - cos)
    "torch.nn.functional.cosine_similarity": (
        *_aten("cosine_similarity"),
        "torch.nn.functional.cosine_embedding_loss",
        *_aten("cosine_embedding_loss"),
        "torch.nn.CosineEmbeddingLoss",
        "torch.nn.modules.loss.CosineEmbeddingLoss",
    ),
    "torch.nn.CosineSimilarity": ("torch.nn.modules.distance.CosineSimilarity",),
    # binary cross-entropy and its pieces
    "torch.nn.functional.binary_cross_entropy": _aten_nn("binary_cross_entropy"),
    "torch.nn.BCELoss": ("torch.nn.modules.loss.BCELoss",),
    "torch.nn.functional.binary_cross_entropy_with_logits": _aten(
        "binary_cross_entropy_with_logits"
    ),
    "torch.nn.BCEWithLogitsLoss": ("torch.nn.modules.loss.BCEWithLogitsLoss",),
    "torch.nn.functional.logsigmoid": (
        *_aten_nn("log_sigmoid"),
        "torch.ops.aten.log_sigmoid_forward",
        "torch.nn.LogSigmoid",
        "torch.nn.modules.activation.LogSigmoid",
    ),
    "torch.nn.functional.softplus": (
        *_aten_nn("softplus"),
        "torch.nn.Softplus",
        "torch.nn.modules.activation.Softplus",
    ),
    # embeddings
    "torch.nn.EmbeddingBag": (
        "torch.nn.modules.sparse.EmbeddingBag",
        "torch.nn.functional.embedding_bag",
        *_aten("embedding_bag"),
        *_aten("_embedding_bag"),
        *_aten("_embedding_bag_forward_only"),
    ),
    # rotations
    "numpy.rot90": ("numpy.lib._function_base_impl.rot90",),
    "torch.rot90": (*_aten("rot90"), "torch.Tensor.rot90"),
    # pseudo-inverses and least squares
    "numpy.linalg.pinv": (
        "numpy.linalg._linalg.pinv",
        "numpy.linalg.linalg.pinv",
        "scipy.linalg.pinv",
        "torch.linalg.pinv",
        "torch._C._linalg.linalg_pinv",
        "torch.ops.aten.linalg_pinv",
    ),
    "numpy.linalg.lstsq": (
        "numpy.linalg._linalg.lstsq",
        "numpy.linalg.linalg.lstsq",
        "scipy.linalg.lstsq",
        "torch.linalg.lstsq",
        "torch._C._linalg.linalg_lstsq",
        "torch.ops.aten.linalg_lstsq",
    ),
    "torch.pinverse": (
        *_aten("pinverse"),
        "torch.Tensor.pinverse",
        "torch.linalg.pinv",
        "torch._C._linalg.linalg_pinv",
        "torch.ops.aten.linalg_pinv",
    ),
    "scipy.linalg.pinvh": ("scipy.linalg._basic.pinvh",),
    # automatic differentiation
    "torch.autograd.functional.jacobian": _JACOBIAN_FAMILY,
    "torch.autograd.grad": (),
    "torch.autograd.backward": (),
    "torch.Tensor.backward": ("torch._tensor.Tensor.backward",),
    "torch.func.jacrev": (
        f"{_EAGER}.jacrev",
        "torch.func.hessian",
        f"{_EAGER}.hessian",
        "functorch.jacrev",
        "functorch.hessian",
    ),
    "torch.func.jacfwd": (
        f"{_EAGER}.jacfwd",
        "torch.func.jvp",
        f"{_EAGER}.jvp",
        "torch.func.linearize",
        f"{_EAGER}.linearize",
        "functorch.jacfwd",
        "functorch.jvp",
        # forward-mode AD by hand: a Jacobian column per dual tangent
        "torch.autograd.forward_ad.make_dual",
        "torch.autograd.forward_ad.unpack_dual",
    ),
    "torch.func.vjp": (
        f"{_EAGER}.vjp",
        "torch.func.grad",
        "torch.func.grad_and_value",
        "torch._functorch.apis.grad",
        "torch._functorch.apis.grad_and_value",
        f"{_EAGER}.grad",
        f"{_EAGER}.grad_and_value",
        "functorch.vjp",
        "functorch.grad",
        "functorch.grad_and_value",
    ),
}

# A forbidden module that the library itself needs stays importable; what it
# offers the student is refused instead. The static check still refuses any
# name under the module.
MODULE_ROUTINES: dict[str, tuple[str, ...]] = {
    "torch.autograd": (
        "torch.autograd.grad",
        "torch.autograd.backward",
        "torch.Tensor.backward",
        "torch.autograd.functional.jacobian",
        "torch.autograd.forward_ad.make_dual",
        "torch.autograd.forward_ad.unpack_dual",
    ),
    "torch.func": ("torch.func.jacrev", "torch.func.jacfwd", "torch.func.vjp"),
    # torch.ops.aten is all of torch: refused by the static check alone.
    "torch.ops": (),
}

# Internals shared by several forbidden routines: refused only when all of
# them are forbidden (the engine behind both torch.autograd.grad and
# Tensor.backward), under the name of the entry given first.
_SHARED: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("torch.autograd.backward", "torch.autograd.grad", "torch.Tensor.backward"),
        (
            "torch.autograd.graph._engine_run_backward",
            "torch.autograd.variable.Variable._execution_engine",
        ),
    ),
)

# Replaced under their own names, never made to refuse by themselves: other
# routines are built on them.
_NAME_ONLY = frozenset(_RNN_BASE)

# Packages the sandbox imports before any job: a forbidden submodule of these
# is never refused at import (the package imports its own submodules).
_PRELOADED_ROOTS = frozenset({"torch", "numpy"})


def expand(forbidden: Iterable[str]) -> dict[str, str]:
    """Every forbidden name with its aliases: dotted name -> the exercise's
    entry it falls under."""
    entries = [str(item) for item in forbidden]
    found: dict[str, str] = {}

    def add(path: str, entry: str) -> None:
        found.setdefault(path, entry)
        for alias in ALIASES.get(path, ()):
            found.setdefault(alias, entry)

    for entry in entries:
        add(entry, entry)
    for entry in entries:  # after every entry has its own name
        for routine in MODULE_ROUTINES.get(entry, ()):
            add(routine, entry)
    for needed, paths in _SHARED:
        if all(name in found for name in needed):
            for path in paths:
                found.setdefault(path, found[needed[0]])
    return found


def describe(path: str, entry: str) -> str:
    """`path` as a report names it: "torch.lstm_cell (a form of
    torch.nn.LSTMCell)", "sklearn.svm (part of sklearn)"."""
    if path == entry:
        return path
    if path.startswith(entry + "."):
        return f"{path} (part of {entry})"
    return f"{path} (a form of {entry})"


def refusal(path: str, entry: str) -> str:
    """The error text for using `path`, which falls under the exercise's
    forbidden `entry`: "torch.lstm_cell is not allowed in this exercise (a
    form of torch.nn.LSTMCell)"."""
    if path == entry:
        return f"{path} {REFUSED}"
    return f"{path} {REFUSED} ({describe(path, entry).split(' (', 1)[1]}"


_REFUSAL = re.compile(
    r"ForbiddenCallError: (?P<import>importing )?(?P<path>[\w.]+) " + re.escape(REFUSED)
)


def read_refusal(error: str, forbidden: Iterable[str]) -> str | None:
    """What a child's ForbiddenCallError says was used, described as in
    `describe`, or None. The error text comes from the child, which the
    student controls: only a name this exercise forbids is ever returned."""
    table = expand(forbidden)
    for found in reversed(list(_REFUSAL.finditer(error))):
        path = found.group("path")
        entry = entry_of(path, table)
        if entry is None:
            continue
        if found.group("import"):
            return f"an import of {describe(path, entry)}"
        return describe(path, entry)
    return None


def entry_of(path: str, table: dict[str, str]) -> str | None:
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        entry = table.get(".".join(parts[:end]))
        if entry is not None:
            return entry
    return None


# ----------------------------------------------------------------- stand-ins


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
            self.later = _later_namespaces()
            for path, entry in list(self.pending.items()):
                if self._install(path, entry, poison=path not in _NAME_ONLY):
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
        indexed = _INDEX.get(name, []) if _INDEX is not None else []
        return indexed + [ns for ns in self.later if name in ns]

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
        for loaded in list(sys.modules):
            if any(loaded == m or loaded.startswith(m + ".") for m in refused_imports):
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


# ------------------------------------------------------------ namespace index

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


def _later_namespaces() -> list[dict[str, Any]]:
    """Namespaces of the modules the index does not cover (all of them when
    there is no index: a fresh interpreter)."""
    if _INDEX is None:
        return [ns for _, ns in _module_namespaces()]
    return [ns for _, ns in _module_namespaces(_INDEXED)]
