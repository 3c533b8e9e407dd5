"""Report a problem on an item of a course assignment. The item's variants and
answers are the course work's, not the practice pages': the report keeps the
seed of the variant the item page showed this student and their last answer
(or code) at this item, so an instructor sees what the student saw."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from exercises.models import Submission
from exercises.services.attempts import SEED_LIMIT
from exercises.services.reports import ReportRejected, Seen, problem_report_create
from tutor.courses.access import RANK, Role, course_role_required
from tutor.courses.deadlines import window_for
from tutor.courses.items import attempts_at, next_seed
from tutor.courses.models import Assignment, AssignmentItem, Course, Work
from tutor.views.courses import assignment_for
from tutor.views.helpers import (
    AuthedRequest,
    id_or_none,
    int_or_none,
    is_htmx,
    message_response,
    wants_json,
)
from tutor.views.reports import THANKS

NOT_SHOWN = (
    "This item did not show you that variant: reload the page and send "
    "the report again."
)


@require_POST
@course_role_required(Role.STUDENT)
def report(
    request: AuthedRequest, course: Course, role: str, slug: str, item_id: int
) -> HttpResponse:
    """Store the member's note on the item. On a question, a posted `seed` says
    which variant the page showed (the open attempt's or the last answered
    one); on a coding item, a posted `submission` (their own at this item)
    says which one they were reading. The answer is only ever "thank you":
    nothing about the item, its variants or its marks."""
    assignment = assignment_for(course, slug, role)
    entry = _item_or_404(assignment, item_id)
    try:
        _check_visible(request, assignment, role)
        works = attempts_at(assignment=assignment, item=entry, user=request.user)
        submission = None
        if entry.question is not None:
            seen = _question_seen(request, assignment, entry, works)
        else:
            submission = _submission_or_none(request, works)
            seen = Seen(source=_source_of(works, submission))
        problem_report_create(
            user=request.user,
            note=request.POST.get("note", ""),
            question=entry.question,
            exercise=entry.exercise,
            submission=submission,
            seen=seen,
        )
    except ReportRejected as exc:
        return message_response(request, exc.message, status=exc.status)
    return _confirmation(request, _page_of(assignment, entry, submission))


def _item_or_404(assignment: Assignment, item_id: int) -> AssignmentItem:
    found = (
        assignment.items.filter(pk=item_id)
        .select_related("question", "exercise")
        .first()
    )
    if found is None:
        raise Http404("No such item in this assignment")
    return found


def _check_visible(request: AuthedRequest, assignment: Assignment, role: str) -> None:
    """Before an assignment opens its students do not see its items (the item
    page says when it opens), so there is nothing they can report on."""
    if RANK[Role(role)] >= RANK[Role.TA]:
        return
    if window_for(assignment, request.user).state(timezone.now()) == "upcoming":
        raise ReportRejected(
            "This assignment has not opened yet: there is nothing to report on.",
            403,
        )


def _question_seen(
    request: AuthedRequest,
    assignment: Assignment,
    entry: AssignmentItem,
    works: list[Work],
) -> Seen:
    """The variant the item page showed: the one posted by its form, which
    must be one this student was shown at this item (an answered attempt's or
    the open one's); without one, what the page shows by default (the last
    answered attempt, else the open one). The answer is the last one given at
    this item, never a practice answer to the same question."""
    attempts = [work.quiz_attempt for work in works if work.quiz_attempt is not None]
    open_seed = next_seed(assignment=assignment, item=entry, user=request.user)
    shown = [attempt.seed for attempt in attempts] + [open_seed]
    raw = request.POST.get("seed", "")
    if raw:
        seed = int_or_none(raw, minimum=0, maximum=SEED_LIMIT - 1)
        if seed is None or seed not in shown:
            raise ReportRejected(NOT_SHOWN, 400)
    else:
        seed = attempts[-1].seed if attempts else open_seed
    return Seen(seed=seed, answer=attempts[-1].answer if attempts else None)


def _submission_or_none(request: AuthedRequest, works: list[Work]) -> Submission | None:
    """The submission named in the form: one of this student's at this item;
    any other value is bad input."""
    raw = request.POST.get("submission", "")
    if not raw:
        return None
    submission_id = id_or_none(raw)
    for work in works:
        if work.submission is not None and work.submission.pk == submission_id:
            return work.submission
    raise ReportRejected("That is not one of your submissions at this item.", 400)


def _source_of(works: list[Work], submission: Submission | None) -> str:
    """The code of the submission reported from, else the last one at this item."""
    if submission is not None:
        return submission.source
    for work in reversed(works):
        if work.submission is not None:
            return work.submission.source
    return ""


def _page_of(
    assignment: Assignment, entry: AssignmentItem, submission: Submission | None
) -> str:
    if submission is not None:
        return reverse(
            "course-submission", args=[assignment.course.code, submission.pk]
        )
    return reverse(
        "course-item", args=[assignment.course.code, assignment.slug, entry.pk]
    )


def _confirmation(request: HttpRequest, back: str) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"message": THANKS}, status=201)
    if is_htmx(request):
        return message_response(request, THANKS, status=201, level="success")
    messages.success(request, THANKS)
    return redirect(back)
