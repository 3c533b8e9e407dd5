"""The items of an assignment as a student works on them: a question (the
practice pages' rendering and checking, one variant an attempt), a coding
exercise (the editor and the grading queue), and the paper of an exam
assignment. Every attempt is recorded as the assignment's Work."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from exercises.checkers import CheckResult
from exercises.coding.grader import limits_for
from exercises.coding.submissions import SubmissionRejected
from exercises.models import Submission
from exercises.presentation import (
    Presented,
    answer_review,
    attempt_result,
    present,
)
from exercises.services.attempts import SEED_LIMIT
from tutor.answer_errors import FORM_ID, field_errors, form_check
from tutor.courses import progress
from tutor.courses.access import RANK, Role, course_role_required
from tutor.courses.feedback import status_context, status_json
from tutor.courses.items import attempts_at, code_submit, next_seed, quiz_answer
from tutor.courses.models import Assignment, AssignmentItem, Course, Work
from tutor.courses.papers import exam_assignment_start
from tutor.courses.work import WorkRefused
from tutor.views.coding import SourceError, read_source
from tutor.views.courses import assignment_for
from tutor.views.exam_forms import grid_filled
from tutor.views.helpers import (
    MAX_ID,
    AuthedRequest,
    int_or_none,
    is_htmx,
    message_response,
)
from tutor.views.practice import answer_from


def _item_or_404(assignment: Assignment, item_id: int) -> AssignmentItem:
    found = (
        assignment.items.filter(pk=item_id)
        .select_related("question__topic", "exercise__topic")
        .first()
    )
    if found is None:
        raise Http404("No such item in this assignment")
    return found


def _is_staff(role: str) -> bool:
    return RANK[Role(role)] >= RANK[Role.TA]


def _refused(request: AuthedRequest, exc: WorkRefused, back: str) -> HttpResponse:
    return message_response(
        request, exc.message, status=exc.status, link=back, link_text="Back"
    )


@course_role_required(Role.STUDENT)
def item(
    request: AuthedRequest, course: Course, role: str, slug: str, item_id: int
) -> HttpResponse:
    assignment = assignment_for(course, slug, role)
    entry = _item_or_404(assignment, item_id)
    context = _item_context(request, assignment, entry, role)
    if entry.question is not None:
        context |= _question_context(
            request, assignment, entry, context, again=request.GET.get("again") == "1"
        )
        return render(request, "courses/question.html", context)
    context |= {
        "exercise": entry.exercise,
        "limits": limits_for(entry.exercise),  # type: ignore[arg-type]
        "source": _last_source(context["works"]) or entry.exercise.starter_code,  # type: ignore[union-attr]
    }
    return render(request, "courses/exercise.html", context)


def _item_context(
    request: AuthedRequest, assignment: Assignment, entry: AssignmentItem, role: str
) -> dict[str, Any]:
    status = progress.assignment_status(assignment, request.user)
    works = attempts_at(assignment=assignment, item=entry, user=request.user)
    limit = assignment.max_attempts
    used = sum(1 for work in works if work.counts)
    left = None if limit is None else max(0, limit - used)
    return {
        "course": assignment.course,
        "assignment": assignment,
        "item": entry,
        "status": status,
        "works": works,
        "used": used,
        "left": left,
        "staff": _is_staff(role),
        "can_try": status.accepting
        and assignment.is_published
        and (left is None or left > 0),
        "number": _position(assignment, entry),
    }


def _position(assignment: Assignment, entry: AssignmentItem) -> int:
    ids = list(assignment.items.values_list("pk", flat=True))
    return ids.index(entry.pk) + 1 if entry.pk in ids else 0


def _last_source(works: list[Work]) -> str:
    for work in reversed(works):
        if work.submission is not None:
            return work.submission.source
    return ""


def _question_context(
    request: AuthedRequest,
    assignment: Assignment,
    entry: AssignmentItem,
    context: dict[str, Any],
    *,
    again: bool,
    result: CheckResult | None = None,
    answer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The question on the student's next attempt (the form), or their last
    attempt's verdict. The correct answer and the explanation are shown when
    the next attempt draws new numbers, or when there is no next attempt."""
    question = entry.question
    assert question is not None
    works: list[Work] = context["works"]
    last = works[-1].quiz_attempt if works else None
    if last is not None and not again and result is None:
        shown = present(question, last.seed)
        verdict = attempt_result(last)
        reveal = bool(question.spec.get("generator")) or not context["can_try"]
        return {
            "shown": shown,
            "closed": True,
            "result": verdict,
            "answer": last.answer,
            "echo": answer_review(shown, last.answer, verdict) if reveal else None,
            "reveal": reveal,
        }
    seed = next_seed(assignment=assignment, item=entry, user=request.user)
    shown = present(question, seed)
    given = answer or {}
    filled = answer_filled(shown, given) if result is not None else {}
    return {
        "shown": shown,
        "closed": False,
        "result": result,
        "answer": given,
        "open_form": context["can_try"] or context["staff"],
        "field_errors": field_errors(shown, given, result) if result else [],
        "form_id": FORM_ID,
        **filled,
    }


