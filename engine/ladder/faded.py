"""The faded example: the solution with some spans blanked, and a student's
filled-in blanks made into a program.

A blank over part of a line takes one expression; a blank over a whole line
takes one simple statement. Every answer is checked before anything runs:
one line, at most MAX_ANSWER_CHARS characters, no comment, valid Python of
the right kind; an expression that would bind differently where it is put
(`a + b` in `x * ▢`) is put in parentheses, as a student filling a box means.
"""

from __future__ import annotations

import ast
import io
import math
import tokenize
from collections.abc import Mapping, Sequence

from engine.ladder.types import (
    AnswerRejected,
    Blank,
    BlankSlot,
    FadedRow,
    FadedView,
    Line,
)

MAX_ANSWER_CHARS = 200
_STATEMENTS = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Return)
_FORBIDDEN_IN_BLANK = (ast.Yield, ast.YieldFrom, ast.Await)


def levels_of(blanks: Sequence[Blank]) -> int:
    return max((blank.level for blank in blanks), default=0)


def active(blanks: Sequence[Blank], level: int) -> list[Blank]:
    """The blanks that level `level` shows; ValueError outside 1..levels."""
    levels = levels_of(blanks)
    if (
        isinstance(level, bool)
        or not isinstance(level, int)
        or not 1 <= level <= levels
    ):
        raise ValueError(f"faded level must be 1 to {levels}, not {level!r}")
    return [blank for blank in blanks if blank.level <= level]


def is_whole_line(blank: Blank, lines: Sequence[Line]) -> bool:
    return blank.start == 0 and blank.end == len(lines[blank.line].text)


def width_hint(text: str) -> int:
    """The input's width: the answer's length rounded up to ten, at least 10,
    so that it hints at the size without giving the length away."""
    return max(10, math.ceil((len(text) + 1) / 10) * 10)


def faded_view(lines: Sequence[Line], blanks: Sequence[Blank], level: int) -> FadedView:
    shown = active(blanks, level)
    rows = []
    for index, line in enumerate(lines):
        here = sorted((b for b in shown if b.line == index), key=lambda b: b.start)
        if not here:
            rows.append(FadedRow(line.indent, (line.text,), line.subgoal, line.why))
            continue
        parts: list[str | BlankSlot] = []
        cursor = 0
        for blank in here:
            if blank.start > cursor:
                parts.append(line.text[cursor : blank.start])
            answer = line.text[blank.start : blank.end]
            parts.append(BlankSlot(blank.id, blank.prompt, width_hint(answer)))
            cursor = blank.end
        if cursor < len(line.text):
            parts.append(line.text[cursor:])
        rows.append(FadedRow(line.indent, tuple(parts), line.subgoal, ""))
    return FadedView(level, levels_of(blanks), tuple(rows))


def fill(
    header: Sequence[str],
    lines: Sequence[Line],
    blanks: Sequence[Blank],
    level: int,
    answers: Mapping[str, str],
) -> str:
    """The program with level `level`'s blanks filled from `answers`
    (blank id → text); AnswerRejected when any answer cannot be used."""
    shown = active(blanks, level)
    if not isinstance(answers, Mapping):
        raise AnswerRejected("The answer must give a text for each blank.")
    if len(answers) > len(shown):
        raise AnswerRejected(
            f"This level has {len(shown)} blank(s), not {len(answers)}."
        )
    expected = {blank.id for blank in shown}
    unknown = [key for key in answers if key not in expected]
    if unknown:
        raise AnswerRejected(
            f"There is no blank {str(unknown[0])[:20]!r} at this level."
        )
    # Blanks are numbered in reading order, as the student sees them.
    reading = sorted(shown, key=lambda blank: (blank.line, blank.start))
    checked = [
        (number, blank, _checked(blank, number, answers.get(blank.id), lines))
        for number, blank in enumerate(reading, 1)
    ]
    texts = [line.text for line in lines]
    # Right to left within a line, so that earlier spans keep their place.
    for number, blank, answer in sorted(
        checked, key=lambda item: (item[1].line, -item[1].start)
    ):
        whole = is_whole_line(blank, lines)
        texts[blank.line] = _put(texts[blank.line], blank, answer, whole, number)
    body = [(text, line.indent) for text, line in zip(texts, lines, strict=True)]
    source = program(header, body)
    try:
        compile(source, "<faded>", "exec")
    except (SyntaxError, ValueError) as error:
        message = error.msg if isinstance(error, SyntaxError) else str(error)
        raise AnswerRejected(
            f"The filled-in program is not valid Python: {message}."
        ) from None
    return source


