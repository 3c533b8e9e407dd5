"""The ladder's data: what a solution is made of and what each rung shows.

Every view (`WorkedRow`, `FadedView`, `ParsonsView`) is plain frozen data
that a page can render as it is; a faded view and a Parsons view never hold
the text a student has to find.
"""

from __future__ import annotations

from dataclasses import dataclass


class AnswerRejected(ValueError):
    """An answer that cannot be run at all: an unknown or repeated block, an
    indent out of range, a blank that is too long, not one line, not an
    expression or not Python. The message is written for the student; a
    rejected answer never counts as an attempt."""


@dataclass(frozen=True)
class Line:
    """One logical line of the model solution's function body."""

    text: str  # the code, without its leading indentation
    indent: int  # depth inside the function body: 0 = body level
    subgoal: str  # the label of the subgoal this line belongs to
    why: str  # one sentence: why this line is what it is


@dataclass(frozen=True)
class Blank:
    """A faded step: the span [start, end) of one line's text, blanked.

    `level` is the first faded level that blanks it (level k blanks every
    blank of level ≤ k). A blank over a whole line takes a statement; any
    other blank takes an expression."""

    id: str
    line: int
    start: int
    end: int
    prompt: str
    mistakes: tuple[str, ...]
    level: int = 1


@dataclass(frozen=True)
class Distractor:
    """A wrong line written from a named mistake, paired with the line it
    corrupts (an index into the ladder's lines)."""

    text: str
    pairs_with: int
    mistake_id: str


@dataclass(frozen=True)
class WorkedRow:
    text: str
    indent: int
    subgoal: str
    why: str


@dataclass(frozen=True)
class BlankSlot:
    """Where a student types: the blank's id, its principle prompt and a
    rough width for the input (in characters, rounded up)."""

    id: str
    prompt: str
    width_hint: int


@dataclass(frozen=True)
class FadedRow:
    """One line of a faded example: text parts and blank slots in reading
    order. A row with a blank has no `why`: the slots' prompts ask for the
    principle instead."""

    indent: int
    parts: tuple[str | BlankSlot, ...]
    subgoal: str
    why: str


@dataclass(frozen=True)
class FadedView:
    level: int
    levels: int
    rows: tuple[FadedRow, ...]


@dataclass(frozen=True)
class Block:
    """One Parsons block as shown. Ids are opaque and depend on the seed;
    `group` is "" or an id shared by a distractor and the line it corrupts
    (shown together: "pick one of 2")."""

    id: str
    text: str
    group: str


@dataclass(frozen=True)
class ParsonsView:
    header: tuple[str, ...]
    blocks: tuple[Block, ...]
    max_indent: int


@dataclass(frozen=True)
class Assembled:
    """A Parsons answer made into a program.

    `order_ok` is instant feedback only (the verdict is the engine's run of
    `source`): the placed blocks, each distractor standing for the line it
    corrupts, are every line of the solution, in an order the dependency
    graph allows, each at its indent and under its own block. `first_wrong`
    is the position in the placed list of the first block out of place, or
    None when nothing placed is out of place (then `order_ok` is False only
    because lines are missing)."""

    source: str
    distractors_used: tuple[str, ...]
    order_ok: bool
    first_wrong: int | None
