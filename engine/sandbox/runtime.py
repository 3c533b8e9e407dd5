"""What runs inside the child: load the student's module, call its entry point
on each case's inputs, and send back the outputs as data.

This module runs next to hostile code, so it must import nothing that holds an
answer: only the standard library, NumPy and the wire codec. It never compares
anything; the trusted parent does. Whatever the student does to this process
(patching builtins, NumPy or this module) can only spoil its own outputs.
"""

from __future__ import annotations

import builtins
import inspect
import io
import linecache
import sys
import time
import traceback
import types
from collections.abc import Callable
from typing import Any

import numpy as np

from engine.sandbox import wire

SUBMISSION_FILENAME = "submission.py"
MAX_TRACEBACK_CHARS = 8_000
MAX_CASE_OUTPUT = 8_000


def run_job(
    request: dict[str, Any], progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """Run one submission on every case; never raises for the student's faults.

    The request holds `source`, `entry_point` and `cases` (a list of keyword
    argument dictionaries, passed by position). The reply holds `status` ("ok",
    "syntax_error", "missing_entry_point", "wrong_signature", "import_error")
    and, when the module loaded, one
    result per case: {"ok": True, "value": ..., "ms": ...} or
    {"ok": False, "error": "traceback text", "ms": ...}.
    """
    source = request["source"]
    entry_point = request["entry_point"]
    block_forbidden(request.get("forbidden", ()))
    try:
        code = compile(source, SUBMISSION_FILENAME, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return {
            "status": "syntax_error",
            "error": f"{type(exc).__name__}: {exc.msg}",
            "line": exc.lineno or 0,
            "column": exc.offset or 0,
        }
    # Tracebacks show the student's own lines.
    lines = source.splitlines(keepends=True)
    linecache.cache[SUBMISSION_FILENAME] = (
        len(source),
        None,
        lines,
        SUBMISSION_FILENAME,
    )
    namespace: dict[str, Any] = {"__name__": "submission", "__builtins__": builtins}
    try:
        exec(code, namespace)  # noqa: S102 - running the submission is the point
    except BaseException as exc:  # noqa: BLE001 - anything the module raises is its fault
        return {"status": "import_error", "error": format_student_error(exc)}
    function = namespace.get(entry_point)
    if not callable(function):
        return {
            "status": "missing_entry_point",
            "error": f"the submission does not define a function `{entry_point}`",
        }
    cases = request["cases"]
    problem = signature_problem(function, entry_point, cases[0] if cases else {})
    if problem:
        return {"status": "wrong_signature", "error": problem}
    results = []
    for number, case in enumerate(cases, start=1):
        results.append(call_case(function, case))
        if progress is not None:
            progress(number)
    return {"status": "ok", "results": results}


class ForbiddenCallError(RuntimeError):
    """Raised when the submission reaches a routine the exercise forbids."""


class _Forbidden:
    """Stands in for a forbidden routine: using it in any way raises."""

    _name: str

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        name = object.__getattribute__(self, "_name")
        raise ForbiddenCallError(f"{name} is not allowed in this exercise")

    __call__ = _refuse
    __getattr__ = _refuse
    __mro_entries__ = _refuse


class _ForbiddenModules:
    """A meta-path finder that refuses to import forbidden modules."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if any(
            fullname == name or fullname.startswith(name + ".") for name in self.names
        ):
            raise ForbiddenCallError(
                f"importing {fullname} is not allowed in this exercise"
            )
        return None


def block_forbidden(names: Any) -> None:
    """Defence in depth behind the static check: forbidden modules cannot be
    imported, and forbidden routines are replaced, under every module that
    exposes them (torch.nn.LSTMCell is also torch.nn.modules.rnn.LSTMCell)."""
    modules = {name for name in names if "." not in name}
    if modules:
        for loaded in list(sys.modules):
            if any(loaded == m or loaded.startswith(m + ".") for m in modules):
                del sys.modules[loaded]
        sys.meta_path.insert(0, _ForbiddenModules(modules))
    for dotted in (name for name in names if "." in name):
        parent_name, _, attribute = dotted.rpartition(".")
        target = _resolve(parent_name, attribute)
        if target is None or isinstance(target, types.ModuleType):
            # A whole submodule (torch.autograd) stays: the library itself
            # needs it. The static check still refuses naming it.
            continue
        stand_in = _Forbidden(dotted)
        for namespace in _namespaces_defining(attribute):
            if namespace.get(attribute) is target:
                namespace[attribute] = stand_in


_INDEX: dict[str, list[dict[str, Any]]] | None = None


def index_namespaces() -> None:
    """Record which module namespaces define each name. Called once in the
    host before it forks: a child then finds every module exposing a routine
    without walking (and so copying on write) a thousand module dicts."""
    global _INDEX
    index: dict[str, list[dict[str, Any]]] = {}
    for namespace in _module_namespaces():
        for name in namespace:
            if isinstance(name, str):
                index.setdefault(name, []).append(namespace)
    _INDEX = index


def _module_namespaces() -> list[dict[str, Any]]:
    # The module's own namespace, not getattr: torch's lazy module
    # __getattr__ would import half the library to answer.
    found = []
    for module in list(sys.modules.values()):
        namespace = getattr(module, "__dict__", None)
        if isinstance(namespace, dict):
            found.append(namespace)
    return found


def _namespaces_defining(name: str) -> list[dict[str, Any]]:
    if _INDEX is None:
        return [ns for ns in _module_namespaces() if name in ns]
    return _INDEX.get(name, [])


def _resolve(parent_name: str, attribute: str) -> Any:
    head, *rest = parent_name.split(".")
    value: Any = sys.modules.get(head)
    for part in rest:
        value = getattr(value, part, None)
    return getattr(value, attribute, None) if value is not None else None


def signature_problem(function: Any, name: str, arguments: dict[str, Any]) -> str:
    """Why the entry point cannot take the exercise's arguments, or ''.

    Arguments are passed by position, in the order of the statement's
    signature, so the student may name the parameters as they like.
    """
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return ""
    try:
        signature.bind(*arguments.values())
    except TypeError:
        wanted = ", ".join(arguments)
        return (
            f"`{name}{signature}` cannot be called with the exercise's "
            f"{len(arguments)} argument(s) ({wanted})"
        )
    return ""


def call_case(function: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Call the entry point once; what it prints is kept with this case alone,
    so a front end can withhold the output of hidden cases."""
    started = time.perf_counter()
    printed = CappedText(MAX_CASE_OUTPUT)
    saved = sys.stdout
    sys.stdout = printed
    try:
        value = function(*kwargs.values())
        plain = to_plain(value)  # only data the wire can carry gets past this
    except BaseException as exc:  # noqa: BLE001
        outcome = {"ok": False, "error": format_student_error(exc)}
    else:
        outcome = {"ok": True, "value": plain}
    finally:
        sys.stdout = saved
    outcome["ms"] = (time.perf_counter() - started) * 1000
    outcome["stdout"] = printed.text()
    return outcome


class CappedText(io.TextIOBase):
    """A stdout replacement that keeps the first `cap` characters."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        room = self.cap - self.size
        if len(text) > room:
            self.truncated = True
        kept = text[: max(room, 0)]
        self.parts.append(kept)
        self.size += len(kept)
        return len(text)

    def text(self) -> str:
        joined = "".join(self.parts)
        return joined + ("\n… (output truncated)" if self.truncated else "")


def to_plain(value: Any, depth: int = 0) -> Any:
    """Turn a student's return value into data the wire codec can carry.

    Tensors become arrays; only exact built-in containers and numbers pass,
    so an object with a forged `__eq__` never leaves the child.
    """
    if depth > wire.MAX_DEPTH:
        raise TypeError("the returned value is nested too deeply")
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        value = value.detach().cpu().resolve_conj().resolve_neg().numpy()
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in wire.ALLOWED_KINDS:
            raise TypeError(f"cannot return an array of dtype {value.dtype}")
        return np.array(value, copy=True, subok=False)
    if kind in (list, tuple):
        items = [to_plain(item, depth + 1) for item in value]
        return tuple(items) if kind is tuple else items
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("dictionary keys in the returned value must be strings")
            out[key] = to_plain(item, depth + 1)
        return out
    raise TypeError(f"cannot return a value of type {kind.__name__}")


def format_student_error(exc: BaseException) -> str:
    """The traceback restricted to the student's own frames."""
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename == SUBMISSION_FILENAME
    ]
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    text = "".join(lines)
    if len(text) > MAX_TRACEBACK_CHARS:
        text = text[:MAX_TRACEBACK_CHARS] + "\n… (traceback truncated)"
    return text
