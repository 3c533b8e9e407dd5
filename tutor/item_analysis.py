"""Item analysis: how each question and coding exercise behaves across students.

Counts are grouped in the database. The one statistic computed in Python,
the discrimination, works on the (student, question) table of first attempts,
which the database has already reduced to one row per pair.

Discrimination is the point-biserial correlation between being right on the
first attempt at a question and the student's rest score: the share of their
first attempts at every other question (of the same filter) that were right.
Only students with at least one other question count; it is undefined
(None) when fewer than two students count or either side does not vary.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.db.models import Count, Min, Q, QuerySet
from django.db.models.fields.json import KT

from exercises.checkers import read_part
from exercises.models import CodingExercise, Question, QuizAttempt, Submission
from tutor.gradebook import GradebookFilter

CHOICE_KINDS = ("single", "multiple")
READABLE_KINDS = ("numeric", "symbolic", "matrix", "ordering")
TOP_WRONG = 5
# Fewer students than this and a question is not flagged: one wrong attempt
# says little about the question.
MIN_STUDENTS_TO_FLAG = 3


@dataclass(frozen=True)
class OptionCount:
    index: int
    text: str
    correct: bool
    chosen: int  # attempts that chose it


@dataclass
class ItemRow:
    question: Question
    attempts: int
    correct: int
    students: int  # = first attempts
    first_correct: int
    discrimination: float | None = None
    options: list[OptionCount] = field(default_factory=list)
    wrong_answers: list[tuple[str, int]] = field(default_factory=list)

    @property
    def share_correct(self) -> float:
        return self.correct / self.attempts if self.attempts else 0.0

    @property
    def first_share_correct(self) -> float:
        return self.first_correct / self.students if self.students else 0.0

    @property
    def flags(self) -> list[str]:
        if self.students < MIN_STUDENTS_TO_FLAG:
            return []
        found = []
        if self.correct == 0:
            found.append("nobody right")
        if self.discrimination is not None and self.discrimination < 0:
            found.append("negative discrimination")
        return found


SORTS = {
    "discrimination": lambda row: (
        row.discrimination is None,
        row.discrimination if row.discrimination is not None else 0.0,
    ),
    "share": lambda row: (row.share_correct, row.first_share_correct),
    "attempts": lambda row: -row.attempts,
}


def item_analysis(
    *,
    filters: GradebookFilter,
    sort: str = "discrimination",
    users: QuerySet[User] | None = None,
) -> list[ItemRow]:
    """Questions with at least one student attempt in the filter; lowest
    discrimination (or share correct) first, where broken questions gather.
    `users`: only these students' attempts (a course's), else everyone's."""
    attempts = _attempts(filters)
    if users is not None:
        attempts = attempts.filter(user__in=users)
    rows = {row.question.pk: row for row in _counts(attempts)}
    first = _first_attempts(attempts)
    for question_id, students, right in _first_counts(first):
        rows[question_id].students, rows[question_id].first_correct = students, right
    for question_id, value in discrimination(first).items():
        rows[question_id].discrimination = value
    _add_options(rows, attempts)
    _add_wrong_answers(rows, attempts)
    return sorted(rows.values(), key=SORTS.get(sort, SORTS["discrimination"]))


def _attempts(filters: GradebookFilter) -> QuerySet[QuizAttempt]:
    return QuizAttempt.objects.filter(
        filters.window("created_at"),
        question__topic__in=filters.topics(),
        user__is_staff=False,
        user__is_superuser=False,
    )


def _counts(attempts: QuerySet[QuizAttempt]) -> list[ItemRow]:
    grouped = {
        question: (n, right)
        for question, n, right in attempts.values_list("question")
        .annotate(n=Count("id"), right=Count("id", filter=Q(is_correct=True)))
        .values_list("question", "n", "right")
    }
    questions = Question.objects.filter(pk__in=grouped).select_related("topic")
    return [ItemRow(q, *grouped[q.pk], students=0, first_correct=0) for q in questions]


def _first_attempts(attempts: QuerySet[QuizAttempt]) -> list[tuple[int, int, bool]]:
    """(student, question, right) of each student's first attempt at each
    question: the attempt with the lowest id, ids growing with time."""
    first_ids = attempts.values("user", "question").annotate(first=Min("id"))
    return list(
        QuizAttempt.objects.filter(pk__in=first_ids.values("first")).values_list(
            "user", "question", "is_correct"
        )
    )


def _first_counts(
    first: list[tuple[int, int, bool]],
) -> list[tuple[int, int, int]]:
    students: Counter[int] = Counter()
    right: Counter[int] = Counter()
    for _user, question, correct in first:
        students[question] += 1
        right[question] += int(correct)
    return [(question, n, right[question]) for question, n in students.items()]


def discrimination(first: list[tuple[int, int, bool]]) -> dict[int, float | None]:
    """Point-biserial correlation per question (see the module's docstring)."""
    answered: dict[int, int] = Counter()
    right: dict[int, int] = Counter()
    by_question: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for user, question, correct in first:
        answered[user] += 1
        right[user] += int(correct)
        by_question[question].append((user, correct))
    result: dict[int, float | None] = {}
    for question, pairs in by_question.items():
        item = [float(c) for user, c in pairs if answered[user] > 1]
        rest = [
            (right[user] - int(c)) / (answered[user] - 1)
            for user, c in pairs
            if answered[user] > 1
        ]
        result[question] = point_biserial(item, rest)
    return result


