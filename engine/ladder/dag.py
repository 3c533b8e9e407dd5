"""The def-use dependency graph of a solution's lines, and checking an order
against it.

Line B (after A in the solution) depends on A when B reads a name A writes
(true dependence), writes a name A reads (anti) or writes a name A writes
(output). A body line also depends on its compound line, and a `return` on
every line before it. Writing includes mutation through a method call or a
subscript (`kept.append(i)`, `p[i] -= 1` write `kept` and `p`; a method
not known to change its object, such as `scores.max()`, only reads it); names bound
inside a comprehension or a lambda stay inside it. Any order in which every
line follows the lines it depends on, with the same nesting, computes the
same thing; effects the names do not show (autograd's `loss.backward()`
filling `x.grad`) are declared by the solution as extra edges.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence

_IN_PLACE = frozenset(
    (
        *("append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse"),
        *("update", "add", "discard", "setdefault", "popitem"),
        *("fill", "resize", "put", "backward"),
    )
)


def names_used(
    statement: ast.stmt, imported: frozenset[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """(reads, writes) of the line that `statement` opens: a compound
    statement's own header only, not its body."""
    reads: set[str] = set()
    writes: set[str] = set()
    for node in _own_nodes(statement):
        _collect(node, reads, writes)
    reads -= imported
    writes -= imported
    return frozenset(reads), frozenset(writes)


def _own_nodes(statement: ast.stmt) -> list[ast.AST]:
    """The expressions and targets of the line itself."""
    if isinstance(statement, ast.For):
        return [statement.target, statement.iter]
    if isinstance(statement, ast.While | ast.If):
        return [statement.test]
    if isinstance(statement, ast.With):
        return [part for item in statement.items for part in _with_parts(item)]
    return [statement]


def _with_parts(item: ast.withitem) -> list[ast.AST]:
    parts: list[ast.AST] = [item.context_expr]
    if item.optional_vars is not None:
        parts.append(item.optional_vars)
    return parts


def _collect(root: ast.AST, reads: set[str], writes: set[str]) -> None:
    bound = _scoped_names(root)
    for node in ast.walk(root):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                if node.id not in bound:
                    reads.add(node.id)
            elif node.id not in bound:
                writes.add(node.id)
        elif isinstance(node, ast.Subscript | ast.Attribute) and not isinstance(
            node.ctx, ast.Load
        ):
            _add_root(node, writes)
        elif isinstance(node, ast.AugAssign):
            _add_root(node.target, reads)
        elif _mutates(node):
            assert isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            _add_root(node.func.value, writes)


def _scoped_names(root: ast.AST) -> set[str]:
    """Names bound by comprehensions and lambdas inside `root`."""
    bound: set[str] = set()
    for node in ast.walk(root):
        if isinstance(node, ast.comprehension):
            bound.update(
                name.id for name in ast.walk(node.target) if isinstance(name, ast.Name)
            )
        elif isinstance(node, ast.Lambda):
            bound.update(arg.arg for arg in node.args.args)
    return bound


def _mutates(node: ast.AST) -> bool:
    """A call of a method that changes its object in place: the list, dict
    and set methods that do, NumPy's `fill`/`sort`, and torch's trailing-
    underscore methods."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    name = node.func.attr
    return name in _IN_PLACE or (name.endswith("_") and not name.startswith("_"))


def _add_root(node: ast.AST, into: set[str]) -> None:
    """The variable at the root of `x[i].y`, or of `x` itself."""
    while isinstance(node, ast.Subscript | ast.Attribute):
        node = node.value
    if isinstance(node, ast.Name):
        into.add(node.id)


def dependencies(
    statements: Sequence[ast.stmt],
    parents: Sequence[int | None],
    imported: frozenset[str],
    extra: Iterable[tuple[int, int]] = (),
) -> tuple[tuple[int, ...], ...]:
    """Per line, the earlier lines it must follow. `extra` holds
    (line, earlier line) pairs the names do not show."""
    used = [names_used(statement, imported) for statement in statements]
    before: list[set[int]] = [set() for _ in statements]
    for later, (reads_b, writes_b) in enumerate(used):
        for earlier in range(later):
            reads_a, writes_a = used[earlier]
            if writes_a & reads_b or reads_a & writes_b or writes_a & writes_b:
                before[later].add(earlier)
        if isinstance(statements[later], ast.Return):
            before[later].update(range(later))
        parent = parents[later]
        if parent is not None:
            before[later].add(parent)
    for later, earlier in extra:
        if not 0 <= earlier < later < len(statements):
            raise ValueError(f"extra edge {earlier} → {later} is not forward")
        before[later].add(earlier)
    return tuple(tuple(sorted(edges)) for edges in before)


def parent_of(position: int, indents: Sequence[int]) -> int | None:
    """The position of the compound line the block at `position` sits in:
    the nearest block above it that is indented less (None at body level)."""
    depth = indents[position]
    for above in range(position - 1, -1, -1):
        if indents[above] < depth:
            return above
    return None
