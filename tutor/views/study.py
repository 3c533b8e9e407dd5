"""Studying beyond single questions: the review queue and mock exams."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from exercises.presentation import answer_html, present
from tutor import selectors as journey
from tutor import services
from tutor.models import ExamBlueprint, MockExam
from tutor.views.helpers import AuthedRequest, message_response, signed_in_or_401
from tutor.views.practice import answer_from


@login_required
def review(request: AuthedRequest) -> HttpResponse:
    due = journey.reviews_due(user=request.user)
    return render(
        request,
        "tutor/review.html",
        {"due": due, "upcoming": journey.reviews_upcoming(user=request.user)[:20]},
    )


@login_required
def exams(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "tutor/exams.html",
        {
            "blueprints": ExamBlueprint.objects.filter(is_active=True),
            "exams": journey.exams_for(user=request.user)[:20],
        },
    )


@require_POST
@signed_in_or_401
def exam_start(request: AuthedRequest) -> HttpResponse:
    blueprint = None
    if request.POST.get("blueprint"):
        blueprint = ExamBlueprint.objects.filter(
            pk=request.POST["blueprint"], is_active=True
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
    return services.exam_expire_if_due(exam=exam)


@login_required
def exam(request: AuthedRequest, exam_id: int) -> HttpResponse:
    paper = _exam_or_404(request, exam_id)
    items = list(paper.items.select_related("question__topic"))
    if paper.is_open:
        shown = [(item, present(item.question, item.seed)) for item in items]
        remaining = max(0, int((paper.deadline - timezone.now()).total_seconds()))
        return render(
            request,
            "tutor/exam.html",
            {"exam": paper, "items": shown, "remaining": remaining},
        )
    marked = []
    for item in items:
        marking = present(item.question, item.seed)
        # answer_html is built from sanitised parts.
        answer = answer_html(item.question, marking.variant)
        marked.append((item, marking, mark_safe(answer)))  # noqa: S308
    return render(request, "tutor/exam_result.html", {"exam": paper, "items": marked})


@require_POST
@signed_in_or_401
def exam_answer(request: AuthedRequest, exam_id: int, position: int) -> HttpResponse:
    paper = _exam_or_404(request, exam_id)
    item = paper.items.filter(position=position).select_related("question").first()
    if item is None:
        raise Http404("No such question in this exam")
    try:
        services.exam_save_answer(
            exam=paper, position=position, answer=answer_from(request, item.question)
        )
    except services.ExamClosed as exc:
        return message_response(request, str(exc), status=409)
    return render(request, "tutor/includes/exam_saved.html", {"item": item})


@require_POST
@signed_in_or_401
def exam_submit(request: AuthedRequest, exam_id: int) -> HttpResponse:
    paper = _exam_or_404(request, exam_id)
    services.exam_submit(exam=paper)
    return redirect(paper)
