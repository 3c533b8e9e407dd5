"""Regrading a course's submissions: the site's regrade runs (dry run, then
apply; exercises/coding/regrade), over the submissions made for the course's
assignments only. A run started here is shown here only when every
submission it holds is the course's."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from exercises.coding.regrade import runs as service
from exercises.coding.regrade.pages import run_list, run_report
from exercises.models import CodingExercise, RegradeRun, Submission
from tutor.courses.access import Role, course_role_required
from tutor.courses.models import Course
from tutor.views.course_forms import RegradeFilterForm
from tutor.views.helpers import AuthedRequest, id_or_none, is_htmx

PAGE_SIZE = 50


def course_submissions(course: Course) -> QuerySet[Submission]:
    """Submissions made for the course's assignments, newest first."""
    return (
        Submission.objects.filter(work__assignment__course=course)
        .defer("source", "report")
        .annotate(verdict=KT("report__verdict"))
        .select_related("user", "exercise")
        .order_by("-created_at", "-id")
    )


def _exercises(course: Course) -> QuerySet[CodingExercise]:
    return CodingExercise.objects.filter(
        pk__in=course_submissions(course).values("exercise")
    ).order_by("slug")


@course_role_required(Role.TA)
def regrade(request: AuthedRequest, course: Course, role: str) -> HttpResponse:
    form = RegradeFilterForm(request.GET or None, exercises=_exercises(course))
    submissions = course_submissions(course)
    exercise = form.chosen_exercise()
    if exercise is not None:
        submissions = submissions.filter(exercise=exercise)
    if form.is_valid() and form.cleaned_data.get("student"):
        submissions = submissions.filter(
            user__username__icontains=form.cleaned_data["student"]
        )
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = set(course_submissions(course).values_list("pk", flat=True))
    runs = [
        run
        for run in run_list().filter(exercise__isnull=True).order_by("-created_at")[:50]
        if run.submission_ids and set(run.submission_ids) <= ids
    ][:15]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/staff/regrade.html",
        {
            "course": course,
            "form": form,
            "page": page,
            "runs": runs,
            "query": query.urlencode(),
        },
    )


@require_POST
@course_role_required(Role.TA)
def regrade_start(request: AuthedRequest, course: Course, role: str) -> HttpResponse:
    """A dry run over the ticked submissions of the course."""
    allowed = course_submissions(course)
    posted = [
        number
        for value in request.POST.getlist("submission")
        if (number := id_or_none(value)) is not None
    ]
    ids = list(allowed.filter(pk__in=posted).values_list("pk", flat=True))
    try:
        run = service.regrade_dry_run_create(actor=request.user, submission_ids=ids)
    except service.RegradeRefused as exc:
        messages.error(request, exc.message)
        return redirect("course-regrade", course.code)
    return redirect("course-regrade-run", course.code, run.pk)


def _run_or_404(course: Course, run_id: int) -> RegradeRun:
    run = run_list().filter(pk=run_id).first()
    ids = set(course_submissions(course).values_list("pk", flat=True))
    if run is None or not run.submission_ids or not set(run.submission_ids) <= ids:
        raise Http404("No such regrade run in this course")
    return run


@course_role_required(Role.TA)
def regrade_run(
    request: AuthedRequest, course: Course, role: str, run_id: int
) -> HttpResponse:
    run = _run_or_404(course, run_id)
    report = run_report(run=run) if run.status != RegradeRun.Status.QUEUED else None
    return render(
        request,
        "courses/staff/regrade_run.html",
        {
            "course": course,
            "run": run,
            "report": report,
            "applied_by": run.applied_by.order_by("-pk").first(),
        },
    )


@course_role_required(Role.TA)
def regrade_progress(
    request: AuthedRequest, course: Course, role: str, run_id: int
) -> HttpResponse:
    run = _run_or_404(course, run_id)
    response = render(
        request,
        "courses/staff/includes/run_progress.html",
        {"course": course, "run": run},
    )
    if is_htmx(request) and run.status in (
        RegradeRun.Status.DONE,
        RegradeRun.Status.ERROR,
    ):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@course_role_required(Role.TA)
def regrade_apply(
    request: AuthedRequest, course: Course, role: str, run_id: int
) -> HttpResponse:
    dry_run = _run_or_404(course, run_id)
    try:
        run = service.regrade_apply_create(
            actor=request.user,
            dry_run=dry_run,
            never_lower=request.POST.get("never_lower") == "on",
            reason=request.POST.get("reason", ""),
        )
    except service.RegradeRefused as exc:
        messages.error(request, exc.message)
        return redirect("course-regrade-run", course.code, dry_run.pk)
    return redirect("course-regrade-run", course.code, run.pk)
