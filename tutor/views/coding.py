"""Coding exercises: the editor page, submitting, following the grading."""

from __future__ import annotations

import json
from io import BytesIO
from urllib.parse import parse_qsl

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParser
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from exercises import selectors
from exercises.coding.grader import limits_for
from exercises.coding.report import presentation
from exercises.coding.submissions import SubmissionRejected, submission_create
from exercises.models import CodingExercise, Submission
from exercises.roles import is_instructor
from tutor.courses import feedback as course_feedback
from tutor.courses.held_back import held_back_for
from tutor.exercise_order import exercise_next_unsolved
from tutor.views.helpers import (
    AuthedRequest,
    id_or_none,
    is_htmx,
    message_response,
    signed_in_or_401,
)


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
            "last_report": _report_html(request, editing) if editing else "",
            "limits": limits_for(exercise),
        },
    )


def _report_html(request: AuthedRequest, submission: Submission) -> str:
    """The status of the submission the editor opens with, under the editor
    as it was when it came back (its own context: the page's names stay)."""
    return render_to_string(
        "tutor/includes/submission_status.html",
        _status_context(request, submission),
        request=request,
    )


@login_required
def exercise_submissions(request: AuthedRequest, slug: str) -> HttpResponse:
    """The list of the student's submissions, refreshed after each one (a
    fragment for htmx; a plain GET goes to the exercise's page, which has it)."""
    exercise = _exercise_or_404(request, slug)
    if not request.headers.get("HX-Request"):
        return redirect("exercise", slug=exercise.slug)
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
        user=request.user, exercise=exercise, whole=True
    )
    chosen = id_or_none(request.GET.get("from", ""))
    picked = (submissions.filter(pk=chosen).first() if chosen else None) or (
        submissions.first()
    )
    if picked is not None:  # both read already: the page's exercise, the student
        picked.exercise, picked.user = exercise, request.user
    return picked


class SourceError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


NOT_UTF8 = "Your code is not valid UTF-8 text."


def read_source(request: HttpRequest) -> str:
    """The submitted code, decoded strictly as UTF-8 whichever way it came: a
    form field `source`, an uploaded file `file`, or JSON `{"source": …}`.

    Django replaces undecodable bytes in form fields with U+FFFD; the raw body
    is decoded again here so that non-UTF-8 input is refused, not mangled (the
    view reads the body before anything parses the form from the stream).
    """
    content_type = request.content_type or ""
    if content_type == "application/json":
        source = _json_source(request.body)
    elif content_type == "multipart/form-data" and "file" in request.FILES:
        source = _uploaded_source(request)
    elif content_type == "multipart/form-data":
        source = _strict_utf8(_multipart_field(request, "source"))
    elif content_type == "application/x-www-form-urlencoded":
        source = _urlencoded_field(request.body, "source")
    else:
        raise SourceError(
            "Send the code as the form field `source`, an uploaded file `file`, "
            'or JSON {"source": "…"}.',
            415,
        )
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, which JSON's \u escapes allow
        raise SourceError(NOT_UTF8) from None
    return source


def _json_source(body: bytes) -> str:
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise SourceError(NOT_UTF8) from None
    except (ValueError, RecursionError):  # malformed, too deep, an over-long number
        raise SourceError("The request body is not valid JSON.") from None
    source = data.get("source") if isinstance(data, dict) else None
    if not isinstance(source, str):
        raise SourceError("Send the code as a string in the field `source`.")
    return source


def _uploaded_source(request: HttpRequest) -> str:
    upload = request.FILES.get("file")
    assert upload is not None  # read_source comes here only when there is one
    if upload.size and upload.size > 4 * 1024 * 1024:
        raise SourceError("The uploaded file is too large.", 413)
    try:
        return upload.read().decode("utf-8")
    except UnicodeDecodeError:
        raise SourceError("The uploaded file is not valid UTF-8 text.") from None


def _multipart_field(request: HttpRequest, name: str) -> bytes:
    """A multipart field's bytes as sent: parsed again from the raw body as
    Latin-1, which maps every byte to one character and back."""
    parser = MultiPartParser(request.META, BytesIO(request.body), [], "latin-1")
    fields, _files = parser.parse()
    return str(fields.get(name, "")).encode("latin-1")


def _urlencoded_field(body: bytes, name: str) -> str:
    try:
        fields = parse_qsl(body.decode("ascii"), encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise SourceError(NOT_UTF8) from None
    return dict(fields).get(name, "")


def _strict_utf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SourceError(NOT_UTF8) from None


@csrf_exempt  # checked by csrf_protect below, once the body has been read
@require_POST
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    """Submit code. The raw body is read first (up to DATA_UPLOAD_MAX_MEMORY_SIZE,
    else a 413), before the CSRF check parses a multipart form from the stream
    and leaves no bytes to decode strictly."""
    request.body  # noqa: B018 - read now, kept on the request
    return _submit(request, slug)


@csrf_protect
@signed_in_or_401
def _submit(request: AuthedRequest, slug: str) -> HttpResponse:
    exercise = _exercise_or_404(request, slug)
    try:
        source = read_source(request)
        submission = submission_create(
            user=request.user, exercise=exercise, source=source
        )
    except SourceError as exc:
        return message_response(request, exc.message, status=exc.status)
    except SubmissionRejected as exc:
        return message_response(request, exc.message, status=exc.status)
    if is_htmx(request):
        context = _status_context(request, submission)
        response = render(
            request,
            "tutor/includes/submission_status.html",
            {**context, "submitted": True},
            status=201,
        )
        response["HX-Trigger"] = "submissions-changed"
        return response
    if request.content_type == "application/json":
        return JsonResponse(
            presentation.status_json(submission=submission, user=request.user),
            status=201,
        )
    return redirect("submission", submission.pk)


@login_required
def submission(request: AuthedRequest, submission_id: int) -> HttpResponse:
    submission = _submission_or_404(request, submission_id)
    return render(
        request, "tutor/submission.html", _status_context(request, submission)
    )


def _status_context(
    request: AuthedRequest, submission: Submission
) -> dict[str, object]:
    """The submission's status; a student's own assignment work shows its
    hidden cases as the assignment says (tutor.courses.feedback)."""
    work = course_feedback.own_work(submission=submission, user=request.user)
    if work is not None:
        return course_feedback.status_context(
            work=work, submission=submission, staff=False
        )
    context = presentation.status_context(submission=submission, user=request.user)
    blocked = held_back_for(request, submission.exercise)
    context["held_back"] = blocked.message if blocked else ""
    report = context.get("report")
    if isinstance(report, dict) and report.get("verdict") == "passed":
        context["next_exercise"] = exercise_next_unsolved(
            user=submission.user, exercise=submission.exercise
        )
    return context


def _status_json(request: AuthedRequest, submission: Submission) -> dict[str, object]:
    work = course_feedback.own_work(submission=submission, user=request.user)
    if work is not None:
        return course_feedback.status_json(
            work=work, submission=submission, staff=False
        )
    return presentation.status_json(submission=submission, user=request.user)


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
