"""Ladder rung attempts, and answers built from a real ladder: the blocks of
a Parsons variant in the model solution's order, a faded level's blanks
filled with the model's own text."""

from __future__ import annotations

from typing import TYPE_CHECKING

import factory
from factory.django import DjangoModelFactory

from engine.report import CaseResult, MistakeMatch, Report, report_for
from exercises.models import RungAttempt
from tests.factories.content import CodingExerciseFactory
from tests.factories.records import IOU_SOURCE
from tests.factories.users import StudentFactory

if TYPE_CHECKING:
    from engine.ladder import Ladder


class RungAttemptFactory(DjangoModelFactory[RungAttempt]):
    """A queued Parsons attempt. `checked` stores a verdict: `passed` (a
    parameter, True by default) with an engine-like report."""

    class Meta:
        model = RungAttempt

    class Params:
        checked = factory.Trait(
            status=RungAttempt.Status.DONE,
            passed=True,
            report=factory.LazyAttribute(
                lambda a: {
                    "verdict": "passed" if a.passed else "failed",
                    "score": float(bool(a.passed)),
                    "cases": [],
                }
            ),
        )
        faded = factory.Trait(
            rung=RungAttempt.Rung.FADED,
            answer=factory.LazyFunction(lambda: {"level": 1, "blanks": {"b1": "0"}}),
        )

    user = factory.SubFactory(StudentFactory)
    exercise = factory.SubFactory(CodingExerciseFactory)
    rung = RungAttempt.Rung.PARSONS
    seed = factory.Sequence(lambda n: 1000 + n)
    answer = factory.LazyFunction(lambda: {"blocks": [], "order_ok": True})
    source = IOU_SOURCE


def solution_blocks(
    ladder: Ladder, seed: int, *, without: int = 0
) -> list[tuple[str, int]]:
    """The variant's blocks placed as the model solution: each line's block
    (found by its text) at the line's indent."""
    view = ladder.parsons(seed, without=without)
    distractors = {d.text for d in ladder.distractors}
    free = [b for b in view.blocks if b.text not in distractors]
    placed = []
    for line in ladder.lines:
        block = next(b for b in free if b.text == line.text)
        free.remove(block)
        placed.append((block.id, line.indent))
    return placed


def with_distractor(
    ladder: Ladder, seed: int, index: int = 0
) -> tuple[list[tuple[str, int]], str]:
    """The model solution with distractor `index` in place of its line, and
    that distractor's mistake id."""
    distractor = ladder.distractors[index]
    view = ladder.parsons(seed)
    placed = solution_blocks(ladder, seed)
    wrong = next(b for b in view.blocks if b.text == distractor.text)
    placed[distractor.pairs_with] = (wrong.id, placed[distractor.pairs_with][1])
    return placed, distractor.mistake_id


def model_blanks(ladder: Ladder, level: int) -> dict[str, str]:
    """A faded level's blanks filled with the model solution's own text."""
    shown = {
        part.id
        for row in ladder.faded(level).rows
        for part in row.parts
        if not isinstance(part, str)
    }
    return {
        blank.id: ladder.lines[blank.line].text[blank.start : blank.end]
        for blank in ladder.blanks
        if blank.id in shown
    }


def failed_report(mistake: str = "iou-no-clamp") -> Report:
    """An engine report of an IoU program: a visible case and a hidden one
    failed, and the named mistake diagnosed."""
    cases = (
        CaseResult(
            "edge 2",
            False,
            0.0,
            "expected 0, got -1",
            label="edge: apart",
            inputs={"box_a": [0, 0, 1, 1], "box_b": [2, 2, 3, 3]},
            expected=0.0,
            got=-1.0,
        ),
        CaseResult(
            "random 5",
            False,
            0.0,
            "expected 0.25, got 0.5",
            hidden=True,
            inputs={"box_a": [9.5, 9.5, 9.9, 9.9], "box_b": [1, 1, 2, 2]},
            expected=0.25,
            got=0.5,
        ),
    )
    return report_for(
        "iou",
        "failed",
        message="2 of 2 failed",
        cases=cases,
        mistake=MistakeMatch(mistake, "No clamp at zero", "Clamp each side at 0."),
    )
