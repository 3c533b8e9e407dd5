"""The teaching staff's LTI pages of a course (teaching assistants and
instructors): grade sync (what each student's score is and what the
platform holds) with "resend all", and the platform roster (who has never
launched). And the site staff's setup page: the URLs to give a platform."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tutor.courses.access import course_role_required
from tutor.courses.models import Course, Membership
from tutor.lti import passback, roster
from tutor.lti.models import GradePassback, LtiContext, LtiResourceLink, Registration
from tutor.lti.tasks import roster_sync_on_commit, send_on_commit

Role = Membership.Role


@require_GET
@course_role_required(Role.TA)
def grades_view(request: HttpRequest, *, course: Course, role: str) -> HttpResponse:
    rows = (
        GradePassback.objects.filter(link__context__course=course)
        .select_related("link__assignment", "link__exercise", "lti_user__user")
        .order_by("link__title", "lti_user__name", "pk")
    )
    links = (
        LtiResourceLink.objects.filter(context__course=course)
        .select_related("assignment", "exercise", "lineitem", "context__registration")
        .order_by("title")
    )
    counts = dict.fromkeys(GradePassback.Status.values, 0)
    for row in rows:
        counts[row.status] += 1
    context = {
        "course": course,
        "rows": rows,
        "links": links,
        "counts": counts,
        "contexts": LtiContext.objects.filter(course=course).exists(),
    }
    return render(request, "lti/grades.html", context)


@require_POST
@course_role_required(Role.TA)
def grades_resend_view(
    request: HttpRequest, *, course: Course, role: str
) -> HttpResponse:
    ids = passback.passback_resend_course(course=course)
    send_on_commit(ids)
    messages.success(
        request,
        f"{len(ids)} score{'s' if len(ids) != 1 else ''} queued to be sent again."
        if ids
        else "No student has a score to send yet.",
    )
    return redirect(reverse("lti:grades", args=[course.code]))


@require_GET
@course_role_required(Role.TA)
def roster_view(request: HttpRequest, *, course: Course, role: str) -> HttpResponse:
    context = {"course": course, "rosters": roster.rosters_of(course)}
    return render(request, "lti/roster.html", context)


@require_POST
@course_role_required(Role.TA)
def roster_sync_view(
    request: HttpRequest, *, course: Course, role: str
) -> HttpResponse:
    started = waiting = 0
    for context in LtiContext.objects.filter(course=course).exclude(memberships_url=""):
        if roster.roster_sync_allowed(context):
            roster_sync_on_commit(context.pk)
            started += 1
        else:
            waiting += 1
    if started:
        messages.success(request, "The roster is being fetched from the platform.")
    elif waiting:
        messages.info(request, "The roster was fetched less than a minute ago.")
    else:
        messages.error(
            request,
            "No platform course linked to this one offers its roster (launch the "
            "tool from the platform with Names and Role Provisioning turned on).",
        )
    return redirect(reverse("lti:roster", args=[course.code]))


@require_GET
@staff_member_required
def setup_view(request: HttpRequest) -> HttpResponse:
    """What to enter in a platform, and the registrations waiting for approval."""
    urls = {
        "login": request.build_absolute_uri(reverse("lti:login")),
        "launch": request.build_absolute_uri(reverse("lti:launch")),
        "jwks": request.build_absolute_uri(reverse("lti:jwks")),
    }
    registrations = Registration.objects.prefetch_related("deployments")
    return render(
        request, "lti/setup.html", {"urls": urls, "registrations": registrations}
    )
