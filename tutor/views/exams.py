"""Mock exams: start a paper, answer it (each question saved as it is typed,
or the whole paper at once without JavaScript), see a summary, submit it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from exercises.presentation import answer_html, present
from tutor import exam_results as results
from tutor import exams as papers
from tutor import selectors as journey
from tutor import services
from tutor.exams import AnswerState, AnswerStatus
from tutor.models import ExamBlueprint, MockExam
from tutor.views.exam_forms import (
    PaperForm,
    StartForm,
    answer_in,
    paper_entries,
    paper_form,
    posted_answers,
    prefix_for,
)
from tutor.views.helpers import (
    AuthedRequest,
    is_htmx,
    message_response,
    signed_in_or_401,
)

# What a question's save says, by what it did (422: nothing could be stored).
SAVE_STATUS_CODES = {AnswerState.TOO_LONG: 422, AnswerState.CLOSED: 409}


@login_required
def exams(request: AuthedRequest) -> HttpResponse:
    topics = results.topics_to_draw_from()
    blueprints = ExamBlueprint.objects.filter(is_active=True)
    return render(
        request,
        "tutor/exams.html",
        {
            "blueprints": [(bp, results.paper_plan(bp, topics)) for bp in blueprints],
            "random_plan": results.paper_plan(None, topics),
            "exams": journey.exams_for(user=request.user)[:20],
        },
    )


@require_POST
@signed_in_or_401
def exam_start(request: AuthedRequest) -> HttpResponse:
    form = StartForm(request.POST)
    if not form.is_valid():
        return message_response(request, str(form.errors["blueprint"][0]), status=400)
    blueprint = None
    if form.cleaned_data["blueprint"] is not None:
        blueprint = ExamBlueprint.objects.filter(
            pk=form.cleaned_data["blueprint"], is_active=True
        ).first()
        if blueprint is None:
            return message_response(request, "That exam is not available.", status=404)
    try:
        exam = services.exam_start(user=request.user, blueprint=blueprint)
    except ValueError as exc:
        return message_response(request, str(exc), status=409)
    return redirect(exam)


def _exam_or_404(request: AuthedRequest, exam_id: int) -> MockExam:
    exam = MockExam.objects.filter(pk=exam_id, user=request.user).first()
    if exam is None:
        raise Http404("No such exam")
    return papers.exam_settle(exam)


def _remaining(exam: MockExam) -> int:
    return max(0, int((exam.deadline - timezone.now()).total_seconds()))


@login_required
def exam(request: AuthedRequest, exam_id: int) -> HttpResponse:
    paper = _exam_or_404(request, exam_id)
    if paper.is_open:
        entries = paper_entries(paper)
        context = {
            "exam": paper,
            "entries": entries,
            "summary": papers.PaperSummary([entry.status for entry in entries]),
            "remaining": _remaining(paper),
        }
        return render(request, "tutor/exam.html", context)
    marked = []
    for item in paper.items.select_related("question__topic"):
        marking = present(item.question, item.seed)
        # answer_html is built from sanitised parts.
        answer = answer_html(item.question, marking.variant)
        marked.append((item, marking, mark_safe(answer)))  # noqa: S308
    context = {
        "exam": paper,
        "items": marked,
        "summary": results.exam_result_summary(exam=paper),
    }
    return render(request, "tutor/exam_result.html", context)


@require_POST
@signed_in_or_401
def exam_answer(request: AuthedRequest, exam_id: int, position: int) -> HttpResponse:
    """Save one question (the paper's autosave): its status, for the page."""
    paper = _exam_or_404(request, exam_id)
    item = paper.items.filter(position=position).select_related("question").first()
    if item is None:
        raise Http404("No such question in this exam")
    clear = request.POST.get("clear")
    if clear not in (None, str(position)):
        return message_response(
            request, f"“{clear}” is not this question: nothing was cleared.", status=400
        )
    prefix = prefix_for(position) if "items" in request.POST else ""
    try:
        status = papers.exam_item_save(
            exam=paper,
            item=item,
            answer=answer_in(request.POST, item, prefix),
            clear=clear is not None,
        )
    except services.ExamClosed as exc:
        status = AnswerStatus(position, AnswerState.CLOSED, str(exc))
    response = render(
        request,
        "tutor/includes/exam_status.html",
        {"status": status, "exam": paper, "nav": _nav_update(paper)},
        status=SAVE_STATUS_CODES.get(status.state, 200),
    )
    response["X-Exam-State"] = status.state.value
    return response


def _nav_update(paper: MockExam) -> papers.PaperSummary | None:
    """The paper's summary for the navigation panel, while it is open."""
    if not paper.is_open:
        return None
    return papers.exam_summary(exam=paper)


@require_POST
@signed_in_or_401
def exam_flag(request: AuthedRequest, exam_id: int, position: int) -> HttpResponse:
    """Flag a question for review or take the flag off (`flagged` 1 or 0).
    From htmx: the toggle again, and the navigation panel. Without
    JavaScript the whole paper posts: its answers are saved too."""
    paper = _exam_or_404(request, exam_id)
    item = paper.items.filter(position=position).first()
    flagged = request.POST.get("flagged")
    if item is None:
        raise Http404("No such question in this exam")
    if flagged not in ("0", "1"):
        return message_response(
            request, "Flag the question or not: 1 or 0.", status=400
        )
    if not is_htmx(request):
        return _flag_with_paper(request, paper, position, flagged == "1")
    try:
        item = papers.exam_item_flag(exam=paper, item=item, flagged=flagged == "1")
    except services.ExamClosed as exc:
        closed = AnswerStatus(position, AnswerState.CLOSED, str(exc))
        response = render(
            request, "tutor/includes/exam_status.html", {"status": closed}, status=409
        )
        response["HX-Retarget"] = f"#status-{position}"
        response["HX-Reswap"] = "innerHTML"
        return response
    nav = papers.exam_summary(exam=paper)
    return render(
        request,
        "tutor/includes/exam_flag.html",
        {"exam": paper, "item": item, "nav": nav},
    )


def _flag_with_paper(
    request: AuthedRequest, paper: MockExam, position: int, flagged: bool
) -> HttpResponse:
    form, answers = _paper_posted(request, paper)
    if not form.is_valid():
        return message_response(request, form.problem(), status=400)
    item = paper.items.get(position=position)
    try:
        saved = papers.exam_paper_save(exam=paper, answers=answers)
        papers.exam_item_flag(exam=paper, item=item, flagged=flagged)
    except services.ExamClosed as exc:
        return _closed(request, paper, exc)
    done = "flagged for review" if flagged else "no longer flagged"
    messages.info(request, f"Question {position + 1} {done}; {_saved_message(saved)}")
    return redirect(paper.get_absolute_url() + f"#item-{position}")


def _paper_posted(
    request: AuthedRequest, paper: MockExam
) -> tuple[PaperForm, dict[int, dict[str, Any]]]:
    form = paper_form(request.POST, paper)
    if not form.is_valid():
        return form, {}
    return form, posted_answers(request.POST, paper, form.cleaned_data["items"])


def _closed(request: AuthedRequest, paper: MockExam, exc: Exception) -> HttpResponse:
    messages.warning(request, str(exc))
    return redirect(paper)


@require_POST
@signed_in_or_401
def exam_save(request: AuthedRequest, exam_id: int) -> HttpResponse:
    """Save the whole paper as posted (without JavaScript), then back to it."""
    paper = _exam_or_404(request, exam_id)
    form, answers = _paper_posted(request, paper)
    if not form.is_valid():
        return message_response(request, form.problem(), status=400)
    clear = form.cleaned_data["clear"]
    try:
        saved = papers.exam_paper_save(exam=paper, answers=answers, clear=clear)
    except services.ExamClosed as exc:
        return _closed(request, paper, exc)
    messages.info(request, _saved_message(saved))
    at = clear if clear is not None else form.cleaned_data["at"]
    anchor = f"#item-{at}" if at is not None else ""
    return redirect(paper.get_absolute_url() + anchor)


def _saved_message(saved: list[AnswerStatus]) -> str:
    stored = sum(status.state in papers.STORED for status in saved)
    parts = [ngettext("%d answer saved", "%d answers saved", stored) % stored]
    for status in saved:
        if status.state == AnswerState.UNREADABLE:
            parts.append(f"question {status.number}: {status.message}")
        elif status.state == AnswerState.CLEARED:
            parts.append(f"question {status.number}: answer cleared")
        elif status.state == AnswerState.TOO_LONG:
            parts.append(f"question {status.number} not saved: {status.message}")
    return "; ".join(parts) + "."


@require_http_methods(["GET", "HEAD", "POST"])
def exam_review(request: AuthedRequest, exam_id: int) -> HttpResponse:
    """Before submitting: save what is posted, then the paper's summary."""
    if request.method == "POST":
        return _review_save(request, exam_id)
    return _review_page(request, exam_id)


@signed_in_or_401
def _review_save(request: AuthedRequest, exam_id: int) -> HttpResponse:
    paper = _exam_or_404(request, exam_id)
    form, answers = _paper_posted(request, paper)
    if not form.is_valid():
        return message_response(request, form.problem(), status=400)
    try:
        papers.exam_paper_save(exam=paper, answers=answers)
    except services.ExamClosed as exc:
        return _closed(request, paper, exc)
    return redirect("exam-review", exam_id=paper.pk)


@login_required
def _review_page(request: AuthedRequest, exam_id: int) -> HttpResponse:
    paper = _exam_or_404(request, exam_id)
    if not paper.is_open:
        return redirect(paper)
    context = {
        "exam": paper,
        "summary": papers.exam_summary(exam=paper),
        "remaining": _remaining(paper),
    }
    return render(request, "tutor/exam_review.html", context)


@require_POST
@signed_in_or_401
def exam_submit(request: AuthedRequest, exam_id: int) -> HttpResponse:
    """Mark the paper, after saving anything posted with the submit."""
    paper = _exam_or_404(request, exam_id)
    form, answers = _paper_posted(request, paper)
    if not form.is_valid():
        return message_response(request, form.problem(), status=400)
    try:
        papers.exam_paper_submit(exam=paper, answers=answers)
    except services.ExamClosed as exc:
        return _closed(request, paper, exc)
    return redirect(paper)
