"""Opening a level of a failed submission's hint ladder (exercises.coding.hints).

The server decides what is open; the page shows only what it was given. A
refused level answers 400, 403 or 409 with the reason in words; an htmx
request gets the ladder back with the reason in it, so the controls stay.
"""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from exercises import selectors
from exercises.coding import hints
from exercises.coding.report import presentation
from exercises.models import Submission
from tutor.courses import feedback as course_feedback
from tutor.courses.held_back import held_back
from tutor.views.helpers import (
    AuthedRequest,
    int_or_none,
    is_htmx,
    message_response,
    signed_in_or_401,
    wants_json,
)

LEVEL_FIELD = "level"
CONFIRM_FIELD = "confirm"


class BadRequest(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@require_POST
@signed_in_or_401
def reveal(request: AuthedRequest, submission_id: int) -> HttpResponse:
    """Open one level: POST level=1..3 (and confirm=yes for level 3), as a
    form or as JSON {"level": 3, "confirm": true}."""
    try:
        submission = selectors.submission_get_for_user(
            user=request.user, submission_id=submission_id
        )
    except Submission.DoesNotExist:
        raise Http404("No such submission") from None
    try:
        level, confirmed = _read(request)
        _check_practice(request, submission, level)
        hints.hint_reveal(
            submission=submission,
            user=request.user,
            level=level,
            confirmed=confirmed,
            open_cases=presentation.student_open_cases(submission),
            now=timezone.now(),
        )
    except BadRequest as exc:
        return _refused(request, submission, exc.message, 400)
    except hints.HintRefused as exc:
        return _refused(request, submission, exc.message, exc.status)
    return _answer(request, submission, focus=level)


def _read(request: AuthedRequest) -> tuple[int, bool]:
    """The level asked for and whether level 3 was confirmed."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise BadRequest("The request body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise BadRequest('Send {"level": 1, 2 or 3}.')
        raw_level, raw_confirm = data.get(LEVEL_FIELD), data.get(CONFIRM_FIELD)
        confirmed = raw_confirm is True or raw_confirm == "yes"
    else:
        raw_level = request.POST.get(LEVEL_FIELD, "")
        confirmed = request.POST.get(CONFIRM_FIELD) == "yes"
    if isinstance(raw_level, bool):
        raw_level = ""
    level = int_or_none(str(raw_level)[:10], minimum=1, maximum=3)
    if level is None:
        raise BadRequest("Choose a hint level: 1, 2 or 3.")
    return level, confirmed


def _check_practice(request: AuthedRequest, submission: Submission, level: int) -> None:
    """Hints belong to practice: work handed in for an assignment has none,
    and the fix (level 3) waits while the exercise is open graded work for
    the student (tutor.courses.held_back)."""
    if course_feedback.own_work(submission=submission, user=request.user):
        raise hints.HintRefused(
            "Hints are not offered on work handed in for an assignment.", 409
        )
    if level == 3:
        blocked = held_back(user=request.user, exercise=submission.exercise)
        if blocked is not None:
            raise hints.HintRefused(blocked.message, 403)


def _answer(
    request: AuthedRequest,
    submission: Submission,
    *,
    focus: int,
) -> HttpResponse:
    view = presentation.hint_ladder(submission=submission, user=request.user)
    if wants_json(request):
        return JsonResponse({"hints": presentation.hints_json(view)})
    if is_htmx(request) and view is not None:
        return render(
            request,
            "tutor/includes/hint_ladder.html",
            _ladder_context(request, submission, view, focus=focus),
        )
    return redirect(f"{submission.get_absolute_url()}#hint-{submission.pk}-{focus}")


def _ladder_context(
    request: AuthedRequest,
    submission: Submission,
    view: hints.LadderView,
    **extra: object,
) -> dict[str, object]:
    """What hint_ladder.html needs; `held_back` (the reason, or "") keeps
    the fix's button and the links to the ladder's rungs off the page while
    the exercise is graded work for the student."""
    blocked = held_back(user=request.user, exercise=submission.exercise)
    return {
        "hint_ladder": view,
        "submission": submission,
        "held_back": blocked.message if blocked is not None else "",
        **extra,
    }


def _refused(
    request: AuthedRequest, submission: Submission, message: str, status: int
) -> HttpResponse:
    """The reason in words: inside the ladder for htmx (which swaps 4xx
    answers in, in place of the ladder: a message alone would take the
    opened hints off the page), as JSON for a JSON client, else as a page."""
    if is_htmx(request):
        view = presentation.hint_ladder(submission=submission, user=request.user)
        if view is not None:
            return render(
                request,
                "tutor/includes/hint_ladder.html",
                _ladder_context(request, submission, view, refusal=message),
                status=status,
            )
    return message_response(
        request,
        message,
        status=status,
        link=submission.get_absolute_url(),
        link_text="Back to the submission",
    )
