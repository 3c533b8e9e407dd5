"""Checks on the submission's syntax tree, before anything runs.

Parsing never executes code, so it happens in the trusted process. A forbidden
call found here is a clear verdict (the student used a library routine that
would do the exercise for them), not a crash.

Forbidden uses are found by resolution, not by spelling: the check follows what
each name is bound to (`import torch.nn as nn`, `from torch.nn import
functional as F`, `F2 = F`, `C = getattr(nn, "LSTM" + "Cell")`) and refuses
an expression only when it resolves to a forbidden routine, one of its aliases
(engine.sandbox.forbidden.ALIASES) or a forbidden module. The student's own
names (`self.jacobian`, a function of their own called `cosine_similarity`,
strings in `__all__` or in a print) never resolve to a library routine, so
they never trigger it. What cannot be resolved without running the code
(`getattr(nn, name)` with a computed name, `x.backward()` on a tensor) is left
to the run-time check in the child (engine.sandbox.blocking).

Which scope binds each name, and to what, is `engine.name_binding`; what an
expression resolves to is `engine.name_resolution`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from engine.name_binding import Bindings
from engine.name_resolution import Resolver
from engine.sandbox.forbidden import describe, entry_of, expand


@dataclass(frozen=True)
class ParseFailure:
    message: str
    line: int
    column: int


@dataclass(frozen=True)
class ForbiddenUse:
    """`name` is what the code uses ("torch.lstm_cell"); `entry` is the
    exercise's forbidden entry it falls under ("torch.nn.LSTMCell")."""

    name: str
    line: int
    entry: str = ""

    @property
    def described(self) -> str:
        """As a report names it: "torch.lstm_cell (a form of torch.nn.LSTMCell)"."""
        return describe(self.name, self.entry or self.name)


def parse(source: str) -> ast.Module | ParseFailure:
    try:
        return ast.parse(source, filename="submission.py")
    except SyntaxError as exc:
        line, column = exc.lineno or 0, exc.offset or 0
        return ParseFailure(f"{type(exc).__name__}: {exc.msg}", line, column)
    except (ValueError, RecursionError, MemoryError) as exc:
        return ParseFailure(f"the source could not be parsed: {exc}", 0, 0)


def find_forbidden(tree: ast.Module, forbidden: tuple[str, ...]) -> ForbiddenUse | None:
    """The first use (by position in the source) of a forbidden module or
    routine, if any.

    Each entry forbids itself and every name under it: "sklearn" forbids
    importing sklearn or sklearn.linear_model; "torch.nn.LSTMCell" forbids
    torch.nn.LSTMCell however it is reached (nn.LSTMCell after `import
    torch.nn as nn`, C after `from torch.nn import LSTMCell as C`,
    getattr(torch.nn, "LSTMCell")) and its aliases (torch.lstm_cell, ...).
    """
    if not forbidden:
        return None
    try:
        return _first_use(Bindings(tree), expand(forbidden))
    except RecursionError:
        return None  # too deep to analyse: the run-time check still applies


def _first_use(bindings: Bindings, table: dict[str, str]) -> ForbiddenUse | None:
    """The first place (line, then column) that imports or uses a name which
    falls under a forbidden entry of `table` (see `expand`)."""
    resolver = Resolver()
    hits: list[tuple[int, int, int, str, str]] = []

    def hit(node: ast.AST, path: str) -> None:
        # The forbidden entry `path` falls under: the name itself or anything
        # under it (torch.nn.LSTMCell.forward, sklearn.svm).
        entry = entry_of(path, table)
        if entry is not None:
            line, column = getattr(node, "lineno", 0), getattr(node, "col_offset", 0)
            # Of nested names at one place, the whole one as written.
            hits.append((line, column, -len(path), path, entry))

    for node, module, names in bindings.imports:
        hit(node, module)
        for name in names:
            hit(node, name)
    for node in bindings.uses:
        scope = bindings.scope_of[id(node)]
        for path in sorted(resolver.resolve(node, scope, 0)):
            hit(node, path)
        if isinstance(node, ast.Call):
            for module in resolver.imported_by(node, scope):
                hit(node, module)
    if not hits:
        return None
    line, _, _, path, entry = min(hits)
    return ForbiddenUse(path, line, entry)
