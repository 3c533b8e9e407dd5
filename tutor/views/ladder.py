"""The ladder's pages: worked example, faded example, Parsons problem, and
the status of an answer while the engine checks it. An exercise without a
ladder has none of these pages (404)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from exercises import selectors
from exercises.coding import ladder as rungs
from exercises.models import CodingExercise, RungAttempt
from exercises.roles import is_instructor
from tutor.courses.held_back import held_back
from tutor.views.helpers import (
    AuthedRequest,
    int_or_none,
    is_htmx,
    message_response,
    signed_in_or_401,
)
from tutor.views.ladder_pages import (
    WORKED_SEEN,
    attempt_context,
    faded_context,
    parsons_context,
    worked_context,
)

if TYPE_CHECKING:
    from engine.ladder import Ladder


def _rung_or_404(request: HttpRequest, slug: str) -> tuple[CodingExercise, Ladder]:
    try:
        exercise = selectors.exercise_get_published(
            slug=slug, include_unpublished=is_instructor(request.user)
        )
    except CodingExercise.DoesNotExist:
        raise Http404("No such coding exercise") from None
    ladder = rungs.ladder_for(exercise)
    if ladder is None:
        raise Http404("This exercise has no worked example, faded example or Parsons")
    blocked = held_back(user=request.user, exercise=exercise)
    if blocked is not None:
        raise PermissionDenied(blocked.message)
    return exercise, ladder


def _for_review(request: HttpRequest) -> bool:
    return (request.POST or request.GET).get("review") == "1"


@require_GET
@login_required
def worked(request: AuthedRequest, slug: str) -> HttpResponse:
    exercise, ladder = _rung_or_404(request, slug)
    seen = [pk for pk in request.session.get(WORKED_SEEN, []) if pk != exercise.pk]
    request.session[WORKED_SEEN] = [exercise.pk, *seen][:200]
    context = {"exercise": exercise, "rung": rungs.WORKED, **worked_context(ladder)}
    return render(request, "tutor/ladder/worked.html", context)


@require_GET
@login_required
def faded(request: AuthedRequest, slug: str) -> HttpResponse:
    exercise, ladder = _rung_or_404(request, slug)
    levels = ladder.faded(1).levels
    asked = request.GET.get("level")
    if asked is None:
        level = rungs.faded_next_level(
            user=request.user, exercise=exercise, levels=levels
        )
    else:
        level = int_or_none(asked, minimum=1, maximum=levels) or 0
        if not level:
            return message_response(
                request,
                f"There is no level {asked[:20]!r}: this example has levels 1 to {levels}.",
                status=400,
            )
    context = faded_context(ladder, user=request.user, exercise=exercise, level=level)
    context.update(exercise=exercise, rung=rungs.FADED, review=_for_review(request))
    return render(request, "tutor/ladder/faded.html", context)


@require_POST
@signed_in_or_401
def faded_check(request: AuthedRequest, slug: str) -> HttpResponse:
    exercise, ladder = _rung_or_404(request, slug)
    levels = ladder.faded(1).levels
    level = int_or_none(request.POST.get("level", ""), minimum=1, maximum=levels)
    if level is None:
        return message_response(
            request, f"Choose a level from 1 to {levels}.", status=400
        )
    who = rungs.Answerer(request.user, exercise, _for_review(request))
    try:
        attempt = rungs.faded_check(
            who, ladder=ladder, level=level, blanks=_blanks(request)
        )
    except rungs.RungRejected as exc:
        return message_response(request, exc.message, status=exc.status)
    return _checking(request, attempt)


def _blanks(request: HttpRequest) -> dict[str, str]:
    """The posted blanks, `blank-<id>` fields, by blank id."""
    return {
        key.removeprefix("blank-"): str(value)
        for key, value in request.POST.items()
        if key.startswith("blank-")
    }


@require_GET
@login_required
def parsons(request: AuthedRequest, slug: str) -> HttpResponse:
    exercise, ladder = _rung_or_404(request, slug)
    context = parsons_context(
        ladder,
        user=request.user,
        exercise=exercise,
        help_asked=int_or_none(request.GET.get("help", ""), minimum=0, maximum=99),
        indent_given=request.GET.get("indent") == "given",
    )
    context.update(exercise=exercise, rung=rungs.PARSONS, review=_for_review(request))
    return render(request, "tutor/ladder/parsons.html", context)


@require_POST
@signed_in_or_401
def parsons_check(request: AuthedRequest, slug: str) -> HttpResponse:
    exercise, ladder = _rung_or_404(request, slug)
    seed = rungs.seed_of_variant(
        user=request.user,
        exercise=exercise,
        rung=rungs.PARSONS,
        token=request.POST.get("variant", "")[:64],
    )
    if seed is None:
        return message_response(request, rungs.VARIANT_CHANGED, status=409)
    help_used = int_or_none(request.POST.get("help", "0"), minimum=0, maximum=99)
    placed = _placed(request)
    if help_used is None or placed is None:
        return message_response(
            request,
            "The puzzle's form came back incomplete: each block needs an indent "
            "from 0 up. Reload the page and try again.",
            status=400,
        )
    who = rungs.Answerer(request.user, exercise, _for_review(request))
    try:
        attempt = rungs.parsons_check(
            who,
            ladder=ladder,
            seed=seed,
            placed=placed,
            help_used=help_used,
            indent_given=request.POST.get("indent_given") == "1",
        )
    except rungs.RungRejected as exc:
        return message_response(request, exc.message, status=exc.status)
    return _checking(request, attempt)


def _placed(request: HttpRequest) -> list[tuple[str, int]] | None:
    """The program as posted: parallel lists `block` and `indent`; a row
    whose block is empty (a line left blank in the form without JavaScript)
    is skipped. None when the lists do not pair up or an indent is no number."""
    blocks = request.POST.getlist("block")[: rungs.MAX_PLACED + 1]
    indents = request.POST.getlist("indent")[: rungs.MAX_PLACED + 1]
    if len(blocks) != len(indents):
        return None
    placed: list[tuple[str, int]] = []
    for block, indent in zip(blocks, indents, strict=True):
        if not block:
            continue
        number = int_or_none(indent, minimum=0, maximum=99)
        if number is None:
            return None
        placed.append((block[:64], number))
    return placed


def _checking(request: AuthedRequest, attempt: RungAttempt) -> HttpResponse:
    """The answer is queued: the status fragment for htmx, else its page."""
    if is_htmx(request):
        context = attempt_context(attempt, user=request.user)
        return render(
            request,
            "tutor/ladder/status.html",
            {**context, "submitted": True},
            status=201,
        )
    return redirect("rung-attempt", attempt.pk)


def _attempt_or_404(request: AuthedRequest, attempt_id: int) -> RungAttempt:
    attempt = (
        RungAttempt.objects.select_related("exercise__topic")
        .filter(pk=attempt_id, user=request.user)
        .first()
    )
    if attempt is None:
        raise Http404("No such answer")
    return attempt


@require_GET
@login_required
def rung_attempt(request: AuthedRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt_or_404(request, attempt_id)
    context: dict[str, Any] = attempt_context(attempt, user=request.user)
    context.update(exercise=attempt.exercise, rung=attempt.rung)
    return render(request, "tutor/ladder/attempt.html", context)


@require_GET
@login_required
def rung_attempt_status(request: AuthedRequest, attempt_id: int) -> HttpResponse:
    """The verdict fragment the pages poll. While the check runs, a poll
    gets 204 (nothing to swap), so a screen reader hears "Checking" once and
    then the verdict, not a repeat every second."""
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.is_active and is_htmx(request):
        return HttpResponse(status=204)
    context = attempt_context(attempt, user=request.user)
    return render(request, "tutor/ladder/status.html", context)
