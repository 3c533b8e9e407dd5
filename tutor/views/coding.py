"""Coding exercises: the editor page, submitting, following the grading."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from exercises import feedback, selectors, services
from exercises.models import CodingExercise, Submission
from exercises.services.grading import limits_for
from tutor.views.helpers import (
    AuthedRequest,
    is_htmx,
    message_response,
    signed_in_or_401,
)
from tutor.views.instructor_access import is_instructor


def _exercise_or_404(request: HttpRequest, slug: str) -> CodingExercise:
    """A published exercise; instructors also open unpublished ones, to
    preview (and try) them before students can."""
    try:
        return selectors.exercise_get_published(
            slug=slug, include_unpublished=is_instructor(request.user)
        )
    except CodingExercise.DoesNotExist:
        raise Http404("No such coding exercise") from None


def _submission_or_404(request: AuthedRequest, submission_id: int) -> Submission:
    try:
        return selectors.submission_get_for_user(
            user=request.user, submission_id=submission_id
        )
    except Submission.DoesNotExist:
        raise Http404("No such submission") from None


@login_required
def exercise(request: AuthedRequest, slug: str) -> HttpResponse:
    exercise = _exercise_or_404(request, slug)
    editing = _submission_to_edit(request, exercise)
    return render(
        request,
        "tutor/exercise.html",
        {
            "exercise": exercise,
            "submissions": _recent(request, exercise),
            "source": editing.source if editing else exercise.starter_code,
            "editing": editing.pk if editing else None,
            "limits": limits_for(exercise),
        },
    )


@login_required
def exercise_submissions(request: AuthedRequest, slug: str) -> HttpResponse:
    """The list of the student's submissions, refreshed after each one."""
    exercise = _exercise_or_404(request, slug)
    submissions = _recent(request, exercise)
    return render(
        request,
        "tutor/includes/submission_list.html",
        {
            "exercise": exercise,
            "submissions": submissions,
            # The editor holds the code just submitted, the newest.
            "editing": submissions[0].pk if submissions else None,
        },
    )


def _recent(request: AuthedRequest, exercise: CodingExercise) -> list[Submission]:
    return list(
        selectors.submission_list_for_user(user=request.user, exercise=exercise)[:20]
    )


def _submission_to_edit(
    request: AuthedRequest, exercise: CodingExercise
) -> Submission | None:
    """The submission whose code the editor opens with: ?from=<id> if it is
    one of the student's, else the last one (None: the starter code)."""
    submissions = selectors.submission_list_for_user(
        user=request.user, exercise=exercise
    )
    chosen = request.GET.get("from", "")
    picked = submissions.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    return picked or submissions.first()


class SourceError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def read_source(request: HttpRequest) -> str:
    """The submitted code, decoded strictly as UTF-8.

    Django replaces undecodable bytes in form fields with U+FFFD; the raw body
    is decoded again here so that non-UTF-8 input is refused, not mangled.
    """
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            data = json.loads(request.body.decode("utf-8"))
        except UnicodeDecodeError:
            raise SourceError("Your code is not valid UTF-8 text.") from None
        except json.JSONDecodeError:
            raise SourceError("The request body is not valid JSON.") from None
        source = data.get("source") if isinstance(data, dict) else None
        if not isinstance(source, str):
            raise SourceError("Send the code as a string in the field `source`.")
        return source
    if content_type == "multipart/form-data" and "file" in request.FILES:
        upload = request.FILES.get("file")
        assert upload is not None
        if upload.size and upload.size > 4 * 1024 * 1024:
            raise SourceError("The uploaded file is too large.", 413)
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise SourceError("The uploaded file is not valid UTF-8 text.") from None
    if content_type == "application/x-www-form-urlencoded":
        try:
            fields = parse_qsl(
                request.body.decode("ascii"), encoding="utf-8", errors="strict"
            )
        except UnicodeDecodeError:
            raise SourceError("Your code is not valid UTF-8 text.") from None
        return dict(fields).get("source", "")
    return request.POST.get("source", "")


@require_POST
@signed_in_or_401
def submit(request: AuthedRequest, slug: str) -> HttpResponse:
    exercise = _exercise_or_404(request, slug)
    try:
        source = read_source(request)
        submission = services.submission_create(
            user=request.user, exercise=exercise, source=source
        )
    except SourceError as exc:
        return message_response(request, exc.message, status=exc.status)
    except services.SubmissionRejected as exc:
        return message_response(request, exc.message, status=exc.status)
    if is_htmx(request):
        response = render(
            request,
            "tutor/includes/submission_status.html",
            _status_context(request, submission),
            status=201,
        )
        response["HX-Trigger"] = "submissions-changed"
        return response
    if request.content_type == "application/json":
        return JsonResponse(_status_json(request, submission), status=201)
    return redirect("submission", submission.pk)


@login_required
def submission(request: AuthedRequest, submission_id: int) -> HttpResponse:
    submission = _submission_or_404(request, submission_id)
    return render(
        request, "tutor/submission.html", _status_context(request, submission)
    )


@login_required
def submission_status(request: AuthedRequest, submission_id: int) -> HttpResponse:
    submission = _submission_or_404(request, submission_id)
    if (
        request.headers.get("Accept") == "application/json"
        or request.GET.get("format") == "json"
    ):
        return JsonResponse(_status_json(request, submission))
    response = render(
        request,
        "tutor/includes/submission_status.html",
        _status_context(request, submission),
    )
    if is_htmx(request) and not submission.is_active:
        response["HX-Trigger"] = "submissions-changed"
    return response


def _status_context(
    request: AuthedRequest, submission: Submission
) -> dict[str, object]:
    position = selectors.queue_position(submission=submission)
    report = selectors.report_for_user(submission=submission, user=request.user)
    featured, others = feedback.first_failure(report["cases"] if report else [])
    return {
        "submission": submission,
        "report": report,
        "featured": featured,
        "other_cases": others,
        "queue_position": position,
        "progress": grading_progress(submission, position),
    }


def _status_json(request: AuthedRequest, submission: Submission) -> dict[str, object]:
    report = selectors.report_for_user(submission=submission, user=request.user)
    position = selectors.queue_position(submission=submission)
    return {
        "id": submission.pk,
        "status": submission.status,
        "phase": submission.phase if submission.is_active else "",
        "cases_done": submission.cases_done,
        "cases_total": submission.cases_total,
        "progress": grading_progress(submission, position).label,
        "score": submission.score,
        "queue_position": position,
        "verdict": report.get("verdict") if report else None,
        "message": (report or {}).get("message") or submission.error_message,
        "passed": report.get("passed") if report else None,
        "total": report.get("total") if report else None,
        "report": report,
        "url": submission.get_absolute_url(),
    }


@dataclass(frozen=True)
class Progress:
    """What the status line says while a submission waits or runs; `maximum`
    is 0 when the bar cannot measure anything yet."""

    label: str
    value: int = 0
    maximum: int = 0


def grading_progress(submission: Submission, queue_position: int) -> Progress:
    if submission.status == Submission.Status.QUEUED:
        if queue_position:
            ahead = f"{queue_position} submission{'s' if queue_position > 1 else ''}"
            return Progress(f"Queued: {ahead} ahead of yours")
        return Progress("Queued: yours is next")
    if submission.status != Submission.Status.RUNNING:
        return Progress("")
    done, total = submission.cases_done, submission.cases_total
    if submission.phase == "running" and total:
        current = min(done + 1, total)
        return Progress(f"Running case {current} of {total}", done, total)
    if submission.phase == "comparing":
        return Progress("Comparing your outputs with the reference", total, total)
    return Progress("Starting: preparing the sandbox")
