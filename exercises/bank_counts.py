"""The bank's figures, counted from its files: what the README quotes and
what the bank's own tests hold to (a quarter of the questions at exam level,
an exam-level question in every topic).

`manage.py count_course` prints them; the README's content paragraph quotes
its first line verbatim and a test keeps the two equal.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from exercises.difficulty import LEVELS
from exercises.models import CodingExercise, Question, Topic

EXAM_LEVEL = 3
COMPUTATIONAL = ("numeric", "matrix", "multistep", "symbolic")


@dataclass
class TopicCount:
    code: str
    title: str
    questions: int = 0
    exam_level: int = 0
    exercises: int = 0
    minutes: int = 0


@dataclass
class BankCounts:
    questions: int = 0
    exercises: int = 0
    parameterised: int = 0
    by_level: Counter[int] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    exercises_by_level: Counter[int] = field(default_factory=Counter)
    computational: int = 0
    computational_with_hints: int = 0
    question_minutes: int = 0
    exercise_minutes: int = 0
    topics: list[TopicCount] = field(default_factory=list)

    @property
    def exam_share(self) -> float:
        return self.by_level[EXAM_LEVEL] / self.questions if self.questions else 0.0

    def headline(self) -> str:
        """One sentence with the figures the README quotes."""
        return (
            f"{self.questions} questions over {len(self.topics)} topics "
            f"({self.by_level[1]} recall, {self.by_level[2]} apply, "
            f"{self.by_level[EXAM_LEVEL]} exam level), {self.parameterised} of them "
            f"parameterised, and {self.exercises} coding exercises"
        )

    def lines(self) -> list[str]:
        total = self.questions or 1
        levels = ", ".join(
            f"{level} {name} {self.by_level[level]} ({self.by_level[level] / total:.0%})"
            for level, name in LEVELS.items()
        )
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.by_kind.items()))
        rows = [
            f"  {t.code:<5} {t.questions:>3} questions ({t.exam_level:>2} exam level), "
            f"{t.exercises} coding, about {t.minutes} min"
            for t in self.topics
        ]
        hinted = f"{self.computational_with_hints} of {self.computational}"
        by_level = ", ".join(
            f"{level} {self.exercises_by_level[level]}" for level in LEVELS
        )
        hours = (self.question_minutes / 60, self.exercise_minutes / 60)
        time = (
            f"estimated time: every question once about {hours[0]:.0f} h, "
            f"every coding exercise once about {hours[1]:.0f} h"
        )
        return [
            self.headline(),
            f"questions by level: {levels}",
            f"questions by kind: {kinds}",
            f"computational questions with a hint ladder (two hints or more): {hinted}",
            f"coding exercises by level: {by_level}",
            time,
            "per topic:",
            *rows,
        ]


def count_bank(
    questions: list[Question], exercises: list[CodingExercise], topics: list[Topic]
) -> BankCounts:
    counts = BankCounts()
    by_code = {t.code: TopicCount(t.code, t.title) for t in topics}
    for question in questions:
        row = by_code[question.topic.code]
        counts.questions += 1
        counts.by_level[question.difficulty] += 1
        counts.by_kind[question.kind] += 1
        counts.parameterised += bool(question.spec.get("generator"))
        counts.question_minutes += question.minutes
        if question.kind in COMPUTATIONAL:
            counts.computational += 1
            counts.computational_with_hints += len(question.hints or []) >= 2
        row.questions += 1
        row.exam_level += question.difficulty == EXAM_LEVEL
        row.minutes += question.minutes
    for exercise in exercises:
        row = by_code[exercise.topic.code]
        counts.exercises += 1
        counts.exercises_by_level[exercise.difficulty] += 1
        counts.exercise_minutes += exercise.minutes
        row.exercises += 1
        row.minutes += exercise.minutes
    counts.topics = sorted(
        by_code.values(), key=lambda t: [int(p) for p in t.code.split(".")]
    )
    return counts
