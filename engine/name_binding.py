"""Name binding in a submission's syntax tree, without running it: which
scope binds each name, and to what (a dotted library path, an expression, or
something of the student's own), following Python's scoping rules (global,
nonlocal, class bodies, comprehensions, the walrus); and every place that
uses a name or imports a module.

`engine.name_resolution` turns these bindings into the library paths an
expression may evaluate to; `engine.static_checks` looks them up in the
exercise's forbidden names.
"""

from __future__ import annotations

import ast
from typing import Any

# What one binding of a name holds: ("path", "torch.nn", None) for an import,
# ("expr", the assigned expression, the scope it is evaluated in), or OWN.
Binding = tuple[str, Any, "Scope | None"]
OWN: Binding = ("own", None, None)  # the student's own: a def, a parameter, ...

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class Scope:
    def __init__(self, kind: str, parent: Scope | None) -> None:
        self.kind = kind  # module, function, class or comprehension
        self.parent = parent
        self.bindings: dict[str, list[Binding]] = {}
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()
        self.stars: list[str] = []  # modules imported with `from m import *`

    def module(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope


class Bindings:
    """Every name of a module bound to what it may hold, with the nodes that
    use a name (`uses`, each in `scope_of` its scope) and the imports
    (`imports`: node, module, names imported from it)."""

    def __init__(self, tree: ast.Module) -> None:
        self.module = Scope("module", None)
        self.scope_of: dict[int, Scope] = {}
        self.uses: list[ast.AST] = []
        self.imports: list[tuple[ast.AST, str, list[str]]] = []
        for statement in tree.body:
            self._visit(statement, self.module)

    def _bind(self, scope: Scope, name: str, binding: Binding) -> None:
        if name in scope.globals:
            scope = scope.module()
        elif name in scope.nonlocals:
            outer = scope.parent
            while outer is not None and outer.kind not in ("function", "module"):
                outer = outer.parent
            scope = outer or scope.module()
        scope.bindings.setdefault(name, []).append(binding)

    def _bind_target(
        self, target: ast.expr, value: ast.expr | None, scope: Scope
    ) -> None:
        if isinstance(target, ast.Name):
            self._bind(scope, target.id, ("expr", value, scope) if value else OWN)
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

    def _visit(self, node: ast.AST, scope: Scope) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            self._function(node, scope)
            return
        if isinstance(node, ast.ClassDef):
            self._bind(scope, node.name, OWN)
            for child in (*node.decorator_list, *node.bases, *node.keywords):
                self._visit(child, scope)
            inner = Scope("class", scope)
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
                self._bind(scope, node.id, OWN)
            return
        bound = _bound_name(node)
        if bound:
            self._bind(scope, bound, OWN)
        elif isinstance(node, ast.Call) or (
            isinstance(node, (ast.Attribute, ast.Subscript))
            and isinstance(node.ctx, ast.Load)
        ):
            self._use(node, scope)
        for child in ast.iter_child_nodes(node):
            self._visit(child, scope)

    def _use(self, node: ast.AST, scope: Scope) -> None:
        self.uses.append(node)
        self.scope_of[id(node)] = scope

    def _function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, scope: Scope
    ) -> None:
        arguments = node.args
        outer: list[ast.AST] = [*arguments.defaults]
        outer += [default for default in arguments.kw_defaults if default is not None]
        if not isinstance(node, ast.Lambda):
            self._bind(scope, node.name, OWN)
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
        inner = Scope("function", scope)
        for argument in every:
            self._bind(inner, argument.arg, OWN)
        body: list[ast.AST] = (
            list(node.body) if isinstance(node.body, list) else [node.body]
        )
        for statement in body:
            self._visit(statement, inner)

    def _comprehension(
        self,
        node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp,
        scope: Scope,
    ) -> None:
        inner = Scope("comprehension", scope)
        for generator in node.generators:
            self._visit(generator.iter, inner)
            self._bind_target(generator.target, None, inner)
            for condition in generator.ifs:
                self._visit(condition, inner)
        parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for part in parts:
            self._visit(part, inner)

    def _import_from(self, node: ast.ImportFrom, scope: Scope) -> None:
        if node.level or not node.module:
            for alias in node.names:  # a relative import: the student's own
                if alias.name != "*":
                    self._bind(scope, alias.asname or alias.name, OWN)
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


def lookup(name: str, scope: Scope) -> list[Binding] | None:
    """What `name` is bound to as seen from `scope`, by Python's scoping rules
    (None: a builtin, or a name from `from module import *`)."""
    current: Scope | None = scope
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


def _bound_name(node: ast.AST) -> str | None:
    """The name an except clause or a match pattern binds, if any."""
    if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
        return node.name
    if isinstance(node, ast.MatchMapping):
        return node.rest
    return None
