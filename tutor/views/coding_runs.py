"""Running code before submitting it: the student's code on the worked
examples or on their own input, ungraded (exercises.coding.runs).

POST /exercises/<slug>/run takes the code form (`source`, `on` = examples or
own, one `arg-<name>` field per argument) or JSON ({"source": …, "on": …,
"inputs": {name: value}}); htmx gets the run's status fragment, a JSON
client the status, a plain form a redirect to the run's page. The fragment
polls /runs/<id>/status until the run is done.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from exercises import selectors
from exercises.coding.runs import RunRejected, run_create, run_get_for_user
from exercises.models import CodeRun, CodingExercise
from exercises.roles import is_instructor
from tutor.views.coding import SourceError, read_source
from tutor.views.helpers import (
    AuthedRequest,
    is_htmx,
    message_response,
    signed_in_or_401,
)

STATUS_TEMPLATE = "tutor/includes/run_status.html"


def _exercise_or_404(request: HttpRequest, slug: str) -> CodingExercise:
    try:
        return selectors.exercise_get_published(
            slug=slug, include_unpublished=is_instructor(request.user)
        )
    except CodingExercise.DoesNotExist:
        raise Http404("No such coding exercise") from None


def _run_or_404(request: AuthedRequest, run_id: int) -> CodeRun:
    try:
        return run_get_for_user(user=request.user, run_id=run_id)
    except CodeRun.DoesNotExist:
        raise Http404("No such run") from None


@csrf_exempt  # checked by csrf_protect below, once the body has been read
@require_POST
def run(request: HttpRequest, slug: str) -> HttpResponse:
    """Run code; the raw body is read first, as for a submission (the code
    is decoded strictly as UTF-8 from it)."""
    request.body  # noqa: B018 - read now, kept on the request
    return _run(request, slug)


@csrf_protect
@signed_in_or_401
def _run(request: AuthedRequest, slug: str) -> HttpResponse:
    exercise = _exercise_or_404(request, slug)
    try:
        source = read_source(request)
        on, fields = _run_fields(request)
        created = run_create(
            user=request.user, exercise=exercise, source=source, on=on, fields=fields
        )
    except SourceError as exc:
        return message_response(request, exc.message, status=exc.status)
    except RunRejected as exc:
        response = message_response(request, exc.message, status=exc.status)
        if exc.retry_after:
            response["Retry-After"] = str(exc.retry_after)
        return response
    if is_htmx(request):
        return render(request, STATUS_TEMPLATE, _context(created), status=202)
    if request.content_type == "application/json":
        return JsonResponse(_status_json(created), status=202)
    return redirect("code-run", created.pk)


def _run_fields(request: HttpRequest) -> tuple[str, dict[str, str]]:
    """What to run on, and the own input's fields as typed text."""
    if request.content_type != "application/json":
        typed: dict[str, str] = {
            key: str(request.POST.get(key, ""))
            for key in request.POST
            if key.startswith("arg-")
        }
        return str(request.POST.get("on", "examples")), typed
    # read_source has already refused a body that is not a JSON object.
    data = json.loads(request.body)
    inputs = data.get("inputs") or {}
    if not isinstance(inputs, dict):
        raise SourceError(
            'Send your own input as an object: {"inputs": {name: value}}.'
        )
    fields: dict[str, str] = {
        f"arg-{name}": value if isinstance(value, str) else json.dumps(value)
        for name, value in inputs.items()
    }
    on = data.get("on", "own" if inputs else "examples")
    return on if isinstance(on, str) else "", fields


@require_GET
@login_required
def run_page(request: AuthedRequest, run_id: int) -> HttpResponse:
    """A run on a page of its own (where a plain form post lands)."""
    found = _run_or_404(request, run_id)
    return render(request, "tutor/run.html", _context(found, announce=False))


@require_GET
@login_required
def run_status(request: AuthedRequest, run_id: int) -> HttpResponse:
    found = _run_or_404(request, run_id)
    if (
        request.headers.get("Accept") == "application/json"
        or request.GET.get("format") == "json"
    ):
        return JsonResponse(_status_json(found))
    return render(request, STATUS_TEMPLATE, _context(found, announce=is_htmx(request)))


def _context(found: CodeRun, *, announce: bool = True) -> dict[str, Any]:
    """`announce`: the fragment also fills the page's live region (once the
    run is over), which only a fragment swapped into the exercise page does."""
    result = found.result if found.status == CodeRun.Status.DONE else None
    return {
        "run": found,
        "result": result,
        "announce": announce and not found.is_active,
        "summary": _summary(found),
        "tone": _tone(result),
        "featured": _first_mismatch(result),
    }


def _tone(result: dict[str, Any] | None) -> str:
    """The report's colour: every example matches, something is wrong, or
    (own input, nothing wrong) neutral."""
    if not result or result.get("status") != "ok":
        return "error"
    cases = result.get("cases") or []
    if result.get("matched") is not None:
        return "success" if result["matched"] == result.get("total") else "error"
    if any(not case.get("ok") for case in cases) or any(
        law.get("broken") for law in result.get("laws") or []
    ):
        return "error"
    return "info"


def _first_mismatch(result: dict[str, Any] | None) -> str:
    """The example whose details open by themselves: the first that differs."""
    for case in (result or {}).get("cases") or []:
        if isinstance(case, dict) and case.get("matched") is False:
            return str(case.get("name", ""))
    return ""


def _summary(found: CodeRun) -> str:
    if found.status == CodeRun.Status.ERROR:
        return found.error_message
    if found.is_active:
        return ""
    return str((found.result or {}).get("summary", ""))


def _status_json(found: CodeRun) -> dict[str, object]:
    return {
        "id": found.pk,
        "status": found.status,
        "on": found.on,
        "summary": _summary(found),
        "matched": found.matched,
        "total": found.total,
        "result": found.result if found.status == CodeRun.Status.DONE else None,
        "error": found.error_message,
        "url": reverse("code-run", args=[found.pk]),
    }
