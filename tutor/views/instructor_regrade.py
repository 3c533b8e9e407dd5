"""Regrading: choose submissions, dry run, follow its progress, apply it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from exercises.coding.regrade import runs as service
from exercises.coding.regrade.pages import (
    SubmissionFilter,
    regrade_candidates,
    run_list,
    run_report,
)
from exercises.coding.regrade.short_passes import short_passes_regrade
from exercises.models import CodingExercise, RegradeRun, Submission
from exercises.roles import instructor_required
from tutor.views.helpers import AuthedRequest, id_or_none, is_htmx

PAGE_SIZE = 50
RECENT_RUNS = 15


class SubmissionFilterForm(forms.Form):
    exercise = forms.ModelChoiceField(
        CodingExercise.objects.select_related("topic").order_by(
            "topic__lecture__number", "topic__order", "order", "slug"
        ),
        required=False,
        empty_label="All exercises",
    )
    student = forms.CharField(required=False, max_length=150)
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Submission.Status.choices]
    )
    short_passes = forms.BooleanField(
        required=False, label="Only passes on fewer results than cases"
    )

    def filters(self) -> SubmissionFilter:
        if not self.is_valid():
            return SubmissionFilter()
        return SubmissionFilter(**self.cleaned_data)


@instructor_required
def regrade(request: HttpRequest) -> HttpResponse:
    form = SubmissionFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(regrade_candidates(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "instructor/regrade.html",
        {
            "form": form,
            "page": page,
            "exercise": filters.exercise,
            "short_passes": filters.short_passes,
            "query": query.urlencode(),
            "runs": run_list()[:RECENT_RUNS],
        },
    )


@instructor_required
@require_POST
def regrade_start(request: AuthedRequest) -> HttpResponse:
    """A dry run over the ticked submissions, or every submission of one exercise."""
    exercise = _posted_exercise(request)
    ids = [
        number
        for value in request.POST.getlist("submission")
        if (number := id_or_none(value)) is not None
    ]
    try:
        run = service.regrade_dry_run_create(
            actor=request.user, submission_ids=ids, exercise=exercise
        )
    except service.RegradeRefused as exc:
        messages.error(request, exc.message)
        return redirect(_back_to_list(request))
    return redirect("instructor:regrade-run", run.pk)


@instructor_required
@require_POST
def regrade_short_passes(request: AuthedRequest) -> HttpResponse:
    """Regrade every pass stored on fewer results than cases, applying the new
    scores (lower ones too): a forged pass keeps nothing."""
    exercise = _posted_exercise(request)
    try:
        run = short_passes_regrade(actor=request.user, exercise=exercise)
    except service.RegradeRefused as exc:
        messages.info(request, exc.message)
        return redirect(_back_to_list(request))
    return redirect("instructor:regrade-run", run.pk)


def _posted_exercise(request: HttpRequest) -> CodingExercise | None:
    """The exercise the form names, or None (every exercise) when it names none;
    a value that is not one of their ids is a 404, never "every exercise"."""
    posted = request.POST.get("exercise", "")
    if not posted:
        return None
    exercise_id = id_or_none(posted)
    if exercise_id is None:
        raise Http404("No such exercise")
    return get_object_or_404(CodingExercise, pk=exercise_id)


def _back_to_list(request: HttpRequest) -> str:
    query = request.POST.get("query", "")
    return reverse("instructor:regrade") + (f"?{query}" if query else "")


@instructor_required
def regrade_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(run_list(), pk=run_id)
    report = run_report(run=run) if run.status != RegradeRun.Status.QUEUED else None
    return render(
        request,
        "instructor/regrade_run.html",
        {
            "run": run,
            "report": report,
            "applied_by": run.applied_by.order_by("-pk").first(),
        },
    )


@instructor_required
def regrade_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """The progress line, polled while the run works; reloads the page at the end."""
    run = get_object_or_404(RegradeRun, pk=run_id)
    response = render(request, "instructor/includes/run_progress.html", {"run": run})
    if is_htmx(request) and run.status in (
        RegradeRun.Status.DONE,
        RegradeRun.Status.ERROR,
    ):
        response["HX-Refresh"] = "true"
    return response


@instructor_required
@require_POST
def regrade_apply(request: AuthedRequest, run_id: int) -> HttpResponse:
    dry_run = get_object_or_404(RegradeRun, pk=run_id)
    try:
        run = service.regrade_apply_create(
            actor=request.user,
            dry_run=dry_run,
            never_lower=request.POST.get("never_lower") == "on",
            reason=request.POST.get("reason", ""),
        )
    except service.RegradeRefused as exc:
        messages.error(request, exc.message)
        return redirect("instructor:regrade-run", dry_run.pk)
    return redirect("instructor:regrade-run", run.pk)


@instructor_required
@require_POST
def regrade_resume(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(RegradeRun, pk=run_id)
    if service.regrade_resume(run=run):
        messages.success(request, "The run was sent to the grading worker again.")
    else:
        messages.info(request, "The run is in hand or finished; nothing to resume.")
    return redirect("instructor:regrade-run", run.pk)
