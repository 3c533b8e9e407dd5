"""What the practice pages hold back while a coding exercise is graded work.

The ladder's worked example is the model solution, its faded example and
Parsons problem give most of it away, and the hint ladder's last level states
the fix. While an exercise is an item of a published assignment whose window
is not closed for a student of that course (their extension counts), those
stay shut for them; they open when the assignment closes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from exercises.models import CodingExercise
from tutor.courses.deadlines import window_for
from tutor.courses.models import Assignment, Membership


@dataclass(frozen=True)
class HeldBack:
    assignment: Assignment
    until: datetime

    @property
    def message(self) -> str:
        return (
            f"This exercise is part of “{self.assignment.title}” in "
            f"{self.assignment.course.title}, so its worked solution and last-level "
            f"hints open when that assignment closes for you "
            f"({timezone.localtime(self.until):%A %-d %B, %H:%M})."
        )


def held_back(
    *, user: Any, exercise: CodingExercise, at: datetime | None = None
) -> HeldBack | None:
    """The graded assignment that holds the exercise's solution back from this
    student now, or None."""
    if not getattr(user, "pk", None):
        return None
    now = at or timezone.now()
    assignments = Assignment.objects.filter(
        is_published=True,
        items__exercise=exercise,
        course__members__user=user,
        course__members__role=Membership.Role.STUDENT,
    ).select_related("course")
    for assignment in assignments.distinct().order_by("due_at", "pk"):
        window = window_for(assignment, user)
        if window.state(now) != "closed":
            return HeldBack(assignment, window.late_until or window.due_at)
    return None


def held_back_for(request: HttpRequest, exercise: CodingExercise) -> HeldBack | None:
    """`held_back` for the request's user, asked once per request and
    exercise: the exercise page asks for its rung strip and for the report
    under its editor."""
    memo: dict[int, HeldBack | None] = request.__dict__.setdefault("_held_back", {})
    if exercise.pk not in memo:
        memo[exercise.pk] = held_back(user=request.user, exercise=exercise)
    return memo[exercise.pk]
