"""A student's courses: the list and joining by invite code or link, a
course's page (its assignments with their own dates, status and score) and
an assignment's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tutor import exams as papers
from tutor.courses import progress
from tutor.courses.access import RANK, Role, course_role_required
from tutor.courses.authoring import may_create_course
from tutor.courses.deadlines import time_multiplier
from tutor.courses.membership import JoinRefused, join_by_invite, memberships_of
from tutor.courses.models import Assignment, Course
from tutor.courses.papers import exam_paper_open, exam_papers
from tutor.courses.regrade_notices import regrade_notice_list
from tutor.courses.work import attempts_used
from tutor.views.course_forms import JoinForm
from tutor.views.helpers import AuthedRequest, message_response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_courses(request: AuthedRequest) -> HttpResponse:
    """The courses I am in, and a form to join one by its invite code."""
    form = JoinForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return _courses_page(request, form, status=400)
        try:
            membership = join_by_invite(
                user=request.user, code=form.cleaned_data["invite_code"]
            )
        except JoinRefused as exc:
            form.add_error("invite_code", exc.message)
            return _courses_page(request, form, status=404)
        messages.success(request, f"You are in {membership.course}.")
        return redirect(membership.course)
    return _courses_page(request, form)


def _courses_page(
    request: AuthedRequest, form: JoinForm, status: int = 200
) -> HttpResponse:
    context = {
        "memberships": memberships_of(request.user),
        "form": form,
        "may_create": may_create_course(request.user),
    }
    return render(request, "courses/index.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def join_link(request: HttpRequest, invite: str) -> HttpResponse:
    """An invite link: which course it is and a Join button; joining needs
    an account (sign in first, then back here)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    cleaned = "".join(invite.split()).upper()[:20]
    course = Course.objects.filter(invite_code=cleaned, is_active=True).first()
    if course is None:
        return message_response(
            request,
            "This invite link does not open any course: it may be mistyped, or "
            "the course has a new one. Ask your instructor.",
            status=404,
            link=reverse("courses"),
            link_text="Your courses",
        )
    if request.method == "POST":
        membership = join_by_invite(user=request.user, code=cleaned)
        messages.success(request, f"You are in {membership.course}.")
        return redirect(course)
    member = course.members.filter(user=request.user).exists()
    return render(request, "courses/join.html", {"course": course, "member": member})


@course_role_required(Role.STUDENT)
def course(request: AuthedRequest, course: Course, role: str) -> HttpResponse:
    papers.exams_settle(progress.overdue_papers(course=course, user=request.user))
    return render(
        request,
        "courses/course.html",
        {
            "course": course,
            "role": role,
            "role_label": Role(role).label,
            "staff": RANK[Role(role)] >= RANK[Role.TA],
            "statuses": progress.course_statuses(course, request.user),
            "regrade_notices": regrade_notice_list(user=request.user, course=course),
        },
    )


def assignment_for(course: Course, slug: str, role: str) -> Assignment:
    """The course's assignment: a student sees it once published; its staff always."""
    found = (
        course.assignments.filter(slug=slug)
        .select_related("course", "blueprint")
        .first()
    )
    if found is None or (not found.is_published and RANK[Role(role)] < RANK[Role.TA]):
        raise Http404("No such assignment")
    return found


@course_role_required(Role.STUDENT)
def assignment(
    request: AuthedRequest, course: Course, role: str, slug: str
) -> HttpResponse:
    found = assignment_for(course, slug, role)
    papers.exams_settle(progress.overdue_papers(course=course, user=request.user))
    status = progress.assignment_status(found, request.user)
    items = status.score.items
    limit = found.max_attempts
    rows = []
    for row in items:
        used = attempts_used(found, row.item, request.user)
        left = None if limit is None else max(0, limit - used)
        rows.append({"score": row, "used": used, "left": left})
    return render(
        request,
        "courses/assignment.html",
        {
            "course": course,
            "assignment": found,
            "status": status,
            "rows": rows,
            "staff": RANK[Role(role)] >= RANK[Role.TA],
            "paper": exam_paper_open(assignment=found, user=request.user),
            "papers": exam_papers(assignment=found, user=request.user),
            "limit": limit,
            "multiplier": time_multiplier(found, request.user),
            "regrade_notices": regrade_notice_list(
                user=request.user, course=course, assignment=found
            ),
            "can_start": status.accepting
            and found.is_published
            and (limit is None or attempts_used(found, None, request.user) < limit),
        },
    )
