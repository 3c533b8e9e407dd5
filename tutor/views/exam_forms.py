"""The mock-exam paper as one HTML form: its fields are named per question
("q3-value", "q3-choice"), so the whole paper posts at once and nothing typed
is lost without JavaScript; a single question may post its own bare fields
(as the practice form names them). Both ways in, and the saved answers back
into the fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, QueryDict

from exercises.presentation import Presented, present
from tutor.exams import AnswerStatus, exam_item_status
from tutor.models import MockExam, MockExamItem
from tutor.views.practice import answer_from

NOT_A_QUESTION = "“%(value)s” is not a question of this paper."
NOT_AN_EXAM = "That is not an exam: choose one from the list."


def prefix_for(position: int) -> str:
    return f"q{position}-"


class StartForm(forms.Form):
    """Which exam to start: a blueprint's id, or none for a random paper."""

    blueprint = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "invalid": NOT_AN_EXAM,
            "min_value": NOT_AN_EXAM,
            "max_value": NOT_AN_EXAM,
        },
    )


class PaperForm(forms.Form):
    """Which questions a post carries (`items`), and the button pressed: save
    and come back to question `at`, or clear question `clear`."""

    items = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        error_messages={"invalid_choice": NOT_A_QUESTION},
    )
    at = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": NOT_A_QUESTION},
    )
    clear = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": NOT_A_QUESTION},
    )

    def __init__(self, data: QueryDict, *, positions: list[int]) -> None:
        super().__init__(data)
        choices = [(str(position), str(position)) for position in positions]
        for name in ("items", "at", "clear"):
            self.fields[name].choices = choices  # type: ignore[attr-defined]

    def problem(self) -> str:
        """The errors, as one sentence for the student."""
        return " ".join(
            str(error) for errors in self.errors.values() for error in errors
        )


def paper_form(data: QueryDict, exam: MockExam) -> PaperForm:
    positions = list(exam.items.values_list("position", flat=True))
    return PaperForm(data, positions=positions)


def posted_answers(
    data: QueryDict, exam: MockExam, positions: list[int]
) -> dict[int, dict[str, Any]]:
    """The answer to each listed question, from its prefixed fields."""
    items = exam.items.filter(position__in=positions).select_related("question")
    return {
        item.position: answer_in(data, item, prefix_for(item.position))
        for item in items
    }


def answer_in(data: QueryDict, item: MockExamItem, prefix: str = "") -> dict[str, Any]:
    """One question's answer, read by the practice form's reader from the
    fields named with `prefix` (all fields when it is empty)."""
    fields = QueryDict(mutable=True)
    for key in data:
        if key.startswith(prefix):
            fields.setlist(key.removeprefix(prefix), data.getlist(key))
    posted = HttpRequest()
    posted.POST = fields
    return answer_from(posted, item.question)


# ---------------------------------------------------------------- writing back


@dataclass(frozen=True)
class PaperEntry:
    """One question of the paper with what the student saved for it."""

    item: MockExamItem
    shown: Presented
    answer: dict[str, Any]
    cells: list[list[str]] | None
    typed: str
    status: AnswerStatus

    @property
    def prefix(self) -> str:
        return prefix_for(self.item.position)


def paper_entries(exam: MockExam) -> list[PaperEntry]:
    return [paper_entry(item) for item in exam.items.select_related("question__topic")]


def paper_entry(item: MockExamItem) -> PaperEntry:
    shown = present(item.question, item.seed)
    answer = item.answer or {}
    order = [str(i) for i in answer.get("order") or []]
    if order:
        rank = {value: place for place, value in enumerate(order)}
        shown.items.sort(key=lambda pair: rank.get(str(pair[0]), len(rank)))
    given = answer.get("parts") or {}
    shown.parts = [
        _part_filled(part, given.get(part["name"]) or {}) for part in shown.parts
    ]
    cells, typed = grid_filled(str(answer.get("value") or ""), shown.shape)
    return PaperEntry(item, shown, answer, cells, typed, exam_item_status(item))


def _part_filled(part: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    text = str(given.get("expression") or given.get("value") or "")
    cells, typed = grid_filled(text, part.get("grid"))
    return {**part, "given": text, "cells": cells, "typed": typed}


def grid_filled(
    text: str, grid: tuple[int, int] | None
) -> tuple[list[list[str]] | None, str]:
    """A saved matrix as the grid's cells when it fits them (the way the grid
    posts it: a line per row, "?" for an empty cell), else as typed text."""
    if not text.strip() or grid is None:
        return None, text
    rows = [line.split() for line in text.strip().splitlines()]
    if len(rows) == grid[0] and all(len(row) == grid[1] for row in rows):
        return [["" if cell == "?" else cell for cell in row] for row in rows], ""
    return None, text