def program(header: Sequence[str], body: Sequence[tuple[str, int]]) -> str:
    """The whole program: the header, then each line at its depth."""
    rows = [*header, *("    " * (indent + 1) + text for text, indent in body)]
    return "\n".join(rows) + "\n"


def _checked(blank: Blank, number: int, answer: object, lines: Sequence[Line]) -> str:
    name = f"Blank {number} ({blank.prompt})"
    if answer is not None and not isinstance(answer, str):
        raise AnswerRejected(f"{name} must be text.")
    if answer is None or not answer.strip():
        raise AnswerRejected(f"{name} is empty.")
    text = answer.strip()
    if len(text) > MAX_ANSWER_CHARS:
        raise AnswerRejected(f"{name} is longer than {MAX_ANSWER_CHARS} characters.")
    if any(char < " " and char != "\t" for char in text):
        raise AnswerRejected(f"{name} must be one line of text.")
    if _has_comment(text):
        raise AnswerRejected(f"{name} cannot hold a comment (#).")
    if is_whole_line(blank, lines):
        _check_statement(name, text)
    else:
        _check_expression(name, text)
    return text


def _has_comment(text: str) -> bool:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return "#" in text
    return any(token.type == tokenize.COMMENT for token in tokens)


def _parse(text: str, mode: str = "exec") -> ast.AST:
    """`ast.parse`, with every way it can refuse a text as a SyntaxError."""
    try:
        return ast.parse(text, mode=mode)
    except (ValueError, MemoryError, RecursionError) as error:
        raise SyntaxError(str(error)) from None


def _check_expression(name: str, text: str) -> None:
    try:
        tree = _parse(text, mode="eval")
    except SyntaxError as error:
        if _parses_as_statement(text):
            raise AnswerRejected(
                f"{name} takes an expression, not a statement: write only the value."
            ) from None
        raise AnswerRejected(f"{name} is not valid Python: {error.msg}.") from None
    if any(isinstance(node, _FORBIDDEN_IN_BLANK) for node in ast.walk(tree)):
        raise AnswerRejected(f"{name} cannot use yield or await.")


def _parses_as_statement(text: str) -> bool:
    try:
        _parse(text)
    except SyntaxError:
        return False
    return True


def _check_statement(name: str, text: str) -> None:
    try:
        tree = _parse(text)
    except SyntaxError as error:
        raise AnswerRejected(f"{name} is not valid Python: {error.msg}.") from None
    assert isinstance(tree, ast.Module)
    if len(tree.body) != 1 or not isinstance(tree.body[0], _STATEMENTS):
        raise AnswerRejected(
            f"{name} takes one statement: an assignment, a call or a return."
        )
    if any(isinstance(node, _FORBIDDEN_IN_BLANK) for node in ast.walk(tree)):
        raise AnswerRejected(f"{name} cannot use yield or await.")


def _put(line: str, blank: Blank, answer: str, whole: bool, number: int) -> str:
    """The blank's line with `answer` in place; in parentheses when the bare
    text would not parse or would bind differently there."""
    bare = line[: blank.start] + answer + line[blank.end :]
    bare_tree = _line_tree(bare)
    if whole:
        if bare_tree is None:
            raise AnswerRejected(f"Blank {number} ({blank.prompt}) is not valid here.")
        return bare
    wrapped = line[: blank.start] + f"({answer})" + line[blank.end :]
    wrapped_tree = _line_tree(wrapped)
    if wrapped_tree is None:
        raise AnswerRejected(
            f"Blank {number} ({blank.prompt}) does not fit its line as valid Python."
        )
    if bare_tree is not None and ast.dump(bare_tree) == ast.dump(wrapped_tree):
        return bare
    return wrapped


def _line_tree(line: str) -> ast.AST | None:
    """The syntax tree of one logical line (a compound line with a body of
    `pass`), or None when it does not parse."""
    try:
        return _parse(line + ("\n    pass" if line.endswith(":") else ""))
    except SyntaxError:
        return None
