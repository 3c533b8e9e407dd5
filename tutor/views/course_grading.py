"""What the course staff read: an assignment's submissions and attempts by
student, who has not started, extensions (grant, change, remove), one
student's work, the course's gradebook (and its CSV) and item analysis."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tutor import exams as papers
from tutor import gradebook as site_book
from tutor.courses import progress
from tutor.courses.access import Role, course_role_required
from tutor.courses.extensions import (
    ExtensionRefused,
    extension_grant,
)
from tutor.courses.extensions import (
    extension_remove as remove_extension,
)
from tutor.courses.gradebook import course_gradebook, csv_rows
from tutor.courses.models import Course, Extension
from tutor.item_analysis import SORTS, exercise_analysis, item_analysis
from tutor.views.course_authoring import staff_assignment
from tutor.views.course_forms import ExtensionForm
from tutor.views.helpers import MAX_ID, AuthedRequest, message_response


@course_role_required(Role.TA)
def assignment_progress(
    request: AuthedRequest, course: Course, role: str, slug: str
) -> HttpResponse:
    assignment = staff_assignment(course, slug)
    papers.exams_settle(progress.overdue_papers(course=course))
    students = list(progress.students_of(course))
    rows = progress.assignment_progress(assignment, students)
    return render(
        request,
        "courses/staff/assignment.html",
        {
            "course": course,
            "role": role,
            "assignment": assignment,
            "rows": rows,
            "not_started": [row.student for row in rows if not row.started],
            "form": ExtensionForm(students=students),
            "now": timezone.now(),
        },
    )


@require_POST
@course_role_required(Role.TA)
def extension(
    request: AuthedRequest, course: Course, role: str, slug: str
) -> HttpResponse:
    """Grant an extension, or change a student's."""
    assignment = staff_assignment(course, slug)
    back = reverse("course-assignment", args=[course.code, assignment.slug])
    form = ExtensionForm(request.POST, students=progress.students_of(course))
    if not form.is_valid():
        problem = "; ".join(
            f"{form.fields[name].label or name}: {errors[0]}"
            if name in form.fields
            else str(errors[0])
            for name, errors in form.errors.items()
        )
        return message_response(
            request, problem, status=400, link=back, link_text="Back"
        )
    student = form.chosen_student()
    try:
        extension_grant(
            actor=request.user,
            assignment=assignment,
            student=student,
            due_at=form.cleaned_data["due_at"],
            late_until=form.cleaned_data["late_until"],
            reason=form.cleaned_data["reason"],
        )
    except ExtensionRefused as exc:
        return message_response(
            request, exc.message, status=400, link=back, link_text="Back"
        )
    messages.success(request, f"{student.get_username()} has an extension.")
    return redirect(back)


@require_POST
@course_role_required(Role.TA)
def extension_remove(
    request: AuthedRequest, course: Course, role: str, slug: str, user_id: int
) -> HttpResponse:
    assignment = staff_assignment(course, slug)
    found = (
        Extension.objects.filter(assignment=assignment, user_id=user_id).first()
        if user_id <= MAX_ID  # no row has it (and SQLite cannot compare it)
        else None
    )
    if found is None:
        raise Http404("No such extension")
    remove_extension(actor=request.user, extension=found)
    messages.success(request, "The extension was removed.")
    return redirect("course-assignment", course.code, assignment.slug)


@course_role_required(Role.TA)
def student(
    request: AuthedRequest, course: Course, role: str, slug: str, user_id: int
) -> HttpResponse:
    """One student's attempts at the assignment."""
    assignment = staff_assignment(course, slug)
    learner = progress.students_of(course).filter(pk=user_id).first()
    if learner is None:
        raise Http404("No such student in this course")
    row = progress.assignment_progress(assignment, [learner])[0]
    return render(
        request,
        "courses/staff/student.html",
        {
            "course": course,
            "assignment": assignment,
            "learner": learner,
            "row": row,
            "works": progress.student_work(assignment, learner),
        },
    )


@course_role_required(Role.TA)
def gradebook(request: AuthedRequest, course: Course, role: str) -> HttpResponse:
    papers.exams_settle(progress.overdue_papers(course=course))
    return render(
        request,
        "courses/staff/gradebook.html",
        {"course": course, "book": course_gradebook(course=course)},
    )


@course_role_required(Role.TA)
def gradebook_csv(request: AuthedRequest, course: Course, role: str) -> HttpResponse:
    """The gradebook for a spreadsheet: a row per student, a column per
    assignment (its score in points), the total."""
    papers.exams_settle(progress.overdue_papers(course=course))
    name = f"gradebook-{course.code}-{timezone.localdate():%Y%m%d}"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    csv.writer(response).writerows(csv_rows(course_gradebook(course=course)))
    return response


@course_role_required(Role.TA)
def items(request: AuthedRequest, course: Course, role: str) -> HttpResponse:
    """Item analysis over the course's students only, on the course's topics."""
    students = progress.students_of(course)
    sort = request.GET.get("sort", "discrimination")
    sort = sort if sort in SORTS else "discrimination"
    filters = site_book.GradebookFilter()
    topics = set(course.topics.values_list("pk", flat=True))
    rows = item_analysis(filters=filters, sort=sort, users=students)
    exercises = exercise_analysis(filters=filters, users=students)
    if topics:
        rows = [row for row in rows if row.question.topic_id in topics]
        exercises = [row for row in exercises if row.exercise.topic_id in topics]
    return render(
        request,
        "courses/staff/analysis.html",
        {
            "course": course,
            "rows": rows,
            "exercises": exercises,
            "sort": sort,
            "sorts": list(SORTS),
            "students": students.count(),
        },
    )
