"""Reading an annotated model solution into a header and logical lines.

The format is plain Python: the lines above the function (imports) and its
`def` line form the header; in the body, a comment line `# § Label` opens a
subgoal and every statement ends with a trailing comment `# why: …`. Each
statement sits on one physical line; a compound statement (for, while, if
without else, with) is a line of its own and its body lines are one level
deeper.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass

from engine.ladder.types import Line

SUBGOAL_MARK = "§"
WHY_MARK = "why:"
_COMPOUND = (ast.For, ast.While, ast.If, ast.With)
_SIMPLE = (
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.Expr,
    ast.Return,
    ast.Pass,
    ast.Delete,
    ast.Assert,
)


@dataclass(frozen=True)
class Parsed:
    header: tuple[str, ...]
    lines: tuple[Line, ...]
    statements: tuple[ast.stmt, ...]  # one per line: the statement it opens
    parents: tuple[int | None, ...]  # the compound line each line sits in
    imported: frozenset[str]  # names the header binds (modules, functions)


def parse_solution(source: str, entry_point: str) -> Parsed:
    """The header and the logical lines of `source`; ValueError names what
    in the annotations is missing or not supported."""
    source = source.strip("\n") + "\n"
    tree = ast.parse(source)
    functions = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == entry_point
    ]
    if len(functions) != 1 or tree.body[-1] is not functions[0]:
        raise ValueError(f"the solution must end with one function {entry_point}()")
    function = functions[0]
    physical = source.splitlines()
    def_line = physical[function.lineno - 1].rstrip()
    if function.decorator_list or not def_line.endswith(":"):
        raise ValueError("the def line must be one physical line, undecorated")
    header = [line.rstrip() for line in physical[: function.lineno]]
    comments = _comments(source)
    reader = _Reader(physical, comments)
    reader.walk(function.body, depth=0, parent=None)
    imported = frozenset(
        (alias.asname or alias.name).split(".")[0]
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    )
    return Parsed(
        header=tuple(header),
        lines=tuple(reader.lines),
        statements=tuple(reader.statements),
        parents=tuple(reader.parents),
        imported=imported,
    )


def _comments(source: str) -> dict[int, tuple[int, str]]:
    """Each physical line's comment: (its column, its text after '#')."""
    found: dict[int, tuple[int, str]] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            found[token.start[0]] = (token.start[1], token.string[1:].strip())
    return found


def _is_subgoal(line: str) -> bool:
    return line.strip().startswith(f"# {SUBGOAL_MARK}")


class _Reader:
    def __init__(
        self, physical: list[str], comments: dict[int, tuple[int, str]]
    ) -> None:
        self.physical, self.comments = physical, comments
        self.lines: list[Line] = []
        self.statements: list[ast.stmt] = []
        self.parents: list[int | None] = []
        self.subgoal = ""
        self.last_row = 0

    def walk(self, body: list[ast.stmt], depth: int, parent: int | None) -> None:
        for statement in body:
            self._subgoals_before(statement.lineno)
            if isinstance(statement, _COMPOUND):
                if getattr(statement, "orelse", None):
                    raise ValueError(f"line {statement.lineno}: else is not supported")
                index = self._add(statement, depth, parent, compound=True)
                self.walk(statement.body, depth + 1, index)
            elif isinstance(statement, _SIMPLE):
                if statement.end_lineno != statement.lineno:
                    raise ValueError(f"line {statement.lineno}: one physical line each")
                self._add(statement, depth, parent, compound=False)
            else:
                kind = type(statement).__name__
                raise ValueError(f"line {statement.lineno}: {kind} is not supported")

    def _subgoals_before(self, row: int) -> None:
        for number in range(self.last_row + 1, row):
            _, text = self.comments.get(number, (0, ""))
            if text.startswith(SUBGOAL_MARK):
                self.subgoal = text[len(SUBGOAL_MARK) :].strip()
        self.last_row = row

    def _add(
        self, statement: ast.stmt, depth: int, parent: int | None, *, compound: bool
    ) -> int:
        row = statement.lineno
        if any(other.lineno == row for other in self.statements):
            raise ValueError(f"line {row}: one statement per line")
        column, comment = self.comments.get(row, (-1, ""))
        if not comment.startswith(WHY_MARK):
            raise ValueError(f"line {row}: no '# {WHY_MARK} …' comment")
        if not self.subgoal:
            raise ValueError(f"line {row}: no '# {SUBGOAL_MARK} …' subgoal above it")
        text = self.physical[row - 1][:column].strip()
        if compound != text.endswith(":"):
            raise ValueError(
                f"line {row}: a compound statement's body on its own lines"
            )
        why = comment[len(WHY_MARK) :].strip()
        self.lines.append(Line(text, depth, self.subgoal, why))
        self.statements.append(statement)
        self.parents.append(parent)
        return len(self.lines) - 1
