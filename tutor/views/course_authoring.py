"""Authoring a course's assignments: the settings form, items picked from the
topic tree (lecture → topic → questions and coding exercises) with their
points and order, a preview as a student sees it, publishing."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from exercises.presentation import present
from tutor.courses import authoring
from tutor.courses.access import Role, course_role_required
from tutor.courses.items import item_seed
from tutor.courses.models import Assignment, AssignmentItem, Course
from tutor.views.course_forms import AddItemsForm, AssignmentForm, ItemRowForm
from tutor.views.helpers import AuthedRequest, message_response


def staff_assignment(course: Course, slug: str) -> Assignment:
    found = (
        course.assignments.filter(slug=slug)
        .select_related("course", "blueprint")
        .first()
    )
    if found is None:
        raise Http404("No such assignment")
    return found


def _defaults() -> dict[str, object]:
    """A week from the next full hour, a day of late work at 20 % off."""
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    start += timedelta(hours=1)
    return {
        "opens_at": start,
        "due_at": start + timedelta(days=7),
        "late_penalty": 0,
        "scoring": Assignment.Scoring.BEST,
        "fresh_variants": True,
        "hidden_feedback": Assignment.HiddenFeedback.AFTER_DUE,
        "exam_points": 10.0,
    }


@course_role_required(Role.INSTRUCTOR)
@require_http_methods(["GET", "HEAD", "POST"])
def assignment_new(request: AuthedRequest, course: Course, role: str) -> HttpResponse:
    form = AssignmentForm(request.POST or None, course=course, initial=_defaults())
    if request.method == "POST" and form.is_valid():
        assignment = form.apply(Assignment(course=course))
        try:
            authoring.assignment_save(
                actor=request.user, assignment=assignment, created=True
            )
        except authoring.AuthoringRefused as exc:
            form.add_error("slug", exc.message)
        else:
            messages.success(
                request, "The assignment is saved (not published): now pick its items."
            )
            return redirect("course-assignment-items", course.code, assignment.slug)
    return _form_page(request, course, form, None)


@course_role_required(Role.INSTRUCTOR)
@require_http_methods(["GET", "HEAD", "POST"])
def assignment_edit(
    request: AuthedRequest, course: Course, role: str, slug: str
) -> HttpResponse:
    assignment = staff_assignment(course, slug)
    form = AssignmentForm(
        request.POST or None,
        course=course,
        assignment=assignment,
        initial=AssignmentForm.initial_from(assignment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            authoring.assignment_save(
                actor=request.user, assignment=form.apply(assignment), created=False
            )
        except authoring.AuthoringRefused as exc:
            form.add_error("slug", exc.message)
        else:
            messages.success(request, "The assignment is saved.")
            return redirect("course-assignment", course.code, assignment.slug)
    return _form_page(request, course, form, assignment)


def _form_page(
    request: AuthedRequest,
    course: Course,
    form: AssignmentForm,
    assignment: Assignment | None,
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "courses/staff/assignment_form.html",
        {"course": course, "form": form, "assignment": assignment},
        status=status,
    )


@course_role_required(Role.INSTRUCTOR)
@require_http_methods(["GET", "HEAD", "POST"])
def assignment_items(
    request: AuthedRequest, course: Course, role: str, slug: str
) -> HttpResponse:
    """The assignment's items (points, order, remove) and the topic tree to
    add more from; each form posts its own `action`."""
    assignment = staff_assignment(course, slug)
    add_form = AddItemsForm(
        request.POST if request.POST.get("action") == "add" else None,
        questions=authoring.allowed_questions(course),
        exercises=authoring.allowed_exercises(course),
        initial={"points": 1.0},
    )
    items = list(assignment.items.select_related("question__topic", "exercise__topic"))
    rows = [
        (
            item,
            ItemRowForm(
                request.POST if request.POST.get("action") == "update" else None,
                prefix=f"item-{item.pk}",
                initial={"points": item.points, "order": item.order},
                number=number,
            ),
        )
        for number, item in enumerate(items, start=1)
    ]
    if request.method == "POST":
        response = _items_post(request, course, assignment, add_form, rows)
        if response is not None:
            return response
    return render(
        request,
        "courses/staff/pick.html",
        {
            "course": course,
            "assignment": assignment,
            "rows": rows,
            "add_form": add_form,
            "tree": authoring.topic_tree(course),
            "chosen_questions": {i.question_id for i in items if i.question_id},
            "chosen_exercises": {i.exercise_id for i in items if i.exercise_id},
        },
        status=400 if request.method == "POST" else 200,
    )


def _items_post(
    request: AuthedRequest,
    course: Course,
    assignment: Assignment,
    add_form: AddItemsForm,
    rows: list[tuple[AssignmentItem, ItemRowForm]],
) -> HttpResponse | None:
    """Apply the posted form; None: show the page again with its errors."""
    back = reverse("course-assignment-items", args=[course.code, assignment.slug])
    action = request.POST.get("action")
    try:
        if action == "add":
            if not add_form.is_valid():
                return None
            questions, exercises = add_form.chosen()
            added = authoring.items_add(
                actor=request.user,
                assignment=assignment,
                questions=questions,
                exercises=exercises,
                points=add_form.cleaned_data["points"],
            )
            messages.success(
                request, f"{len(added)} item{'s' if len(added) != 1 else ''} added."
            )
            return redirect(back)
        if action == "update":
            if not all(form.is_valid() for _item, form in rows):
                return None
            changes = [
                authoring.ItemChange(
                    item,
                    form.cleaned_data["points"],
                    form.cleaned_data["order"],
                    bool(form.cleaned_data["remove"]),
                )
                for item, form in rows
            ]
            authoring.items_update(
                actor=request.user, assignment=assignment, changes=changes
            )
            messages.success(request, "The items are saved.")
            return redirect(back)
    except authoring.AuthoringRefused as exc:
        return message_response(
            request, exc.message, status=exc.status, link=back, link_text="Items"
        )
    return message_response(
        request, "Say what to do: add items, or save the items.", status=400
    )


@course_role_required(Role.TA)
def assignment_preview(
    request: AuthedRequest, course: Course, role: str, slug: str
) -> HttpResponse:
    """The assignment as a student sees it, every question drawn as a student's
    first attempt would show it (with fresh variants, this viewer's numbers)."""
    assignment = staff_assignment(course, slug)
    items = list(assignment.items.select_related("question__topic", "exercise__topic"))
    shown = [
        (
            item,
            present(
                item.question,
                item_seed(
                    assignment=assignment, item=item, user_id=request.user.pk, index=0
                ),
            )
            if item.question is not None
            else None,
        )
        for item in items
    ]
    return render(
        request,
        "courses/staff/preview.html",
        {"course": course, "assignment": assignment, "shown": shown},
    )


@require_POST
@course_role_required(Role.INSTRUCTOR)
def assignment_publish(
    request: AuthedRequest, course: Course, role: str, slug: str
) -> HttpResponse:
    assignment = staff_assignment(course, slug)
    publish = request.POST.get("publish") == "1"
    back = reverse("course-assignment", args=[course.code, assignment.slug])
    try:
        authoring.assignment_publish(
            actor=request.user, assignment=assignment, publish=publish
        )
    except authoring.AuthoringRefused as exc:
        return message_response(
            request, exc.message, status=exc.status, link=back, link_text="Back"
        )
    messages.success(
        request,
        "Published: the course's students see it."
        if publish
        else "Unpublished: students no longer see it.",
    )
    return redirect(back)