def answer_filled(shown: Presented, answer: dict[str, Any]) -> dict[str, Any]:
    """The form filled again with an answer that could not be read: the parts'
    fields on `shown`, and a matrix's grid cells or typed text."""
    given = answer.get("parts") or {}
    for part in shown.parts:
        text = str((given.get(part["name"]) or {}).get("expression") or "")
        text = text or str((given.get(part["name"]) or {}).get("value") or "")
        part["cells"], part["typed"] = grid_filled(text, part.get("grid"))
        part["given"] = text
    cells, typed = grid_filled(str(answer.get("value") or ""), shown.shape)
    return {"cells": cells, "typed": typed}


def _posted_seed(request: AuthedRequest) -> int | None:
    return int_or_none(request.POST.get("seed", ""), minimum=0, maximum=SEED_LIMIT - 1)


@require_POST
@course_role_required(Role.STUDENT)
def answer(
    request: AuthedRequest, course: Course, role: str, slug: str, item_id: int
) -> HttpResponse:
    """Check and record the answer to the student's current attempt."""
    assignment = assignment_for(course, slug, role)
    entry = _item_or_404(assignment, item_id)
    if entry.question is None:
        raise Http404("This item is not a question")
    back = _item_url(assignment, entry)
    submitted = answer_from(request, entry.question)
    try:
        outcome = quiz_answer(
            assignment=assignment,
            item=entry,
            user=request.user,
            answer=submitted,
            seed=_posted_seed(request),
        )
    except WorkRefused as exc:
        return _refused(request, exc, back)
    if outcome.work is not None and not is_htmx(request):
        return redirect(back)
    context = _item_context(request, assignment, entry, role)
    if outcome.work is None:  # unreadable: the form stays open
        context |= _question_context(
            request,
            assignment,
            entry,
            context,
            again=True,
            result=outcome.result,
            answer=submitted,
        )
    else:
        context |= _question_context(request, assignment, entry, context, again=False)
    template = "courses/includes/question_body.html"
    if not is_htmx(request):
        template = "courses/question.html"
    return render(request, template, context, status=200 if outcome.work else 422)


def _item_url(assignment: Assignment, entry: AssignmentItem) -> str:
    from django.urls import reverse

    return reverse(
        "course-item", args=[assignment.course.code, assignment.slug, entry.pk]
    )


@require_POST
@course_role_required(Role.STUDENT)
def check_form(
    request: AuthedRequest, course: Course, role: str, slug: str, item_id: int
) -> HttpResponse:
    """How the answer was read, or where it is malformed; never an attempt."""
    assignment = assignment_for(course, slug, role)
    entry = _item_or_404(assignment, item_id)
    if entry.question is None:
        raise Http404("This item is not a question")
    seed = _posted_seed(request)
    shown = present(entry.question, 0 if seed is None else seed)
    context = form_check(shown, answer_from(request, entry.question))
    status = 200 if context["result"].readable else 422
    return render(request, "tutor/includes/preview.html", context, status=status)


