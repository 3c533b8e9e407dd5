"""The deep-linking picker (shown by the launch) and its answer: the signed
response the browser posts back to the platform."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tutor.courses.models import Course
from tutor.lti import deep_linking
from tutor.lti.framing import allow_form_action, allow_framing
from tutor.lti.launch import ValidLaunch, launch_url
from tutor.lti.models import Registration, origin_of

GONE = (
    "This choice has expired or was already sent. Open the tool's picker again "
    "from your learning platform."
)


def _origins(pending: deep_linking.Pending) -> list[str]:
    registration = Registration.objects.filter(pk=pending.registration_id).first()
    found = registration.origins() if registration else []
    return [o for o in [*found, origin_of(pending.return_url)] if o]


def picker(
    request: HttpRequest, valid: ValidLaunch, course: Course
) -> HttpResponseBase:
    """The instructor's choice of what the platform's new link opens."""
    pending = deep_linking.Pending(
        registration_id=valid.registration.pk,
        course_id=course.pk,
        deployment_id=valid.claims.deployment_id,
        settings=valid.claims.deep_linking,
        launch_url=launch_url(request),
    )
    return _picker_page(request, deep_linking.pending_save(pending), pending, course)


def _picker_page(
    request: HttpRequest,
    token: str,
    pending: deep_linking.Pending,
    course: Course,
    error: str = "",
) -> HttpResponseBase:
    assignments, exercises = deep_linking.choices(course)
    context = {
        "token": token,
        "course": course,
        "assignments": assignments,
        "exercises": exercises,
        "heading": str(pending.settings.get("title") or ""),
        "error": error,
    }
    response = render(request, "lti/picker.html", context, status=400 if error else 200)
    return allow_framing(response, _origins(pending))


@csrf_exempt
@require_POST
def answer_view(request: HttpRequest) -> HttpResponseBase:
    """The choice made: the signed answer, in a form the browser posts to the
    platform's return URL (a token, not a CSRF cookie, ties it to the picker)."""
    token = request.POST.get("token", "")
    pending = deep_linking.pending_get(token)
    course = Course.objects.filter(pk=pending.course_id).first() if pending else None
    return_origin = origin_of(pending.return_url) if pending else ""
    if pending is None or course is None or not return_origin:
        response = render(request, "lti/refused.html", {"message": GONE}, status=409)
        return allow_framing(response, [])
    items: list[dict[str, Any]] = []
    if "cancel" not in request.POST:
        item = deep_linking.content_item(
            pending, request.POST.get("choice", ""), course
        )
        if item is None:
            return _picker_page(
                request, token, pending, course, "Choose an assignment or an exercise."
            )
        items.append(item)
    if not deep_linking.pending_use(token):
        response = render(request, "lti/refused.html", {"message": GONE}, status=409)
        return allow_framing(response, [])
    context = {
        "return_url": pending.return_url,
        "jwt": deep_linking.response_jwt(pending, items),
        "items": items,
    }
    response = render(request, "lti/deep_link_return.html", context)
    allow_form_action(response, return_origin)
    return allow_framing(response, _origins(pending))
