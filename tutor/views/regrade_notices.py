"""A student dismisses the notice that a regrade changed their score."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tutor.courses.access import Role, course_role_required
from tutor.courses.models import Course
from tutor.courses.regrade_notices import regrade_notice_dismiss
from tutor.views.helpers import AuthedRequest


@require_POST
@course_role_required(Role.STUDENT)
def dismiss(
    request: AuthedRequest, course: Course, role: str, change_id: int
) -> HttpResponse:
    """Back to the page the notice was on (the course page if none is given);
    a notice that is not the student's is left alone."""
    regrade_notice_dismiss(user=request.user, change_id=change_id)
    back = request.POST.get("next", "")
    # Only a path on this site, and sent as a URL: redirect() would take any
    # other word for a view's name and fail on it.
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(back)
    return redirect("course", course.code)
