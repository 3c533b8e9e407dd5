"""Building a `Ladder` from an annotated model solution and its authored
blanks and distractors, checking every piece against the source."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass

from engine.ladder.dag import dependencies
from engine.ladder.faded import program
from engine.ladder.ladder import Ladder
from engine.ladder.source import Parsed, parse_solution
from engine.ladder.types import Blank, Distractor, Line


@dataclass(frozen=True)
class BlankSpec:
    """A span to fade: `text` exactly as in the solution (an expression, or
    a whole simple line), on the only line holding it or on the line that
    holds `on`. `level` 0 means one level per blank, in the listed order."""

    text: str
    prompt: str
    mistakes: tuple[str, ...]
    on: str = ""
    level: int = 0


@dataclass(frozen=True)
class DistractorSpec:
    """`text` in place of the solution line `line` (its exact text) makes
    the named mistake `mistake`."""

    line: str
    text: str
    mistake: str


@dataclass(frozen=True)
class Solution:
    """One spec's annotated model solution (see engine.ladder.source).

    `after` holds (line, earlier line) pairs, by their exact text, for an
    order the names cannot show (`loss.backward()` before reading `x.grad`).
    """

    spec_id: str
    entry_point: str
    source: str
    blanks: tuple[BlankSpec, ...]
    distractors: tuple[DistractorSpec, ...]
    after: tuple[tuple[str, str], ...] = ()


def build(solution: Solution) -> Ladder:
    """The ladder; ValueError names the first authoring error."""
    parsed = parse_solution(solution.source, solution.entry_point)
    where = f"{solution.spec_id}: "
    try:
        extra = [
            (_line(parsed.lines, a), _line(parsed.lines, b)) for a, b in solution.after
        ]
        depends = dependencies(
            parsed.statements, parsed.parents, parsed.imported, extra
        )
        blanks = _blanks(parsed, solution.blanks)
        distractors = _distractors(parsed, solution.distractors)
    except ValueError as error:
        raise ValueError(where + str(error)) from None
    return Ladder(
        spec_id=solution.spec_id,
        header=parsed.header,
        lines=parsed.lines,
        blanks=blanks,
        distractors=distractors,
        depends=depends,
    )


def _line(lines: Sequence[Line], text: str) -> int:
    found = [index for index, line in enumerate(lines) if line.text == text]
    if len(found) != 1:
        raise ValueError(f"{len(found)} lines read {text!r}; one must")
    return found[0]


def _blanks(parsed: Parsed, specs: Sequence[BlankSpec]) -> tuple[Blank, ...]:
    blanks: list[Blank] = []
    for number, spec in enumerate(specs, 1):
        index = _blank_line(parsed.lines, spec)
        line = parsed.lines[index]
        start = line.text.index(spec.text)
        end = start + len(spec.text)
        whole = start == 0 and end == len(line.text)
        if whole and line.text.endswith(":"):
            raise ValueError(f"blank {spec.text!r}: a compound line cannot be blanked")
        if not whole:
            _expression(spec.text)
        for other in blanks:
            if other.line == index and other.start < end and start < other.end:
                raise ValueError(f"blank {spec.text!r} overlaps blank {other.id}")
        if not spec.prompt or not spec.mistakes:
            raise ValueError(f"blank {spec.text!r} needs a prompt and its mistakes")
        level = spec.level or number
        blanks.append(
            Blank(f"b{number}", index, start, end, spec.prompt, spec.mistakes, level)
        )
    levels = sorted({blank.level for blank in blanks})
    if levels != list(range(1, len(levels) + 1)):
        raise ValueError(f"faded levels {levels} must run 1, 2, … without a gap")
    return tuple(blanks)


def _blank_line(lines: Sequence[Line], spec: BlankSpec) -> int:
    found = [
        index
        for index, line in enumerate(lines)
        if spec.text in line.text and spec.on in line.text
    ]
    if len(found) != 1 or lines[found[0]].text.count(spec.text) != 1:
        raise ValueError(f"blank {spec.text!r} must occur once (give `on`)")
    return found[0]


def _expression(text: str) -> None:
    try:
        ast.parse(text, mode="eval")
    except SyntaxError:
        raise ValueError(f"blank {text!r} is not an expression") from None


def _distractors(
    parsed: Parsed, specs: Sequence[DistractorSpec]
) -> tuple[Distractor, ...]:
    distractors = []
    for spec in specs:
        index = _line(parsed.lines, spec.line)
        if spec.text == spec.line or spec.text.endswith(":") != spec.line.endswith(":"):
            raise ValueError(f"distractor {spec.text!r} must change its line, in kind")
        body = [(line.text, line.indent) for line in parsed.lines]
        body[index] = (spec.text, body[index][1])
        try:
            compile(program(parsed.header, body), "<distractor>", "exec")
        except SyntaxError:
            raise ValueError(f"distractor {spec.text!r} is not valid Python") from None
        distractors.append(Distractor(spec.text, index, spec.mistake))
    return tuple(distractors)
