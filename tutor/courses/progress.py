"""Read paths of where students stand: a student's assignments with their own
window, status and score; what is due soon on their dashboard; and, for the
course's staff, each student's progress on one assignment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from tutor.courses.deadlines import Window, window_for
from tutor.courses.models import Assignment, Course, Extension, Membership, Work
from tutor.courses.scoring import AssignmentScore, assignment_score, work_for
from tutor.models import MockExam

DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class AssignmentStatus:
    """One assignment as one student stands on it."""

    assignment: Assignment
    window: Window
    state: str  # upcoming | open | late | closed
    score: AssignmentScore

    @property
    def progress(self) -> str:
        """ "not started", "in progress" or "complete" (every item graded)."""
        if not self.score.started:
            return "not started"
        return "complete" if self.score.complete else "in progress"

    @property
    def accepting(self) -> bool:
        return self.state in ("open", "late")


def published_assignments(course: Course) -> QuerySet[Assignment]:
    return (
        course.assignments.filter(is_published=True)
        .select_related("course", "blueprint")
        .prefetch_related("items__question", "items__exercise")
        .order_by("due_at", "slug")
    )


def assignment_status(
    assignment: Assignment, user: Any, now: datetime | None = None
) -> AssignmentStatus:
    window = window_for(assignment, user)
    works = work_for(assignment, [user]).get(user.pk, [])
    return AssignmentStatus(
        assignment,
        window,
        window.state(now or timezone.now()),
        assignment_score(assignment, works, list(assignment.items.all())),
    )


def course_statuses(
    course: Course, user: Any, now: datetime | None = None
) -> list[AssignmentStatus]:
    """The course's published assignments as the student stands on them."""
    moment = now or timezone.now()
    return [
        assignment_status(assignment, user, moment)
        for assignment in published_assignments(course)
    ]


def due_soon(
    *, user: Any, now: datetime | None = None, days: int = DUE_SOON_DAYS
) -> list[AssignmentStatus]:
    """The student's published assignments due (by their own due date) in
    the next `days` days that are not complete, soonest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    moment = now or timezone.now()
    horizon = moment + timedelta(days=days)
    # An extension can move a due date into the horizon from anywhere.
    extended = Extension.objects.filter(user=user, due_at__gt=moment).values(
        "assignment"
    )
    candidates = (
        Assignment.objects.filter(
            is_published=True,
            course__is_active=True,
            course__members__user=user,
            course__members__role=Membership.Role.STUDENT,
        )
        .filter(Q(due_at__gt=moment, due_at__lte=horizon) | Q(pk__in=extended))
        .select_related("course", "blueprint")
        .prefetch_related("items")
        .distinct()
    )
    found = []
    for assignment in candidates:
        status = assignment_status(assignment, user, moment)
        if moment < status.window.due_at <= horizon and not status.score.complete:
            found.append(status)
    return sorted(found, key=lambda status: status.window.due_at)


# --- The staff's view of one assignment -----------------------------------------


def students_of(course: Course) -> QuerySet[User]:
    """The course's students (its TAs and instructors are not graded)."""
    return User.objects.filter(
        memberships__course=course, memberships__role=Membership.Role.STUDENT
    ).order_by("last_name", "first_name", "username")


@dataclass(frozen=True)
class StudentProgress:
    student: User
    window: Window
    score: AssignmentScore
    attempts: int
    late: int
    last_at: datetime | None
    extension: Extension | None

    @property
    def started(self) -> bool:
        return self.attempts > 0


def assignment_progress(
    assignment: Assignment, students: Iterable[User]
) -> list[StudentProgress]:
    """Each student's score, attempts and extension on the assignment."""
    students = list(students)
    items = list(assignment.items.select_related("question", "exercise"))
    works = work_for(assignment, students)
    extensions = {
        extension.user_id: extension
        for extension in Extension.objects.filter(
            assignment=assignment, user__in=students
        ).select_related("granted_by")
    }
    rows = []
    for student in students:
        mine = works.get(student.pk, [])
        rows.append(
            StudentProgress(
                student=student,
                window=window_for(assignment, student),
                score=assignment_score(assignment, mine, items),
                attempts=len(mine),
                late=sum(1 for work in mine if work.late),
                last_at=mine[-1].created_at if mine else None,
                extension=extensions.get(student.pk),
            )
        )
    return rows


def student_work(assignment: Assignment, student: User) -> list[Work]:
    """One student's attempts at the assignment, newest first."""
    return list(
        Work.objects.filter(assignment=assignment, user=student)
        .select_related(
            "item__question",
            "item__exercise",
            "quiz_attempt",
            "submission",
            "mock_exam",
        )
        .order_by("-created_at", "-pk")
    )


def overdue_papers(
    *, course: Course | None = None, user: Any = None, now: datetime | None = None
) -> list[MockExam]:
    """Papers of exam assignments whose time ran out and that nobody has
    marked yet (the student never came back): mark them before scores are read."""
    works = Work.objects.filter(
        mock_exam__submitted_at__isnull=True,
        mock_exam__deadline__lte=now or timezone.now(),
    )
    if course is not None:
        works = works.filter(assignment__course=course)
    if user is not None:
        works = works.filter(user=user)
    return [
        work.mock_exam for work in works.select_related("mock_exam") if work.mock_exam
    ]
