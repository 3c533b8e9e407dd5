"""Answering quiz questions: the variant a student works on, checking the
form of an answer without using an attempt, and checking the answer."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from exercises import selectors
from exercises.checkers import preview
from exercises.models import HintUse, Question
from exercises.presentation import answer_html, current_seed, present, seed_is_issued
from tutor import selectors as journey
from tutor.services import hint_reveal, practice_answer
from tutor.views.helpers import (
    AuthedRequest,
    is_htmx,
    message_response,
    signed_in_or_401,
)


def _question_or_404(slug: str) -> Question:
    try:
        return selectors.question_get_published(slug=slug)
    except Question.DoesNotExist:
        raise Http404("No such question") from None


def question(request: HttpRequest, slug: str) -> HttpResponse:
    question = _question_or_404(slug)
    context: dict[str, Any] = {"review": request.GET.get("review") == "1"}
    if request.user.is_authenticated:
        seed = current_seed(request.user, question)
        context["hints_shown"] = _hints_shown(request.user, question, seed)
        context["next_question"] = journey.next_question(
            user=request.user, after=question
        )
    else:
        seed = 0
    context["shown"] = present(question, seed)
    return render(request, "tutor/question.html", context)


def _hints_shown(user: Any, question: Question, seed: int) -> list[str]:
    used = sorted(
        HintUse.objects.filter(user=user, question=question, seed=seed).values_list(
            "index", flat=True
        )
    )
    shown = present(question, seed).hints
    return [shown[i] for i in used if i < len(shown)]


def answer_from(request: HttpRequest, question: Question) -> dict[str, Any]:
    """The answer as the checker expects it, from the posted form."""
    kind, spec = question.kind, question.spec
    if kind == Question.Kind.MULTIPLE:
        return {"choices": request.POST.getlist("choices")}
    if kind == Question.Kind.SINGLE:
        return {"choice": request.POST.get("choice", "")}
    if kind == Question.Kind.SYMBOLIC:
        return {"expression": request.POST.get("expression", "")}
    if kind == Question.Kind.ORDERING and spec.get("mode", "order") == "order":
        return {"order": request.POST.getlist("order")}
    if kind == Question.Kind.MULTISTEP:
        return {
            "parts": {
                part["name"]: {
                    ("expression" if part["kind"] == "symbolic" else "value"): _value(
                        request, f"part-{part['name']}"
                    )
                }
                for part in spec["parts"]
            }
        }
    return {"value": _value(request, "value")}


def _value(request: HttpRequest, name: str) -> str:
    """A typed answer, or one composed from a matrix grid (cells name-r-c)."""
    typed = request.POST.get(name, "")
    if typed.strip():
        return typed
    cells = {
        key: value
        for key, value in request.POST.items()
        if key.startswith(f"{name}-cell-")
    }
    if not cells:
        return typed
    rows: dict[int, dict[int, str]] = {}
    for key, value in cells.items():
        try:
            row, column = (int(part) for part in key.rsplit("-", 2)[-2:])
        except ValueError:
            continue
        rows.setdefault(row, {})[column] = str(value).strip() or "?"
    return "\n".join(
        " ".join(rows[r][c] for c in sorted(rows[r])) for r in sorted(rows)
    )


def _posted_seed(request: AuthedRequest, question: Question) -> int | None:
    try:
        seed = int(request.POST.get("seed", ""))
    except ValueError:
        return None
    return seed if seed_is_issued(request.user, question, seed) else None


@require_POST
@signed_in_or_401
def answer(request: AuthedRequest, slug: str) -> HttpResponse:
    question = _question_or_404(slug)
    seed = _posted_seed(request, question)
    if seed is None:
        return message_response(
            request,
            "This question has changed since you opened it; reload the page.",
            status=409,
        )
    submitted = answer_from(request, question)
    practised = practice_answer(
        user=request.user, question=question, answer=submitted, seed=seed
    )
    outcome = practised.attempt
    shown = present(question, seed)
    review = request.POST.get("review") == "1"
    context = {
        "shown": shown,
        "result": outcome.result,
        "answer": submitted,
        "card": practised.card,
        "review": review,
        "next_question": journey.next_question(user=request.user, after=question),
        "next_due": journey.reviews_due(user=request.user)
        .exclude(question=question)
        .first()
        if review
        else None,
        "correct_answer": mark_safe(answer_html(question, shown.variant)),  # noqa: S308 - sanitised
    }
    status = 200 if outcome.result.readable else 422
    template = (
        "tutor/includes/feedback.html" if is_htmx(request) else "tutor/question.html"
    )
    return render(request, template, context, status=status)


@require_POST
@signed_in_or_401
def hint(request: AuthedRequest, slug: str) -> HttpResponse:
    """Reveal the next hint of the variant the student works on, and record it."""
    question = _question_or_404(slug)
    seed = _posted_seed(request, question)
    if seed is None:
        return message_response(
            request, "Reload the page to see hints for this question.", status=409
        )
    used = HintUse.objects.filter(
        user=request.user, question=question, seed=seed
    ).count()
    if used >= len(question.hints):
        return message_response(
            request, "There are no more hints.", status=404, level="info"
        )
    hint_reveal(user=request.user, question=question, seed=seed, index=used)
    return render(
        request,
        "tutor/includes/hints.html",
        {
            "shown": present(question, seed),
            "hints_shown": _hints_shown(request.user, question, seed),
        },
    )


@require_POST
@signed_in_or_401
def check_form(request: AuthedRequest, slug: str) -> HttpResponse:
    """How the answer was read, or where it is malformed; never an attempt."""
    question = _question_or_404(slug)
    result = preview(question.kind, question.spec, answer_from(request, question))
    return render(
        request,
        "tutor/includes/preview.html",
        {"result": result},
        status=200 if result.readable else 422,
    )
