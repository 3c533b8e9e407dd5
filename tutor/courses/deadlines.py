"""When an assignment's work is on time, late or closed, for one student
(their extension counts), and how long their mock exam lasts (their
accommodation counts). The server's clock decides, never the browser's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from tutor.courses.models import Assignment, Extension, Membership


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    due_at: datetime
    late_until: datetime | None
    extended: bool

    def state(self, at: datetime) -> str:
        """ "upcoming", "open", "late" (accepted with the penalty) or "closed"."""
        if at < self.opens_at:
            return "upcoming"
        if at <= self.due_at:
            return "open"
        if self.late_until is not None and at <= self.late_until:
            return "late"
        return "closed"


def window_for(assignment: Assignment, user: Any) -> Window:
    """The assignment's window for this student. An extension moves the due
    date; the late window keeps its length after it unless the extension sets
    its own end. An extension never shortens anything: when the assignment's
    own dates were moved past it later, those stand (`extended` is then
    False)."""
    extension = (
        Extension.objects.filter(assignment=assignment, user=user).first()
        if getattr(user, "pk", None)
        else None
    )
    own = Window(assignment.opens_at, assignment.due_at, assignment.late_until, False)
    if extension is None:
        return own
    late_until = extension.late_until
    if late_until is None and assignment.late_until is not None:
        # The late window keeps its length after the extended due date.
        late_until = extension.due_at + (assignment.late_until - assignment.due_at)
    due_at = max(extension.due_at, assignment.due_at)
    late_until = _later(late_until, assignment.late_until)
    if (due_at, late_until) == (own.due_at, own.late_until):
        return own
    return Window(assignment.opens_at, due_at, late_until, True)


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)


def accepts_work(assignment: Assignment, user: Any, at: datetime | None = None) -> str:
    """The window's state now: work is accepted when "open" or "late"."""
    return window_for(assignment, user).state(at or timezone.now())


def hidden_details_shown(
    assignment: Assignment, user: Any, at: datetime | None = None
) -> bool:
    """Hidden test cases show their details at once, or after the due date
    (the student's own, with an extension)."""
    if assignment.hidden_feedback == Assignment.HiddenFeedback.ALWAYS:
        return True
    return (at or timezone.now()) > window_for(assignment, user).due_at


def time_multiplier(assignment: Assignment, user: Any) -> float:
    if not getattr(user, "pk", None):
        return 1.0
    membership = Membership.objects.filter(
        course_id=assignment.course_id, user=user
    ).first()
    return float(membership.time_multiplier) if membership else 1.0


def exam_minutes(assignment: Assignment, user: Any) -> float:
    """The mock exam's length for this student: the blueprint's, times their
    accommodation."""
    base = assignment.blueprint.duration_minutes if assignment.blueprint else 20
    return base * time_multiplier(assignment, user)


def exam_deadline(assignment: Assignment, user: Any, started: datetime) -> datetime:
    """When the student's paper closes: their time, but never past the end of
    the assignment's window for them."""
    window = window_for(assignment, user)
    end = max(window.due_at, window.late_until or window.due_at)
    return min(started + timedelta(minutes=exam_minutes(assignment, user)), end)
