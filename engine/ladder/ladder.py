"""`Ladder`: one exercise's model solution and the rungs derived from it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from engine.ladder import faded, parsons
from engine.ladder.dag import parent_of
from engine.ladder.types import (
    Assembled,
    Blank,
    Distractor,
    FadedView,
    Line,
    ParsonsView,
    WorkedRow,
)


@dataclass(frozen=True)
class Ladder:
    """The worked example, the faded levels and the Parsons problem of one
    exercise spec, all derived from one annotated model solution.

    `depends[i]` lists the lines that line i must follow (the def-use graph,
    see engine.ladder.dag). The verdict of a faded or Parsons answer is never
    decided here: `fill` and `assemble` build the program that the engine
    then grades.
    """

    spec_id: str
    header: tuple[str, ...]
    lines: tuple[Line, ...]
    blanks: tuple[Blank, ...]
    distractors: tuple[Distractor, ...]
    depends: tuple[tuple[int, ...], ...]

    @property
    def levels(self) -> int:
        """How many faded levels there are (level k blanks every blank of
        level ≤ k)."""
        return faded.levels_of(self.blanks)

    @cached_property
    def parents(self) -> tuple[int | None, ...]:
        """Per line, the compound line it sits in (None at body level)."""
        indents = [line.indent for line in self.lines]
        return tuple(parent_of(index, indents) for index in range(len(self.lines)))

    @cached_property
    def _puzzle(self) -> parsons.Puzzle:
        return parsons.Puzzle(
            self.spec_id,
            self.header,
            self.lines,
            self.distractors,
            self.depends,
            self.parents,
        )

    def source(self) -> str:
        """The model solution as a runnable program."""
        return faded.program(
            self.header, [(line.text, line.indent) for line in self.lines]
        )

    def worked(self) -> tuple[WorkedRow, ...]:
        return tuple(
            WorkedRow(line.text, line.indent, line.subgoal, line.why)
            for line in self.lines
        )

    def faded(self, level: int) -> FadedView:
        """Level `level`'s view, without the blanked text; ValueError outside
        1..levels."""
        return faded.faded_view(self.lines, self.blanks, level)

    def fill(self, level: int, answers: Mapping[str, str]) -> str:
        """The program with level `level`'s blanks filled (blank id → text);
        AnswerRejected when an answer cannot be used."""
        return faded.fill(self.header, self.lines, self.blanks, level, answers)

    def parsons(self, seed: int, *, without: int = 0) -> ParsonsView:
        """The blocks for variant `seed`, `without` distractors removed by
        help (all of them once `without` reaches their number)."""
        _check_seed(seed)
        blocks = parsons.blocks(self._puzzle, seed, without)
        return ParsonsView(self.header, blocks, self._puzzle.max_indent)

    def assemble(
        self, seed: int, placed: Sequence[tuple[str, int]], *, without: int = 0
    ) -> Assembled:
        """The program of `placed` ((block id, indent) in order) for the view
        `parsons(seed, without=without)`; AnswerRejected for an answer that
        cannot be a program."""
        _check_seed(seed)
        return parsons.assemble(self._puzzle, seed, placed, without)


def _check_seed(seed: object) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an int, not {seed!r}")
