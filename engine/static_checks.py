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
to the run-time check in the child (engine.sandbox.forbidden).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

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
        return _Checker(tree, expand(forbidden)).first()
    except RecursionError:
        return None  # too deep to analyse: the run-time check still applies


# ------------------------------------------------------------------- scopes

_Binding = tuple[str, Any, "_Scope | None"]  # ("path", "torch.nn", None), ...
_OWN: _Binding = ("own", None, None)

_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)

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


class _Scope:
    def __init__(self, kind: str, parent: _Scope | None) -> None:
        self.kind = kind  # module, function, class or comprehension
        self.parent = parent
        self.bindings: dict[str, list[_Binding]] = {}
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()
        self.stars: list[str] = []  # modules imported with `from m import *`

    def module(self) -> _Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope


class _Checker:
    """Binds every name of the module to what it may hold, then resolves each
    expression that names something to the dotted paths it may stand for."""

    def __init__(self, tree: ast.Module, table: dict[str, str]) -> None:
        self.table = table
        self.module = _Scope("module", None)
        self.scope_of: dict[int, _Scope] = {}
        self.uses: list[ast.AST] = []
        self.imports: list[tuple[ast.AST, str, list[str]]] = []
        self.resolved: dict[int, set[str]] = {}
        self.active: set[tuple[int, str]] = set()
        for statement in tree.body:
            self._visit(statement, self.module)

    # ------------------------------------------------------------ verdict

    def first(self) -> ForbiddenUse | None:
        hits: list[tuple[int, int, int, str, str]] = []

        def hit(node: ast.AST, path: str) -> None:
            entry = self._match(path)
            if entry is not None:
                line, column = (
                    getattr(node, "lineno", 0),
                    getattr(node, "col_offset", 0),
                )
                # Of nested names at one place, the whole one as written.
                hits.append((line, column, -len(path), path, entry))

        for node, module, names in self.imports:
            hit(node, module)
            for name in names:
                hit(node, name)
        for node in self.uses:
            scope = self.scope_of[id(node)]
            for path in sorted(self._resolve(node, scope, 0)):
                hit(node, path)
            if isinstance(node, ast.Call):
                for module in self._imported_by(node, scope):
                    hit(node, module)
        if not hits:
            return None
        line, _, _, path, entry = min(hits)
        return ForbiddenUse(path, line, entry)

    def _match(self, path: str) -> str | None:
        """The forbidden entry `path` falls under: the name itself or
        anything under it (torch.nn.LSTMCell.forward, sklearn.svm)."""
        return entry_of(path, self.table)

    # ---------------------------------------------------------- bindings

    def _bind(self, scope: _Scope, name: str, binding: _Binding) -> None:
        if name in scope.globals:
            scope = scope.module()
        elif name in scope.nonlocals:
            outer = scope.parent
            while outer is not None and outer.kind not in ("function", "module"):
                outer = outer.parent
            scope = outer or scope.module()
        scope.bindings.setdefault(name, []).append(binding)

    def _bind_target(
        self, target: ast.expr, value: ast.expr | None, scope: _Scope
    ) -> None:
        if isinstance(target, ast.Name):
            self._bind(scope, target.id, ("expr", value, scope) if value else _OWN)
            return
        if (
            isinstance(target, (ast.Tuple, ast.List))
            and isinstance(value, (ast.Tuple, ast.List))
            and len(target.elts) == len(value.elts)
            and not any(isinstance(e, ast.Starred) for e in (*target.elts, *value.elts))
        ):
            for part, part_value in zip(target.elts, value.elts, strict=True):
                self._bind_target(part, part_value, scope)
            return
        if isinstance(target, (ast.Tuple, ast.List, ast.Starred)):
            parts = (
                target.elts if not isinstance(target, ast.Starred) else [target.value]
            )
            for part in parts:
                self._bind_target(part, None, scope)
            return
        self._visit(target, scope)  # obj.attr = ..., d[key] = ...: loads inside

    def _visit(self, node: ast.AST, scope: _Scope) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            self._function(node, scope)
            return
        if isinstance(node, ast.ClassDef):
            self._bind(scope, node.name, _OWN)
            for child in (*node.decorator_list, *node.bases, *node.keywords):
                self._visit(child, scope)
            inner = _Scope("class", scope)
            for statement in node.body:
                self._visit(statement, inner)
            return
        if isinstance(node, _COMPREHENSIONS):
            self._comprehension(node, scope)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self._bind(scope, alias.asname, ("path", alias.name, None))
                else:
                    head = alias.name.split(".")[0]
                    self._bind(scope, head, ("path", head, None))
                self.imports.append((node, alias.name, []))
            return
        if isinstance(node, ast.ImportFrom):
            self._import_from(node, scope)
            return
        if isinstance(node, ast.Global):
            scope.globals.update(node.names)
            return
        if isinstance(node, ast.Nonlocal):
            scope.nonlocals.update(node.names)
            return
        if isinstance(node, ast.Assign):
            self._visit(node.value, scope)
            for target in node.targets:
                self._bind_target(target, node.value, scope)
            return
        if isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._visit(node.value, scope)
            self._visit(node.annotation, scope)
            self._bind_target(node.target, node.value, scope)
            return
        if isinstance(node, ast.NamedExpr):
            self._visit(node.value, scope)
            owner = scope
            while owner.kind == "comprehension" and owner.parent is not None:
                owner = owner.parent
            self._bind(owner, node.target.id, ("expr", node.value, scope))
            return
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                self._use(node, scope)
            else:
                self._bind(scope, node.id, _OWN)
            return
        bound = _bound_name(node)
        if bound:
            self._bind(scope, bound, _OWN)
        elif isinstance(node, ast.Call) or (
            isinstance(node, (ast.Attribute, ast.Subscript))
            and isinstance(node.ctx, ast.Load)
        ):
            self._use(node, scope)
        for child in ast.iter_child_nodes(node):
            self._visit(child, scope)

    def _use(self, node: ast.AST, scope: _Scope) -> None:
        self.uses.append(node)
        self.scope_of[id(node)] = scope

    def _function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, scope: _Scope
    ) -> None:
        arguments = node.args
        outer: list[ast.AST] = [*arguments.defaults]
        outer += [default for default in arguments.kw_defaults if default is not None]
        if not isinstance(node, ast.Lambda):
            self._bind(scope, node.name, _OWN)
            outer += node.decorator_list
            if node.returns is not None:
                outer.append(node.returns)
        every = [
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            *(a for a in (arguments.vararg, arguments.kwarg) if a is not None),
        ]
        outer += [a.annotation for a in every if a.annotation is not None]
        for child in outer:
            self._visit(child, scope)
        inner = _Scope("function", scope)
        for argument in every:
            self._bind(inner, argument.arg, _OWN)
        body: list[ast.AST] = (
            list(node.body) if isinstance(node.body, list) else [node.body]
        )
        for statement in body:
            self._visit(statement, inner)

    def _comprehension(
        self,
        node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp,
        scope: _Scope,
    ) -> None:
        inner = _Scope("comprehension", scope)
        for generator in node.generators:
            self._visit(generator.iter, inner)
            self._bind_target(generator.target, None, inner)
            for condition in generator.ifs:
                self._visit(condition, inner)
        parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for part in parts:
            self._visit(part, inner)

    def _import_from(self, node: ast.ImportFrom, scope: _Scope) -> None:
        if node.level or not node.module:
            for alias in node.names:  # a relative import: the student's own
                if alias.name != "*":
                    self._bind(scope, alias.asname or alias.name, _OWN)
            return
        names = []
        for alias in node.names:
            if alias.name == "*":
                scope.module().stars.append(node.module)
                continue
            path = f"{node.module}.{alias.name}"
            names.append(path)
            self._bind(scope, alias.asname or alias.name, ("path", path, None))
        self.imports.append((node, node.module, names))

    # -------------------------------------------------------- resolution

    def _lookup(self, name: str, scope: _Scope) -> list[_Binding] | None:
        current: _Scope | None = scope
        first = True
        while current is not None:
            if current.kind == "class" and not first:
                current = current.parent  # a class body is not an enclosing scope
                continue
            if name in current.globals:
                current = current.module()
            if name in current.bindings and name not in current.nonlocals:
                return current.bindings[name]
            first = False
            current = current.parent
        return None

    def _resolve_name(self, name: str, scope: _Scope, depth: int) -> set[str]:
        bindings = self._lookup(name, scope)
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
                    paths |= self._resolve(payload, where, depth + 1)
            return paths
        finally:
            self.active.discard(key)

    def _resolve(self, node: ast.AST, scope: _Scope, depth: int) -> set[str]:
        """The dotted paths `node` may evaluate to (empty: none known)."""
        if depth > _MAX_DEPTH:
            return set()
        cached = self.resolved.get(id(node))
        if cached is not None:
            return cached
        paths = self._evaluate(node, scope, depth)
        self.resolved[id(node)] = paths
        return paths

    def _evaluate(self, node: ast.AST, scope: _Scope, depth: int) -> set[str]:
        if isinstance(node, ast.Name):
            return self._resolve_name(node.id, scope, depth)
        if isinstance(node, ast.Attribute):
            return {f"{p}.{node.attr}" for p in self._resolve(node.value, scope, depth)}
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
            return self._resolve(node.value, scope, depth)
        return set()

    def _container_paths(self, node: ast.expr, scope: _Scope, depth: int) -> set[str]:
        """What a subscripted container holds names of: sys.modules,
        module.__dict__, vars(module)."""
        found = set()
        for path in self._resolve(node, scope, depth):
            if path == "sys.modules":
                found.add(path)
            elif path.endswith(".__dict__"):
                found.add(path.removesuffix(".__dict__"))
        if (
            isinstance(node, ast.Call)
            and len(node.args) == 1
            and "builtins.vars" in self._resolve(node.func, scope, depth)
        ):
            found |= self._resolve(node.args[0], scope, depth)
        return found

    def _call(self, node: ast.Call, scope: _Scope, depth: int) -> set[str]:
        callee = self._resolve(node.func, scope, depth)
        found: set[str] = set()
        if "builtins.getattr" in callee and len(node.args) >= 2:
            name = self._constant(node.args[1], scope, depth)
            if name is not None:
                found |= {
                    f"{p}.{name}" for p in self._resolve(node.args[0], scope, depth)
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

    def _imported_by(self, node: ast.Call, scope: _Scope) -> list[str]:
        """The module a call to __import__ / importlib.import_module imports."""
        if not node.args or not self._resolve(node.func, scope, 0) & _IMPORTERS:
            return []
        module = self._constant(node.args[0], scope, 0)
        return [module] if module and not module.startswith(".") else []

    def _constant(self, node: ast.AST, scope: _Scope, depth: int) -> str | None:
        """The string `node` always evaluates to, when that is plain to see."""
        value = self._fold(node, scope, depth)
        return value if isinstance(value, str) else None

    def _fold(self, node: ast.AST, scope: _Scope, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, (str, int)) else None
        if isinstance(node, ast.Name):
            bindings = self._lookup(node.id, scope)
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


def _bound_name(node: ast.AST) -> str | None:
    """The name an except clause or a match pattern binds, if any."""
    if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
        return node.name
    if isinstance(node, ast.MatchMapping):
        return node.rest
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
