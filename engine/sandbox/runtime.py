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
from collections.abc import Callable
from typing import Any

import numpy as np

from engine.sandbox import wire
from engine.sandbox.blocking import block_forbidden
from engine.sandbox.forbidden import ForbiddenCallError as ForbiddenCallError
from engine.sandbox.namespace_index import index_namespaces as index_namespaces

SUBMISSION_FILENAME = "submission.py"
MAX_TRACEBACK_CHARS = 8_000
MAX_CASE_OUTPUT = 8_000


def load_torch(threads: int, *, compiler: bool = True) -> None:
    """torch as every job finds it, loaded before the job's CPU time counts:
    by the warm host before it forks (the children share those pages) or by
    a fresh interpreter before its budget starts. Without `compiler`, torch's
    compiler stack is left for a job to import (a one-shot grading's first
    try: engine.sandbox.one_shot)."""
    import torch

    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    _ = torch.zeros(1) + 1  # initialise the CPU allocator single-threaded
    if compiler:
        import_torch_lazy_parts()


def import_torch_lazy_parts() -> None:
    """What torch imports only when first used: its compiler stack
    (torch._dynamo, with sympy: about 800 modules, 0.9 s of CPU on the
    development machine and twice that on a busy one), pulled in by the first
    optimiser a program builds or the first torch.func transform it calls. A
    correct solution using torch.optim in a 1 s exercise would otherwise pay
    it within its limit."""
    import torch

    torch.optim.SGD([torch.zeros(1, requires_grad=True)])


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
    # Each result names the case it answers by its position in the job; the
    # trusted side matches them and treats anything but exactly one result
    # per case sent as interference, never as a pass.
    results = []
    for number, case in enumerate(cases, start=1):
        results.append({"case": number - 1, **call_case(function, case)})
        if progress is not None:
            progress(number)
    return {"status": "ok", "results": results}


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
