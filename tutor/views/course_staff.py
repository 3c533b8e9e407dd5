"""The course staff's pages: creating a course, its overview (assignments,
invite code and link), editing it, and its members (roles, accommodations,
removal). Instructors change the course; teaching assistants read it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tutor.courses import authoring
from tutor.courses.access import Role, course_role_required
from tutor.courses.models import Course, Membership
from tutor.views.course_forms import CourseForm, MemberForm
from tutor.views.helpers import AuthedRequest, message_response


def invite_url(request: AuthedRequest, course: Course) -> str:
    return request.build_absolute_uri(reverse("course-join", args=[course.invite_code]))


@require_http_methods(["GET", "HEAD", "POST"])
def course_new(request: AuthedRequest) -> HttpResponse:
    """A new course (site staff and the instructors group); its creator
    becomes its instructor."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not authoring.may_create_course(request.user):
        raise PermissionDenied("Instructors create courses.")
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            course = authoring.course_create(
                actor=request.user,
                code=data["code"],
                title=data["title"],
                term=data["term"],
                topics=form.chosen_topics(),
            )
        except authoring.AuthoringRefused as exc:
            form.add_error("code", exc.message)
        else:
            messages.success(
                request, f"{course} is ready: share its invite code or link."
            )
            return redirect("course-staff", course.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "courses/staff/course_form.html", {"form": form}, status=status
    )


@course_role_required(Role.TA)
def home(request: AuthedRequest, course: Course, role: str) -> HttpResponse:
    assignments = list(
        course.assignments.select_related("blueprint")
        .prefetch_related("items")
        .order_by("due_at", "slug")
    )
    return render(
        request,
        "courses/staff/home.html",
        {
            "course": course,
            "role": role,
            "assignments": assignments,
            "invite_url": invite_url(request, course),
            "counts": {
                label: course.members.filter(role=value).count()
                for value, label in Membership.Role.choices
            },
        },
    )


@course_role_required(Role.INSTRUCTOR)
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: AuthedRequest, course: Course, role: str) -> HttpResponse:
    initial = {
        "title": course.title,
        "term": course.term,
        "topics": [str(pk) for pk in course.topics.values_list("pk", flat=True)],
        "is_active": course.is_active,
    }
    form = CourseForm(request.POST or None, course=course, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        authoring.course_update(
            actor=request.user,
            course=course,
            changes={
                "title": data["title"],
                "term": data["term"],
                "is_active": data["is_active"],
                "topics": form.chosen_topics(),
            },
        )
        messages.success(request, "The course is saved.")
        return redirect("course-staff", course.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "courses/staff/course_form.html",
        {"form": form, "course": course},
        status=status,
    )


@require_POST
@course_role_required(Role.INSTRUCTOR)
def invite(request: AuthedRequest, course: Course, role: str) -> HttpResponse:
    """A new invite code (the old code and link stop working)."""
    code = authoring.invite_regenerate(actor=request.user, course=course)
    messages.success(
        request, f"The new invite code is {code}; the old one no longer works."
    )
    return redirect("course-staff", course.code)


@course_role_required(Role.TA)
def members(request: AuthedRequest, course: Course, role: str) -> HttpResponse:
    rows = [
        (
            membership,
            MemberForm(
                initial={
                    "role": membership.role,
                    "time_multiplier": membership.time_multiplier,
                },
                prefix=f"m{membership.pk}",
            ),
        )
        for membership in course.members.select_related("user").order_by(
            "role", "user__last_name", "user__username"
        )
    ]
    return render(
        request,
        "courses/staff/members.html",
        {
            "course": course,
            "role": role,
            "rows": rows,
            "may_change": role == Role.INSTRUCTOR,
            "invite_url": invite_url(request, course),
        },
    )


@require_POST
@course_role_required(Role.INSTRUCTOR)
def member(
    request: AuthedRequest, course: Course, role: str, membership_id: int
) -> HttpResponse:
    """Change a member's role and accommodation, or remove them."""
    membership = (
        course.members.filter(pk=membership_id).select_related("user", "course").first()
    )
    if membership is None:
        raise Http404("No such member")
    back = reverse("course-members", args=[course.code])
    try:
        if request.POST.get("remove") == "1":
            authoring.member_remove(actor=request.user, membership=membership)
            messages.success(request, f"{membership.user.get_username()} was removed.")
            return redirect(back)
        form = MemberForm(request.POST, prefix=f"m{membership.pk}")
        if not form.is_valid():
            return message_response(
                request, _first_error(form), status=400, link=back, link_text="Members"
            )
        authoring.member_update(
            actor=request.user,
            membership=membership,
            role=form.cleaned_data["role"],
            time_multiplier=form.cleaned_data["time_multiplier"],
        )
    except authoring.AuthoringRefused as exc:
        return message_response(
            request, exc.message, status=exc.status, link=back, link_text="Members"
        )
    messages.success(request, f"{membership.user.get_username()} is saved.")
    return redirect(back)


def _first_error(form: MemberForm) -> str:
    for field, errors in form.errors.items():
        return f"{field}: {errors[0]}"
    return "The form is not valid."
