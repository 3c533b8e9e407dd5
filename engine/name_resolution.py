"""Name resolution in a submission's syntax tree, without running it: the
dotted library paths an expression may evaluate to, given the bindings of
`engine.name_binding`.

A name resolves through what it is bound to (`import torch.nn as nn`, `F2 =
F`), an attribute adds to its object's path, and a few calls are followed when
their arguments are plain to see: getattr(obj, "name"), __import__ and
importlib.import_module, ATen operator look-ups, sys.modules and a module's
__dict__. What "plain to see" means is constant folding of strings: literals,
concatenation, repetition, f-strings, slices and str.join of such parts.
"""

from __future__ import annotations

import ast
from typing import Any

from engine.name_binding import Scope, lookup

# Callables that import a module named by a string.
_IMPORTERS = frozenset(
    {"builtins.__import__", "importlib.__import__", "importlib.import_module"}
)
# Callables that look an ATen operator up by its schema name ("aten::lstm_cell").
_OPERATOR_LOOKUPS = frozenset(
    {"torch._C._jit_get_operation", "torch._C._get_operation_overload"}
)
_MAX_CONSTANT = 1_000
_MAX_DEPTH = 30


class Resolver:
    """Resolves expressions to paths, remembering each node's answer."""

    def __init__(self) -> None:
        self.resolved: dict[int, set[str]] = {}
        self.active: set[tuple[int, str]] = set()

    def _resolve_name(self, name: str, scope: Scope, depth: int) -> set[str]:
        bindings = lookup(name, scope)
        if bindings is None:
            # A builtin, or a name brought in by `from module import *`.
            stars = scope.module().stars
            return {f"{module}.{name}" for module in stars} | {f"builtins.{name}"}
        key = (id(scope), name)
        if key in self.active:
            return set()
        self.active.add(key)
        try:
            paths: set[str] = set()
            for kind, payload, where in bindings:
                if kind == "path":
                    paths.add(payload)
                elif kind == "expr" and where is not None:
                    paths |= self.resolve(payload, where, depth + 1)
            return paths
        finally:
            self.active.discard(key)

    def resolve(self, node: ast.AST, scope: Scope, depth: int) -> set[str]:
        """The dotted paths `node` may evaluate to (empty: none known)."""
        if depth > _MAX_DEPTH:
            return set()
        cached = self.resolved.get(id(node))
        if cached is not None:
            return cached
        paths = self._evaluate(node, scope, depth)
        self.resolved[id(node)] = paths
        return paths

    def _evaluate(self, node: ast.AST, scope: Scope, depth: int) -> set[str]:
        if isinstance(node, ast.Name):
            return self._resolve_name(node.id, scope, depth)
        if isinstance(node, ast.Attribute):
            return {f"{p}.{node.attr}" for p in self.resolve(node.value, scope, depth)}
        if isinstance(node, ast.Subscript):
            key = self._constant(node.slice, scope, depth)
            if key is None:
                return set()
            found = set()
            for path in self._container_paths(node.value, scope, depth):
                found.add(key if path == "sys.modules" else f"{path}.{key}")
            return found
        if isinstance(node, ast.Call):
            return self._call(node, scope, depth)
        if isinstance(node, ast.NamedExpr):
            return self.resolve(node.value, scope, depth)
        return set()

    def _container_paths(self, node: ast.expr, scope: Scope, depth: int) -> set[str]:
        """What a subscripted container holds names of: sys.modules,
        module.__dict__, vars(module)."""
        found = set()
        for path in self.resolve(node, scope, depth):
            if path == "sys.modules":
                found.add(path)
            elif path.endswith(".__dict__"):
                found.add(path.removesuffix(".__dict__"))
        if (
            isinstance(node, ast.Call)
            and len(node.args) == 1
            and "builtins.vars" in self.resolve(node.func, scope, depth)
        ):
            found |= self.resolve(node.args[0], scope, depth)
        return found

    def _call(self, node: ast.Call, scope: Scope, depth: int) -> set[str]:
        callee = self.resolve(node.func, scope, depth)
        found: set[str] = set()
        if "builtins.getattr" in callee and len(node.args) >= 2:
            name = self._constant(node.args[1], scope, depth)
            if name is not None:
                found |= {
                    f"{p}.{name}" for p in self.resolve(node.args[0], scope, depth)
                }
        if callee & _IMPORTERS and node.args:
            module = self._constant(node.args[0], scope, depth)
            if module and not module.startswith("."):
                whole = "importlib.import_module" in callee or _has_fromlist(node)
                found.add(module if whole else module.split(".")[0])
        if callee & _OPERATOR_LOOKUPS and node.args:
            operator = self._constant(node.args[0], scope, depth)
            if operator and "::" in operator:
                namespace, _, op = operator.partition("::")
                found.add(f"torch.ops.{namespace}.{op.split('.')[0]}")
        if "sys.modules.get" in callee and node.args:
            module = self._constant(node.args[0], scope, depth)
            if module:
                found.add(module)
        return found

    def imported_by(self, node: ast.Call, scope: Scope) -> list[str]:
        """The module a call to __import__ / importlib.import_module imports."""
        if not node.args or not self.resolve(node.func, scope, 0) & _IMPORTERS:
            return []
        module = self._constant(node.args[0], scope, 0)
        return [module] if module and not module.startswith(".") else []

    def _constant(self, node: ast.AST, scope: Scope, depth: int) -> str | None:
        """The string `node` always evaluates to, when that is plain to see."""
        value = self._fold(node, scope, depth)
        return value if isinstance(value, str) else None

    def _fold(self, node: ast.AST, scope: Scope, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, (str, int)) else None
        if isinstance(node, ast.Name):
            bindings = lookup(node.id, scope)
            if not bindings or len(bindings) != 1 or bindings[0][0] != "expr":
                return None
            _, payload, where = bindings[0]
            key = (id(where), f"fold:{node.id}")
            if where is None or key in self.active:
                return None
            self.active.add(key)
            try:
                return self._fold(payload, where, depth + 1)
            finally:
                self.active.discard(key)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            operand = self._fold(node.operand, scope, depth + 1)
            return -operand if isinstance(operand, int) else None
        if isinstance(node, ast.BinOp):
            left = self._fold(node.left, scope, depth + 1)
            right = self._fold(node.right, scope, depth + 1)
            if left is None or right is None:
                return None
            try:
                if isinstance(node.op, ast.Add):
                    result = left + right
                elif isinstance(node.op, ast.Mult) and (
                    isinstance(left, int) or isinstance(right, int)
                ):
                    count = left if isinstance(left, int) else right
                    result = left * right if 0 <= count <= _MAX_CONSTANT else None
                else:
                    return None
            except TypeError:
                return None
            if isinstance(result, str) and len(result) > _MAX_CONSTANT:
                return None
            return result
        if isinstance(node, ast.JoinedStr):
            parts = []
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    if part.conversion != -1 or part.format_spec is not None:
                        return None
                    part = part.value
                value = self._fold(part, scope, depth + 1)
                if not isinstance(value, (str, int)):
                    return None
                parts.append(str(value))
            return "".join(parts)
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            text = self._fold(node.value, scope, depth + 1)
            bounds = [
                self._fold(b, scope, depth + 1) if b is not None else None
                for b in (node.slice.lower, node.slice.upper, node.slice.step)
            ]
            given = (node.slice.lower, node.slice.upper, node.slice.step)
            if not isinstance(text, str) or any(
                g is not None and not isinstance(b, int)
                for g, b in zip(given, bounds, strict=True)
            ):
                return None
            if bounds[2] == 0:
                return None
            return text[slice(*bounds)]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "join"
            and len(node.args) == 1
            and not node.keywords
            and isinstance(node.args[0], (ast.List, ast.Tuple))
        ):
            separator = self._fold(node.func.value, scope, depth + 1)
            items = [self._fold(item, scope, depth + 1) for item in node.args[0].elts]
            if isinstance(separator, str) and all(isinstance(i, str) for i in items):
                return separator.join(items)
        return None


def _has_fromlist(node: ast.Call) -> bool:
    """__import__("a.b", ..., fromlist=[...]) returns a.b itself, not a."""
    fromlist = node.args[3] if len(node.args) > 3 else None
    for keyword in node.keywords:
        if keyword.arg == "fromlist":
            fromlist = keyword.value
    if fromlist is None:
        return False
    if isinstance(fromlist, (ast.List, ast.Tuple, ast.Set)):
        return bool(fromlist.elts)
    return not (isinstance(fromlist, ast.Constant) and not fromlist.value)
