"""The coding pages' helpers: `{% code_marks report source as marks %}` (the
lines a report blames, for the editor to mark) and `{% lecture_exercises
lecture as groups %}` (a lecture's exercises with the student's solved marks)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from exercises.coding.report.lines import ErrorLine, error_lines
from exercises.models import Lecture, Topic
from tutor.exercise_order import ExerciseRow, lecture_rows

register = template.Library()


@register.simple_tag
def code_marks(report: Mapping[str, Any] | None, source: str) -> list[ErrorLine]:
    return error_lines(report, source or "")


@register.simple_tag(takes_context=True)
def lecture_exercises(
    context: template.Context, lecture: Lecture
) -> list[tuple[Topic, list[ExerciseRow]]]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return []
    return lecture_rows(user=user, lecture=lecture)
