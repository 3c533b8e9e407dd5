"""Mock exams as the student sits them: every answer saved as it is typed and
read at once (never judged), an empty field never taken for an answer, and a
summary of the paper before it is marked.

Until the paper is marked, an item's `result` holds how its answer was read
when it was saved, `{"draft": true, "readable": ..., "message": ...}`; marking
(tutor.services.exam_submit) replaces it with the verdict.

An empty field never overwrites a saved answer: clearing one is its own action
("Clear answer" on the paper), because an empty field is also what a slip of
the keyboard, a reset form or a radio button nobody chose looks like.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db import transaction

from exercises.checkers import preview
from exercises.models import Question
from exercises.presentation import present
from tutor import services
from tutor.courses.events import announce
from tutor.courses.models import Work
from tutor.models import MockExam, MockExamItem

# The longest text any reader accepts (a matrix); longer is refused unread.
MAX_ANSWER_CHARS = 20_000
QUOTE_CHARS = 40


class AnswerState(StrEnum):
    """Where a question of an open paper stands, or what saving it did."""

    SAVED = "saved"
    UNREADABLE = "unreadable"  # saved as a draft that cannot be read
    UNANSWERED = "unanswered"
    CLEARED = "cleared"
    EMPTY = "empty"  # nothing posted, nothing saved before: nothing to do
    KEPT = "kept"  # an empty field: the saved answer stays
    TOO_LONG = "too_long"
    CLOSED = "closed"  # the paper takes no more answers


STORED = (AnswerState.SAVED, AnswerState.UNREADABLE)
STATE_WORDS = {AnswerState.SAVED: "answered", AnswerState.UNREADABLE: "not readable"}


@dataclass(frozen=True)
class AnswerStatus:
    position: int
    state: AnswerState
    message: str = ""
    flagged: bool = False

    @property
    def number(self) -> int:
        """The question's number as the paper shows it."""
        return self.position + 1

    @property
    def word(self) -> str:
        """The question's state as the paper's navigation panel says it."""
        return STATE_WORDS.get(self.state, "not answered")


@dataclass(frozen=True)
class PaperSummary:
    statuses: list[AnswerStatus]

    def _in(self, state: AnswerState) -> list[AnswerStatus]:
        return [status for status in self.statuses if status.state == state]

    @property
    def answered(self) -> list[AnswerStatus]:
        return self._in(AnswerState.SAVED)

    @property
    def unanswered(self) -> list[AnswerStatus]:
        return self._in(AnswerState.UNANSWERED)

    @property
    def unreadable(self) -> list[AnswerStatus]:
        return self._in(AnswerState.UNREADABLE)

    @property
    def flagged(self) -> list[AnswerStatus]:
        return [status for status in self.statuses if status.flagged]


# ---------------------------------------------------------------- reading


def _texts(answer: Any) -> Iterator[str]:
    """Every piece of text in an answer as the form posts it."""
    if isinstance(answer, Mapping):
        for value in answer.values():
            yield from _texts(value)
    elif isinstance(answer, list):
        for value in answer:
            yield from _texts(value)
    elif answer is not None:
        yield str(answer)


def answer_is_blank(answer: Any) -> bool:
    """Whether nothing was typed or chosen (whitespace is nothing)."""
    return not any(text.strip() for text in _texts(answer))


def answer_reading(question: Question, answer: dict[str, Any]) -> dict[str, Any]:
    """How the practice pages' read step (checkers.preview) reads an answer."""
    result = preview(question.kind, question.spec, answer)
    if result.readable:
        return {"draft": True, "readable": True, "message": ""}
    typed = [text.strip() for text in _texts(answer) if text.strip()]
    if len(typed) == 1 and question.kind != Question.Kind.MULTISTEP:
        shown = typed[0]
        if len(shown) > QUOTE_CHARS:
            shown = shown[: QUOTE_CHARS - 1] + "…"
        message = f"Could not read “{shown}”: {result.message}"
    else:
        message = f"Could not read your answer: {result.message}"
    return {"draft": True, "readable": False, "message": message}


def _untouched_order(item: MockExamItem, answer: dict[str, Any]) -> bool:
    """An ordering never moved posts the order it was shown in; that is no
    answer (the order shown is never the solution, see `present`)."""
    question = item.question
    if question.kind != Question.Kind.ORDERING or item.answer is not None:
        return False
    shown = [str(i) for i, _ in present(question, item.seed).items]
    return answer.get("order") == shown


# ---------------------------------------------------------------- saving


