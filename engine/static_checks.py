"""Checks on the submission's syntax tree, before anything runs.

Parsing never executes code, so it happens in the trusted process. A forbidden
call found here is a clear verdict (the student used a library routine that
would do the exercise for them), not a crash.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class ParseFailure:
    message: str
    line: int
    column: int


@dataclass(frozen=True)
class ForbiddenUse:
    name: str
    line: int


def parse(source: str) -> ast.Module | ParseFailure:
    try:
        return ast.parse(source, filename="submission.py")
    except SyntaxError as exc:
        line, column = exc.lineno or 0, exc.offset or 0
        return ParseFailure(f"{type(exc).__name__}: {exc.msg}", line, column)
    except (ValueError, RecursionError, MemoryError) as exc:
        return ParseFailure(f"the source could not be parsed: {exc}", 0, 0)


def find_forbidden(tree: ast.Module, forbidden: tuple[str, ...]) -> ForbiddenUse | None:
    """The first use of a forbidden module or routine, if any.

    An entry without a dot ("torchvision", "sklearn") forbids importing that
    module or its submodules. A dotted entry ("torch.nn.LSTMCell",
    "torch.nn.functional.cosine_similarity") forbids its last name, whether it
    is reached as an attribute, imported by name or named in a string given to
    getattr or __import__.
    """
    modules = {item for item in forbidden if "." not in item}
    names = {item.rsplit(".", 1)[1]: item for item in forbidden if "." in item}
    for node in ast.walk(tree):
        found = _check_node(node, modules, names)
        if found:
            return ForbiddenUse(found, getattr(node, "lineno", 0))
    return None


def _check_node(node: ast.AST, modules: set[str], names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            hit = _module_hit(alias.name, modules) or names.get(
                alias.name.rsplit(".", 1)[-1]
            )
            if hit:
                return hit
    elif isinstance(node, ast.ImportFrom):
        hit = _module_hit(node.module or "", modules)
        if hit:
            return hit
        for alias in node.names:
            if alias.name in names:
                return names[alias.name]
    elif isinstance(node, ast.Attribute) and node.attr in names:
        return names[node.attr]
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        # getattr(nn, "LSTMCell"): a string naming a forbidden routine. Module
        # names are not matched in strings (a plain "art" is not an import);
        # importing through a string is caught in the child at run time.
        return names.get(node.value.strip())
    return None


def _module_hit(module: str, modules: set[str]) -> str | None:
    for forbidden in modules:
        if module == forbidden or module.startswith(forbidden + "."):
            return forbidden
    return None
