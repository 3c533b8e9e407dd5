"""The coding ladder: worked example → faded example → Parsons problem →
implementation, each rung derived from one annotated model solution per
exercise spec (engine/ladder/solutions/<spec id>.py).

Pure Python: it never imports Django, and never the references. A faded or
Parsons answer is made into a program here; its verdict is always the
engine's grade of that program.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from engine.ladder import solutions
from engine.ladder.build import BlankSpec, DistractorSpec, Solution, build
from engine.ladder.ladder import Ladder
from engine.ladder.types import (
    AnswerRejected,
    Assembled,
    Blank,
    BlankSlot,
    Block,
    Distractor,
    FadedRow,
    FadedView,
    Line,
    ParsonsView,
    WorkedRow,
)


@cache
def ladder_ids() -> tuple[str, ...]:
    """The ids of the exercise specs that have a ladder, sorted."""
    return tuple(
        sorted(
            module.name
            for module in pkgutil.iter_modules(solutions.__path__)
            if not module.name.startswith("_")
        )
    )


@cache
def get_ladder(spec_id: str) -> Ladder:
    """The ladder of exercise spec `spec_id`; KeyError when it has none."""
    if spec_id not in ladder_ids():
        raise KeyError(f"no ladder for exercise spec {spec_id!r}")
    module = importlib.import_module(f"{solutions.__name__}.{spec_id}")
    solution: Solution = module.SOLUTION
    if solution.spec_id != spec_id:
        raise ValueError(f"{module.__name__} holds the solution of {solution.spec_id}")
    return build(solution)


__all__ = [
    "AnswerRejected",
    "Assembled",
    "Blank",
    "BlankSlot",
    "BlankSpec",
    "Block",
    "Distractor",
    "DistractorSpec",
    "FadedRow",
    "FadedView",
    "Ladder",
    "Line",
    "ParsonsView",
    "Solution",
    "WorkedRow",
    "get_ladder",
    "ladder_ids",
]
