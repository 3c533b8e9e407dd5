"""Answering quiz questions: the variant a student works on, checking the
form of an answer without using an attempt, and checking the answer."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from exercises import selectors
from exercises.checkers import CheckResult
from exercises.models import HintUse, Question
from exercises.presentation import (
    Presented,
    answer_review,
    attempt_result,
    current_seed,
    present,
)
from exercises.services.attempts import (
    SEED_LIMIT,
    VariantClosed,
    VariantNotCurrent,
    attempt_counted,
    variant_advance,
    variant_attempt,
    variant_state,
)
from tutor import code_review
from tutor import selectors as journey
from tutor.answer_errors import FORM_ID, field_errors, form_check
from tutor.models import ReviewCard
from tutor.services import hint_reveal, practice_answer
from tutor.views.helpers import (
    AuthedRequest,
    is_htmx,
    message_response,
    signed_in_or_401,
)

CLOSED = (
    "You have already answered this; its feedback was shown, so this answer "
    "was not recorded. Open the question again for a new try."
)
CHANGED = "This question has changed since you opened it; reload the page."


def _question_or_404(slug: str) -> Question:
    try:
        return selectors.question_get_published(slug=slug)
    except Question.DoesNotExist:
        raise Http404("No such question") from None


@require_http_methods(["GET", "HEAD", "POST"])
def question(request: HttpRequest, slug: str) -> HttpResponse:
    """The question on the variant the student is on; once it is answered, its
    feedback in place of the form. POST moves on to a fresh variant."""
    question = _question_or_404(slug)
    if request.method == "POST":
        return _another_try(request, question)
    review = request.GET.get("review") == "1"
    if not request.user.is_authenticated:
        context = {"review": review, "shown": present(question, 0)}
        return render(request, "tutor/question.html", context)
    user = request.user
    state = variant_state(user=user, question=question)
    shown = present(question, state.seed)
    context = _page_context(user, shown, review)
    attempt = state.attempt
    if attempt is not None:
        card = ReviewCard.objects.filter(user=user, question=question).first()
        context |= _feedback_context(
            shown,
            attempt_result(attempt),
            attempt.answer,
            card=card,
            counted=attempt_counted(attempt),
        )
    return render(request, "tutor/question.html", context)


@signed_in_or_401
def _another_try(request: AuthedRequest, question: Question) -> HttpResponse:
    """Try again, or new numbers: a new attempt on a fresh variant, once the one
    the student is on has been answered (asking twice skips nothing)."""
    variant_advance(user=request.user, question=question)
    url = question.get_absolute_url()
    return redirect(f"{url}?review=1" if request.POST.get("review") == "1" else url)


def _page_context(
    user: Any, shown: Presented, review: bool, hints: tuple[int, ...] | None = None
) -> dict[str, Any]:
    """What every view of a question shows; `hints`, the indexes of the hints
    shown on this variant when the caller has read them."""
    question = shown.question
    return {
        "shown": shown,
        "review": review,
        "hints_shown": _hints_shown(user, shown, hints),
        "next_question": journey.next_question_slug(user=user, after=question),
        "next_due": code_review.review_next(user=user, after=question)
        if review
        else None,
    }


def _feedback_context(
    shown: Presented,
    result: CheckResult,
    given: dict[str, Any],
    *,
    card: ReviewCard | None,
    counted: bool,
) -> dict[str, Any]:
    """What the feedback shows: the verdict, the student's answer beside the
    correct one, and whether this answer counted."""
    return {
        "closed": True,
        "result": result,
        "answer": given,
        "echo": answer_review(shown, given, result),
        "card": card,
        "counted": counted,
    }


def _hints_shown(
    user: Any, shown: Presented, used: tuple[int, ...] | None = None
) -> list[str]:
    if used is None:
        used = selectors.hints_revealed(
            user=user, question=shown.question, seed=shown.seed
        )
    count = len(shown.question.hints)
    return [shown.hint(i) for i in used if i < count]


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


def _posted_seed(request: HttpRequest) -> int | None:
    """The form's seed, or None when it cannot be one."""
    try:
        seed = int(request.POST.get("seed", ""))
    except ValueError:
        return None
    return seed if 0 <= seed < SEED_LIMIT else None


def _refusal(request: HttpRequest, question: Question, message: str) -> HttpResponse:
    """409: an answer or hint for a variant that is closed or not the current one."""
    return message_response(
        request,
        message,
        status=409,
        link=question.get_absolute_url(),
        link_text="Open the question",
    )


@require_POST
@signed_in_or_401
def answer(request: AuthedRequest, slug: str) -> HttpResponse:
    """Check the student's one answer to the variant they are on."""
    question = _question_or_404(slug)
    submitted = answer_from(request, question)
    try:
        practised = practice_answer(
            user=request.user,
            question=question,
            answer=submitted,
            seed=_posted_seed(request),
        )
    except VariantClosed:
        return _refusal(request, question, CLOSED)
    except VariantNotCurrent:
        return _refusal(request, question, CHANGED)
    attempt, result = practised.attempt.attempt, practised.attempt.result
    review = request.POST.get("review") == "1"
    if attempt is None:  # unreadable: nothing recorded, the form stays open
        shown = present(question, current_seed(request.user, question))
        context = _page_context(request.user, shown, review)
        context |= {
            "result": result,
            "answer": submitted,
            "field_errors": field_errors(shown, submitted, result),
            "form_id": FORM_ID,
        }
        template = "tutor/includes/feedback.html"
    else:
        shown = present(question, attempt.seed)
        context = _page_context(request.user, shown, review, practised.hints)
        context |= _feedback_context(
            shown, result, submitted, card=practised.card, counted=practised.counted
        )
        template = "tutor/includes/answered.html"
    if not is_htmx(request):
        template = "tutor/question.html"
    return render(request, template, context, status=200 if result.readable else 422)


@require_POST
@signed_in_or_401
def hint(request: AuthedRequest, slug: str) -> HttpResponse:
    """Reveal the next hint of the variant the student works on, and record it;
    a variant already answered takes no more hints."""
    question = _question_or_404(slug)
    seed = _posted_seed(request)
    if seed is not None and variant_attempt(
        user=request.user, question=question, seed=seed
    ):
        return _refusal(request, question, "You have answered this already.")
    if seed != current_seed(request.user, question):
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
    shown = present(question, seed)
    return render(
        request,
        "tutor/includes/hints.html",
        {"shown": shown, "hints_shown": _hints_shown(request.user, shown)},
    )


@require_POST
@signed_in_or_401
def check_form(request: AuthedRequest, slug: str) -> HttpResponse:
    """How the answer was read, or where it is malformed; never an attempt."""
    question = _question_or_404(slug)
    seed = _posted_seed(request)
    if seed is None:
        seed = current_seed(request.user, question)
    context = form_check(present(question, seed), answer_from(request, question))
    status = 200 if context["result"].readable else 422
    return render(request, "tutor/includes/preview.html", context, status=status)