def exam_item_save(
    *,
    exam: MockExam,
    item: MockExamItem,
    answer: dict[str, Any],
    clear: bool = False,
    at: datetime | None = None,
) -> AnswerStatus:
    """Save one question's answer as posted; raises ExamClosed after the paper
    was marked or its time ran out."""
    if not services.exam_takes_answers(exam=exam, at=at):
        was_open = _unmarked(exam)
        closed = services.exam_closed(exam=exam, at=at)
        if was_open:
            paper_marked(exam)
        raise closed
    position = item.position
    if clear:
        services.exam_save_answer(exam=exam, position=position, answer=None, at=at)
        return AnswerStatus(position, AnswerState.CLEARED)
    if answer_is_blank(answer):
        kept = item.answer is not None and not answer_is_blank(item.answer)
        return AnswerStatus(position, AnswerState.KEPT if kept else AnswerState.EMPTY)
    if any(len(text) > MAX_ANSWER_CHARS for text in _texts(answer)):
        return AnswerStatus(
            position,
            AnswerState.TOO_LONG,
            f"the answer is too long (over {MAX_ANSWER_CHARS:,} characters).",
        )
    reading = answer_reading(item.question, answer)
    if answer != item.answer or reading != item.result:
        services.exam_save_answer(
            exam=exam, position=position, answer=answer, reading=reading, at=at
        )
    if reading["readable"]:
        return AnswerStatus(position, AnswerState.SAVED)
    return AnswerStatus(position, AnswerState.UNREADABLE, reading["message"])


def exam_paper_save(
    *,
    exam: MockExam,
    answers: Mapping[int, dict[str, Any]],
    clear: int | None = None,
    at: datetime | None = None,
) -> list[AnswerStatus]:
    """Save every question posted with the whole paper (and clear one, if
    asked); an ordering left as it was shown is not taken for an answer."""
    items = {item.position: item for item in exam.items.select_related("question")}
    saved = []
    for position, answer in answers.items():
        item = items[position]
        if position == clear or _untouched_order(item, answer):
            continue
        saved.append(exam_item_save(exam=exam, item=item, answer=answer, at=at))
    if clear is not None:
        saved.append(
            exam_item_save(exam=exam, item=items[clear], answer={}, clear=True, at=at)
        )
    return saved


def exam_paper_submit(
    *, exam: MockExam, answers: Mapping[int, dict[str, Any]]
) -> MockExam:
    """Save what was posted with the final submit, then mark the paper."""
    exam_paper_save(exam=exam, answers=answers)
    was_open = _unmarked(exam)
    marked = services.exam_submit(exam=exam)
    if was_open:
        paper_marked(marked)
    return marked


def exam_item_flag(
    *, exam: MockExam, item: MockExamItem, flagged: bool, at: datetime | None = None
) -> MockExamItem:
    """Flag a question for review (or take the flag off); raises ExamClosed
    after the paper was marked or its time ran out. A flag changes no mark:
    it is the student's note to come back to the question."""
    if services.exam_takes_answers(exam=exam, at=at):
        open_items = MockExamItem.objects.filter(
            pk=item.pk, exam__submitted_at__isnull=True
        )
        if open_items.update(flagged=flagged):
            item.flagged = flagged
            return item
    was_open = _unmarked(exam)
    closed = services.exam_closed(exam=exam, at=at)
    if was_open:
        paper_marked(exam)
    raise closed


# ---------------------------------------------------------------- marked papers


def paper_marked(exam: MockExam) -> None:
    """A paper was marked (submitted, or its time ran out): if it is the work
    of an exam assignment, its score has changed for the course (and the LMS)."""
    work = Work.objects.filter(mock_exam_id=exam.pk).first()
    if work is not None:
        transaction.on_commit(lambda: announce(work))


def _unmarked(exam: MockExam) -> bool:
    return MockExam.objects.filter(pk=exam.pk, submitted_at__isnull=True).exists()


def exam_settle(exam: MockExam, at: datetime | None = None) -> MockExam:
    """Mark the paper if its time ran out (as it stood at the deadline), and
    say so to the course when that is what happened now."""
    was_open = exam.is_open
    exam = services.exam_expire_if_due(exam=exam, at=at)
    if was_open and not exam.is_open:
        paper_marked(exam)
    return exam


def exams_settle(exams: Iterable[MockExam]) -> None:
    """Mark every paper whose time ran out (before scores are read)."""
    for exam in exams:
        exam_settle(exam)


# ---------------------------------------------------------------- reading back


def exam_item_status(item: MockExamItem) -> AnswerStatus:
    """Where a question stands: answered, unanswered or saved unreadable
    (and whether the student flagged it)."""
    flagged = item.flagged
    if item.answer is None or answer_is_blank(item.answer):
        return AnswerStatus(item.position, AnswerState.UNANSWERED, flagged=flagged)
    reading = item.result if (item.result or {}).get("draft") else None
    if reading is None:  # saved before answers were read as they were saved
        reading = answer_reading(item.question, item.answer)
    if reading["readable"]:
        return AnswerStatus(item.position, AnswerState.SAVED, flagged=flagged)
    message = reading["message"]
    return AnswerStatus(item.position, AnswerState.UNREADABLE, message, flagged)


def exam_summary(*, exam: MockExam) -> PaperSummary:
    items = exam.items.select_related("question")
    return PaperSummary([exam_item_status(item) for item in items])