def point_biserial(item: list[float], rest: list[float]) -> float | None:
    """Pearson's r between a 0/1 item score and a continuous score, which is
    the point-biserial correlation; None when it is undefined."""
    if len(item) < 2:
        return None
    x, y = np.asarray(item), np.asarray(rest)
    dx, dy = x - x.mean(), y - y.mean()
    spread = math.sqrt(float(dx @ dx) * float(dy @ dy))
    if spread < 1e-12:
        return None
    return float(dx @ dy) / spread


def _add_options(rows: dict[int, ItemRow], attempts: QuerySet[QuizAttempt]) -> None:
    """How often each option was chosen: attempts grouped by their answer in
    the database, the few distinct answers then split into options."""
    chosen: dict[int, Counter[int]] = defaultdict(Counter)
    grouped = (
        attempts.filter(question__kind__in=CHOICE_KINDS)
        .annotate(single=KT("answer__choice"), multiple=KT("answer__choices"))
        .values("question", "single", "multiple")
        .annotate(n=Count("id"))
        .values_list("question", "single", "multiple", "n")
    )
    for question_id, single, multiple, n in grouped:
        for index in _indices(single, multiple):
            chosen[question_id][index] += n
    for question_id, counts in chosen.items():
        options = rows[question_id].question.spec.get("options", [])
        rows[question_id].options = [
            OptionCount(i, str(o.get("text", "")), bool(o.get("correct")), counts[i])
            for i, o in enumerate(options)
        ]


def _indices(single: Any, multiple: Any) -> list[int]:
    """Option indices from an answer's text as the database returns it."""
    values: Any = single
    if multiple not in (None, ""):
        values = json.loads(multiple) if isinstance(multiple, str) else multiple
    if not isinstance(values, list):
        values = [values]
    indices = []
    for value in values:
        try:
            indices.append(int(value))
        except (TypeError, ValueError):
            continue
    return indices


def _add_wrong_answers(
    rows: dict[int, ItemRow], attempts: QuerySet[QuizAttempt]
) -> None:
    """The most frequent wrong answers, read the way the checker reads them
    (so `0,5`, `1/2` and `.5` are one answer)."""
    grouped = (
        attempts.filter(is_correct=False, question__kind__in=READABLE_KINDS)
        .values("question", "answer")
        .annotate(n=Count("id"))
        .values_list("question", "answer", "n")
    )
    wrong: dict[int, Counter[str]] = defaultdict(Counter)
    for question_id, answer, n in grouped:
        question = rows[question_id].question
        wrong[question_id][normalised_answer(question, answer)] += n
    for question_id, counts in wrong.items():
        rows[question_id].wrong_answers = counts.most_common(TOP_WRONG)


def normalised_answer(question: Question, answer: Any) -> str:
    text = json.dumps(answer, sort_keys=True)
    return _normalised(question.kind, json.dumps(question.spec, sort_keys=True), text)


@lru_cache(maxsize=4096)
def _normalised(kind: str, spec_json: str, answer_json: str) -> str:
    answer = json.loads(answer_json)
    raw = (
        str(answer.get("value", answer.get("expression", "")))
        if isinstance(answer, dict)
        else str(answer)
    )
    try:
        value = read_part({**json.loads(spec_json), "kind": kind}, answer)
    except (ValueError, TypeError, AttributeError):
        return raw.strip()
    if kind == "numeric":
        return f"{value:.6g}"
    if kind == "matrix":
        return np.array2string(np.asarray(value), precision=6, separator=", ")
    if kind == "ordering":
        return ", ".join(value)
    return str(value)


# --- Coding exercises ----------------------------------------------------------


@dataclass
class ExerciseRow:
    exercise: CodingExercise
    submissions: int
    students: int
    verdicts: list[tuple[str, int]] = field(default_factory=list)
    mistakes: list[tuple[str, str, int]] = field(default_factory=list)  # id, title, n


def exercise_analysis(
    *, filters: GradebookFilter, users: QuerySet[User] | None = None
) -> list[ExerciseRow]:
    """Per exercise: verdict counts and how often each named mistake matched
    (`users`: only these students' submissions)."""
    submissions = Submission.objects.filter(
        filters.window("created_at"),
        exercise__topic__in=filters.topics(),
        user__is_staff=False,
        user__is_superuser=False,
    )
    if users is not None:
        submissions = submissions.filter(user__in=users)
    totals = submissions.values("exercise").annotate(
        n=Count("id"), students=Count("user", distinct=True)
    )
    exercises = CodingExercise.objects.in_bulk([row["exercise"] for row in totals])
    rows = {
        row["exercise"]: ExerciseRow(
            exercises[row["exercise"]], row["n"], row["students"]
        )
        for row in totals
    }
    verdicts = (
        submissions.annotate(verdict=KT("report__verdict"))
        .values("exercise", "verdict", "status")
        .annotate(n=Count("id"))
        .values_list("exercise", "verdict", "status", "n")
        .order_by("-n")
    )
    for exercise_id, verdict, status, n in verdicts:
        rows[exercise_id].verdicts.append((verdict or status, n))
    mistakes = (
        submissions.annotate(
            key=KT("report__mistake__id"), title=KT("report__mistake__title")
        )
        .filter(key__isnull=False)
        .values("exercise", "key", "title")
        .annotate(n=Count("id"))
        .values_list("exercise", "key", "title", "n")
        .order_by("-n")
    )
    for exercise_id, key, title, n in mistakes:
        rows[exercise_id].mistakes.append((key, title, n))
    return sorted(
        rows.values(), key=lambda row: (row.exercise.topic_id, row.exercise.slug)
    )
