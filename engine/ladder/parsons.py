"""The Parsons problem: the solution's lines and its distractors as shuffled
blocks, and a placed answer made into a program.

Everything follows from the spec id and the seed: the order of the blocks
(a distractor next to the line it corrupts), their ids (sha256 of the spec,
the seed and the block's index, so an id says nothing about the position of
its line and differs from seed to seed) and the order in which help removes
distractors. The ids are opaque, not secret: they keep the solution's order
out of a page's markup, but whoever knows this scheme and the seed can map
them back to line numbers (the verdict never rests on them: it is the run).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass

from engine.ladder.dag import parent_of
from engine.ladder.faded import program
from engine.ladder.types import AnswerRejected, Assembled, Block, Distractor, Line

MAX_INDENT = 4
_SHUFFLE_TRIES = 20


@dataclass(frozen=True)
class Puzzle:
    """What a Parsons view is derived from."""

    spec_id: str
    header: tuple[str, ...]
    lines: tuple[Line, ...]
    distractors: tuple[Distractor, ...]
    depends: tuple[tuple[int, ...], ...]
    parents: tuple[int | None, ...]

    @property
    def max_indent(self) -> int:
        """The deepest indent plus one when any line is indented (so the
        indentation is not given away), else 0: a flat body has nothing to
        indent."""
        deepest = max(line.indent for line in self.lines)
        return min(MAX_INDENT, deepest + 1) if deepest else 0


def _rng(spec_id: str, seed: int, purpose: str) -> random.Random:
    digest = hashlib.sha256(f"{spec_id}|{seed}|{purpose}".encode()).digest()
    # A shuffle, not a secret: reproducible from the seed by design.
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311


def block_ids(spec_id: str, seed: int, count: int) -> list[str]:
    """One opaque id per block index (lines first, then distractors)."""
    ids: list[str] = []
    for index in range(count):
        salt = 0
        while True:
            text = f"{spec_id}|{seed}|{index}|{salt}".encode()
            candidate = hashlib.sha256(text).hexdigest()[:8]
            if candidate not in ids:
                break
            salt += 1
        ids.append(candidate)
    return ids


def shuffled(puzzle: Puzzle, seed: int) -> list[int]:
    """Block indices in display order: each distractor beside the line it
    corrupts, the groups and single lines shuffled, never in an order that
    already solves the puzzle."""
    count = len(puzzle.lines)
    groups: dict[int, list[int]] = {line: [line] for line in range(count)}
    for offset, distractor in enumerate(puzzle.distractors):
        groups[distractor.pairs_with].append(count + offset)
    rng = _rng(puzzle.spec_id, seed, "order")
    units = list(groups.values())
    order: list[int] = []
    for _ in range(_SHUFFLE_TRIES):
        rng.shuffle(units)
        for unit in units:
            rng.shuffle(unit)
        order = [index for unit in units for index in unit]
        if not _solves(puzzle, [i for i in order if i < count]):
            break
    return order


def _solves(puzzle: Puzzle, order: Sequence[int]) -> bool:
    done: set[int] = set()
    for line in order:
        if not done.issuperset(puzzle.depends[line]):
            return False
        done.add(line)
    return len(puzzle.lines) > 1


def removed(puzzle: Puzzle, seed: int, without: int) -> set[int]:
    """The block indices of the distractors that `without` helps remove."""
    if isinstance(without, bool) or not isinstance(without, int) or without < 0:
        raise ValueError(f"without must be a count of helps, not {without!r}")
    count = len(puzzle.lines)
    indices = [count + offset for offset in range(len(puzzle.distractors))]
    _rng(puzzle.spec_id, seed, "help").shuffle(indices)
    return set(indices[:without])


def blocks(puzzle: Puzzle, seed: int, without: int) -> tuple[Block, ...]:
    texts = [line.text for line in puzzle.lines] + [
        distractor.text for distractor in puzzle.distractors
    ]
    ids = block_ids(puzzle.spec_id, seed, len(texts))
    gone = removed(puzzle, seed, without)
    order = shuffled(puzzle, seed)
    group_of = _groups(puzzle, order, gone)
    return tuple(
        Block(ids[index], texts[index], group_of.get(index, ""))
        for index in order
        if index not in gone
    )


def _groups(puzzle: Puzzle, order: Sequence[int], gone: set[int]) -> dict[int, str]:
    """Group ids ("g1", "g2", … in display order of the full puzzle, so they
    stay put when help removes a distractor) for the lines that still have a
    distractor shown, and for those distractors."""
    count = len(puzzle.lines)
    members: dict[int, list[int]] = {}
    for offset, distractor in enumerate(puzzle.distractors):
        if count + offset not in gone:
            members.setdefault(distractor.pairs_with, [distractor.pairs_with])
            members[distractor.pairs_with].append(count + offset)
    names: dict[int, str] = {}
    numbered = [index for index in order if index < count and index in members]
    for number, line in enumerate(numbered, 1):
        for index in members[line]:
            names[index] = f"g{number}"
    return names


def assemble(puzzle: Puzzle, seed: int, placed: object, without: int) -> Assembled:
    """The program the placed blocks make, with instant order feedback;
    AnswerRejected for an answer that cannot be a program."""
    shown = blocks(puzzle, seed, without)
    count = len(puzzle.lines)
    total = count + len(puzzle.distractors)
    index_of = {
        block_id: index
        for index, block_id in enumerate(block_ids(puzzle.spec_id, seed, total))
    }
    known = {block.id for block in shown}
    entries = _validated(placed, known, puzzle.max_indent, len(shown))
    chosen = [index_of[block_id] for block_id, _ in entries]
    indents = [indent for _, indent in entries]
    texts = [_text(puzzle, index) for index in chosen]
    _check_nesting(indents, texts)
    source = program(puzzle.header, list(zip(texts, indents, strict=True)))
    try:
        compile(source, "<parsons>", "exec")
    except SyntaxError as error:
        raise AnswerRejected(
            f"These blocks do not make a valid program: {error.msg}."
        ) from None
    used = tuple(
        puzzle.distractors[index - count].mistake_id
        for index in chosen
        if index >= count
    )
    first_wrong, complete = _first_wrong(puzzle, chosen, indents)
    return Assembled(source, used, first_wrong is None and complete, first_wrong)


def _text(puzzle: Puzzle, index: int) -> str:
    count = len(puzzle.lines)
    if index < count:
        return puzzle.lines[index].text
    return puzzle.distractors[index - count].text


def _validated(
    placed: object, known: set[str], max_indent: int, limit: int
) -> list[tuple[str, int]]:
    if not isinstance(placed, list | tuple):
        raise AnswerRejected("The answer must be a list of placed blocks.")
    if not placed:
        raise AnswerRejected("Move at least one block into your program.")
    if len(placed) > limit:
        raise AnswerRejected("More blocks were placed than the puzzle has.")
    entries: list[tuple[str, int]] = []
    seen: set[str] = set()
    for position, entry in enumerate(placed, 1):
        if not isinstance(entry, list | tuple) or len(entry) != 2:
            raise AnswerRejected(f"Block {position} is not a (block, indent) pair.")
        block_id, indent = entry
        if not isinstance(block_id, str) or block_id not in known:
            raise AnswerRejected(
                f"Block {position} is not one of this puzzle's blocks."
            )
        if block_id in seen:
            raise AnswerRejected(f"Block {position} is placed twice.")
        if isinstance(indent, bool) or not isinstance(indent, int):
            raise AnswerRejected(f"Block {position}'s indent must be a whole number.")
        if not 0 <= indent <= max_indent:
            raise AnswerRejected(
                f"Block {position}'s indent must be between 0 and {max_indent}."
            )
        seen.add(block_id)
        entries.append((block_id, indent))
    return entries


def _check_nesting(indents: Sequence[int], texts: Sequence[str]) -> None:
    """Python's own indentation rules, said in the puzzle's words."""
    for position, indent in enumerate(indents):
        above = indents[position - 1] if position else 0
        opens = position > 0 and texts[position - 1].endswith(":")
        if indent > above + (1 if opens else 0):
            raise AnswerRejected(
                f"Block {position + 1} is indented deeper than the line above it allows."
            )
        if opens and indent != above + 1:
            raise AnswerRejected(
                f"Block {position} ends with ':', so the block after it must be "
                "indented one step more."
            )
    if texts and texts[-1].endswith(":"):
        raise AnswerRejected(
            f"Block {len(texts)} ends with ':' and needs indented lines after it."
        )


def _first_wrong(
    puzzle: Puzzle, chosen: Sequence[int], indents: Sequence[int]
) -> tuple[int | None, bool]:
    """(position of the first block out of place or None, whether every line
    of the solution is placed). A distractor stands for the line it corrupts;
    lines of the same text stand for one another."""
    count = len(puzzle.lines)
    line_at: list[int] = []
    done: set[int] = set()
    for position, index in enumerate(chosen):
        line = index if index < count else puzzle.distractors[index - count].pairs_with
        line = _twin(puzzle, line, done, indents[position])
        parent = parent_of(position, indents)
        wanted = puzzle.parents[line]
        ok = (
            line not in done
            and indents[position] == puzzle.lines[line].indent
            and done.issuperset(puzzle.depends[line])
            and (line_at[parent] if parent is not None else None) == wanted
        )
        if not ok:
            return position, False
        done.add(line)
        line_at.append(line)
    return None, len(done) == count


def _twin(puzzle: Puzzle, line: int, done: set[int], indent: int) -> int:
    """The first not yet placed line with the same text and indent as `line`
    (identical lines are interchangeable), or `line` itself."""
    text = puzzle.lines[line].text
    for other, candidate in enumerate(puzzle.lines):
        if candidate.text == text and candidate.indent == indent and other not in done:
            return other
    return line
