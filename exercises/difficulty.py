"""What a student is told about an item before starting it: its level and
about how long it takes.

Levels are the author's: 1 recall (a fact or a formula from the notes), 2
apply (one method on given numbers), 3 exam level (several steps combined:
derive then compute, trace an algorithm on a fresh input, find the bug in a
snippet, choose and justify a design under constraints).

The time is an estimate from the kind of answer and the level, which an
author can override per question with `minutes:` in the bank file (kept in
the question's spec). Multi-step questions take time per part. The figures
are a first calibration, in whole minutes, to be checked against the time
students really take once there are enough first answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LEVELS = {1: "recall", 2: "apply", 3: "exam level"}

# Minutes for one answer at level 1, 2 and 3.
_QUESTION_MINUTES: dict[str, tuple[int, int, int]] = {
    "single": (1, 2, 4),
    "multiple": (2, 3, 5),
    "ordering": (2, 4, 6),
    "numeric": (2, 4, 7),
    "symbolic": (3, 5, 8),
    "matrix": (3, 5, 8),
}
# Multi-step questions: minutes per part at each level, at least the floor.
_PART_MINUTES = (1.0, 2.0, 3.0)
_MULTISTEP_FLOOR = (3, 5, 8)
_EXERCISE_MINUTES = (10, 20, 35)
MAX_MINUTES = 60


def level_name(difficulty: int) -> str:
    return LEVELS.get(difficulty, LEVELS[1])


def _index(difficulty: int) -> int:
    return min(max(int(difficulty), 1), 3) - 1


def question_minutes(kind: str, difficulty: int, spec: Mapping[str, Any]) -> int:
    """About how many minutes a question takes a prepared student."""
    stated = spec.get("minutes")
    if isinstance(stated, int) and not isinstance(stated, bool) and stated > 0:
        return min(stated, MAX_MINUTES)
    level = _index(difficulty)
    if kind == "multistep":
        parts = spec.get("parts")
        count = len(parts) if isinstance(parts, list) else 1
        return min(
            max(round(count * _PART_MINUTES[level]), _MULTISTEP_FLOOR[level]),
            MAX_MINUTES,
        )
    return _QUESTION_MINUTES.get(kind, _QUESTION_MINUTES["numeric"])[level]


def exercise_minutes(difficulty: int) -> int:
    """About how many minutes a coding exercise takes, reading included."""
    return _EXERCISE_MINUTES[_index(difficulty)]
