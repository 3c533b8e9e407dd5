"""A course's gradebook: its students × its assignments, each cell the
student's score of the assignment's points by its rule (late penalty, best,
last or average), and the total; and the same as CSV for a spreadsheet
(cells that would run as a formula are neutralised, as in tutor/gradebook.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.models import User

from tutor.courses.models import Assignment, Course
from tutor.courses.progress import students_of
from tutor.courses.scoring import AssignmentScore, assignment_score, work_for
from tutor.gradebook import spreadsheet_safe


@dataclass(frozen=True)
class CourseRow:
    student: User
    scores: list[AssignmentScore]

    @property
    def total(self) -> float:
        return sum(score.score for score in self.scores)

    @property
    def points(self) -> float:
        return sum(score.points for score in self.scores)


@dataclass(frozen=True)
class CourseGradebook:
    course: Course
    assignments: list[Assignment]
    rows: list[CourseRow]

    @property
    def points(self) -> float:
        return self.rows[0].points if self.rows else 0.0


def course_gradebook(
    *, course: Course, published_only: bool = False
) -> CourseGradebook:
    """Every student of the course on every assignment (unpublished ones too,
    unless asked; their columns say so)."""
    assignments = list(
        course.assignments.select_related("blueprint")
        .prefetch_related("items")
        .order_by("due_at", "slug")
    )
    if published_only:
        assignments = [a for a in assignments if a.is_published]
    students = list(students_of(course))
    columns = []
    for assignment in assignments:
        items = list(assignment.items.all())
        works = work_for(assignment, students)
        columns.append(
            [
                assignment_score(assignment, works.get(student.pk, []), items)
                for student in students
            ]
        )
    rows = [
        CourseRow(student, [column[i] for column in columns])
        for i, student in enumerate(students)
    ]
    return CourseGradebook(course, assignments, rows)


def _points(value: float) -> float:
    return round(value, 4)


def csv_rows(book: CourseGradebook) -> Iterator[list[object]]:
    """A header, then one row per student: each assignment's score (in points),
    the total and the points possible."""
    header: list[object] = ["username", "first name", "last name", "email"]
    header += [
        f"{assignment.title} ({_points(score.points):g} points)"
        for assignment, score in zip(
            book.assignments,
            book.rows[0].scores if book.rows else [],
            strict=False,
        )
    ]
    if not book.rows:
        header += [assignment.title for assignment in book.assignments]
    header += ["total", "points possible"]
    yield [spreadsheet_safe(cell) for cell in header]
    for row in book.rows:
        student = row.student
        cells: list[object] = [
            student.get_username(),
            student.first_name,
            student.last_name,
            student.email,
        ]
        cells += [_points(score.score) for score in row.scores]
        cells += [_points(row.total), _points(row.points)]
        yield [spreadsheet_safe(cell) for cell in cells]