@csrf_exempt  # checked by csrf_protect below, once the body has been read
@require_POST
def submit(request: AuthedRequest, code: str, **kwargs: Any) -> HttpResponse:
    """Submit code for a coding item; the raw body is read before the CSRF
    check parses it (see tutor.views.coding.submit)."""
    request.body  # noqa: B018 - read now, kept on the request
    return _submit(request, code=code, **kwargs)


@csrf_protect
@course_role_required(Role.STUDENT)
def _submit(
    request: AuthedRequest, course: Course, role: str, slug: str, item_id: int
) -> HttpResponse:
    assignment = assignment_for(course, slug, role)
    entry = _item_or_404(assignment, item_id)
    if entry.exercise is None:
        raise Http404("This item is not a coding exercise")
    back = _item_url(assignment, entry)
    try:
        source = read_source(request)
        work = code_submit(
            assignment=assignment, item=entry, user=request.user, source=source
        )
    except (SourceError, SubmissionRejected) as exc:
        return message_response(request, exc.message, status=exc.status)
    except WorkRefused as exc:
        return _refused(request, exc, back)
    submission = work.submission
    assert submission is not None
    if is_htmx(request):
        context = status_context(work=work, submission=submission, staff=False)
        response = render(
            request, "courses/includes/submission_status.html", context, status=201
        )
        response["HX-Trigger"] = "submissions-changed"
        return response
    if request.content_type == "application/json":
        body = status_json(work=work, submission=submission, staff=False)
        return JsonResponse(body, status=201)
    return redirect("course-submission", course.code, submission.pk)


def _work_or_404(
    request: AuthedRequest, course: Course, role: str, submission_id: int
) -> Work:
    """The course work that is this submission: the student's own, or any
    student's for the course's staff."""
    if submission_id > MAX_ID:  # no row has it (and SQLite cannot compare it)
        raise Http404("No such submission in this course")
    works = Work.objects.filter(
        assignment__course=course, submission_id=submission_id
    ).select_related("assignment__course", "item__exercise", "submission__exercise")
    if not _is_staff(role):
        works = works.filter(user=request.user)
    work = works.select_related("user").first()
    if work is None or work.submission is None:
        raise Http404("No such submission in this course")
    return work


@course_role_required(Role.STUDENT)
def submission(
    request: AuthedRequest, course: Course, role: str, submission_id: int
) -> HttpResponse:
    work = _work_or_404(request, course, role, submission_id)
    sub: Submission = work.submission  # type: ignore[assignment]
    staff = _is_staff(role) and work.user_id != request.user.pk
    context = status_context(work=work, submission=sub, staff=staff)
    context |= {"course": course, "assignment": work.assignment, "staff": staff}
    return render(request, "courses/submission.html", context)


@course_role_required(Role.STUDENT)
def submission_status(
    request: AuthedRequest, course: Course, role: str, submission_id: int
) -> HttpResponse:
    work = _work_or_404(request, course, role, submission_id)
    sub: Submission = work.submission  # type: ignore[assignment]
    staff = _is_staff(role) and work.user_id != request.user.pk
    if (
        request.headers.get("Accept") == "application/json"
        or request.GET.get("format") == "json"
    ):
        return JsonResponse(status_json(work=work, submission=sub, staff=staff))
    context = status_context(work=work, submission=sub, staff=staff)
    context["course"] = course
    response = render(request, "courses/includes/submission_status.html", context)
    if is_htmx(request) and not sub.is_active:
        response["HX-Trigger"] = "submissions-changed"
    return response


@require_POST
@course_role_required(Role.STUDENT)
def exam_start(
    request: AuthedRequest, course: Course, role: str, slug: str
) -> HttpResponse:
    """Start the paper of an exam assignment (or go back to the one running)."""
    assignment = assignment_for(course, slug, role)
    try:
        exam = exam_assignment_start(assignment=assignment, user=request.user)
    except WorkRefused as exc:
        return _refused(request, exc, assignment.get_absolute_url())
    return redirect(exam)
