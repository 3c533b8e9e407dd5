"""The ladder's rung strip, for the exercise page and every rung page:
`{% rung_strip exercise "parsons" %}` (nothing for an exercise without a
ladder; a note instead of the rungs while the exercise is graded work
for the student, tutor.courses.held_back)."""

from __future__ import annotations

from typing import Any

from django import template

from exercises.models import CodingExercise
from tutor.courses.held_back import held_back_for
from tutor.views.ladder_pages import strip_context

register = template.Library()


@register.inclusion_tag("tutor/ladder/strip.html", takes_context=True)
def rung_strip(
    context: template.Context, exercise: CodingExercise, current: str
) -> dict[str, Any]:
    request = context.get("request")
    if request is None:
        return {"rungs": []}
    blocked = held_back_for(request, exercise)
    if blocked is not None:  # graded work: the rungs open when it closes
        return {"rungs": [], "held_back": blocked.message}
    return strip_context(request, exercise, current)
