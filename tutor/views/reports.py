"""Report a problem: a student's note about a question or a coding exercise,
sent to the instructors' queue in the admin."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from exercises import selectors
from exercises.models import CodingExercise, Question, Submission
from exercises.services.reports import ReportRejected, problem_report_create
from tutor.views.helpers import (
    AuthedRequest,
    id_or_none,
    is_htmx,
    message_response,
    signed_in_or_401,
    wants_json,
)

THANKS = "Thank you: your report was sent to the instructors."


@require_POST
@signed_in_or_401
def report(request: AuthedRequest, kind: str, slug: str) -> HttpResponse:
    """Store the report; `kind` is "question" or "exercise". On an exercise, a
    posted `submission` (the student's own) says which one they were reading."""
    note = request.POST.get("note", "")
    try:
        if kind == "question":
            question = _question_or_404(slug)
            problem_report_create(user=request.user, note=note, question=question)
            back = question.get_absolute_url()
        elif kind == "exercise":
            exercise = _exercise_or_404(slug)
            submission = _submission_or_none(request, exercise)
            problem_report_create(
                user=request.user,
                note=note,
                exercise=exercise,
                submission=submission,
            )
            back = _page_of(exercise, submission)
        else:
            raise Http404("No such kind of item")
    except ReportRejected as exc:
        return message_response(request, exc.message, status=exc.status)
    return _confirmation(request, back)


def _question_or_404(slug: str) -> Question:
    try:
        return selectors.question_get_published(slug=slug)
    except Question.DoesNotExist:
        raise Http404("No such question") from None


def _exercise_or_404(slug: str) -> CodingExercise:
    try:
        return selectors.exercise_get_published(slug=slug)
    except CodingExercise.DoesNotExist:
        raise Http404("No such coding exercise") from None


def _submission_or_none(
    request: AuthedRequest, exercise: CodingExercise
) -> Submission | None:
    """The student's own submission of this exercise named in the form, if any;
    a value that names none of theirs is bad input."""
    raw = request.POST.get("submission", "")
    if not raw:
        return None
    submission_id = id_or_none(raw)
    submission = (
        Submission.objects.filter(
            pk=submission_id, user=request.user, exercise=exercise
        ).first()
        if submission_id is not None
        else None
    )
    if submission is None:
        raise ReportRejected("That is not one of your submissions.", 400)
    return submission


def _page_of(exercise: CodingExercise, submission: Submission | None) -> str:
    if submission is None:
        return exercise.get_absolute_url()
    return reverse("submission", args=[submission.pk])


def _confirmation(request: HttpRequest, back: str) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"message": THANKS}, status=201)
    if is_htmx(request):
        return message_response(request, THANKS, status=201, level="success")
    messages.success(request, THANKS)
    return redirect(back)
