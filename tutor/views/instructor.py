"""The instructors' pages: landing, gradebook (page, CSV, one student) and item
analysis. Regrading is in instructor_regrade.py."""

from __future__ import annotations

import csv
from datetime import date

from django import forms
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from exercises.models import Lecture, Topic
from exercises.roles import instructor_required
from tutor import gradebook as book
from tutor.item_analysis import SORTS, exercise_analysis, item_analysis

DETAIL_ROWS = 200
GRADEBOOK_PAGE = 50  # students on a page of the gradebook


class GradebookFilterForm(forms.Form):
    lecture = forms.ModelChoiceField(
        Lecture.objects.all(), required=False, empty_label="All lectures"
    )
    topic = forms.ModelChoiceField(
        Topic.objects.select_related("lecture"),
        required=False,
        empty_label="All topics",
    )
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            raise forms.ValidationError("The first day comes after the last.")
        return data

    def filters(self) -> book.GradebookFilter:
        """The filter chosen; nothing filtered while the form has errors."""
        if not self.is_valid():
            return book.GradebookFilter()
        return book.GradebookFilter(**self.cleaned_data)


def _filter_form(request: HttpRequest) -> GradebookFilterForm:
    return GradebookFilterForm(request.GET or None)


@instructor_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "instructor/index.html")


@instructor_required
def gradebook(request: HttpRequest) -> HttpResponse:
    """A page of GRADEBOOK_PAGE students (a whole class made a page of
    megabytes); the CSV holds them all."""
    form = _filter_form(request)
    students = book.student_list()
    page = Paginator(students, GRADEBOOK_PAGE).get_page(request.GET.get("page"))
    shown = students.filter(pk__in=[student.pk for student in page.object_list])
    filters_only = request.GET.copy()
    filters_only.pop("page", None)
    return render(
        request,
        "instructor/gradebook.html",
        {
            "form": form,
            "book": book.gradebook_build(filters=form.filters(), students=shown),
            "page": page,
            "query": filters_only.urlencode(),
        },
    )


@instructor_required
def gradebook_csv(request: HttpRequest) -> HttpResponse:
    """The gradebook as filtered, one row per student, for a spreadsheet."""
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        # Never an unfiltered file where a filtered one was asked for.
        return HttpResponseBadRequest(form.errors.as_text(), content_type="text/plain")
    filters = form.filters()
    name = "-".join(
        ["gradebook", *book.filter_label(filters), f"{timezone.localdate():%Y%m%d}"]
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    csv.writer(response).writerows(book.csv_rows(book.gradebook_build(filters=filters)))
    return response


@instructor_required
def student(request: HttpRequest, user_id: int) -> HttpResponse:
    learner: User = get_object_or_404(book.student_list(), pk=user_id)
    form = _filter_form(request)
    filters = form.filters()
    summary = book.gradebook_build(
        filters=filters, students=book.student_list().filter(pk=learner.pk)
    )
    row = summary.rows[0]
    attempts = book.student_attempts(student=learner, filters=filters)
    submissions = book.student_submissions(student=learner, filters=filters)
    return render(
        request,
        "instructor/student.html",
        {
            "form": form,
            "learner": learner,
            "topic_rows": list(
                zip(summary.topics, row.topics, row.exams.by_topic, strict=True)
            ),
            "attempts": attempts[:DETAIL_ROWS],
            "attempt_count": attempts.count(),
            "submissions": submissions[:DETAIL_ROWS],
            "submission_count": submissions.count(),
            "exams": book.student_exams(student=learner, filters=filters),
            "limit": DETAIL_ROWS,
            "query": request.GET.urlencode(),
        },
    )


@instructor_required
def items(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    filters = form.filters()
    sort = request.GET.get("sort", "discrimination")
    sort = sort if sort in SORTS else "discrimination"
    return render(
        request,
        "instructor/items.html",
        {
            "form": form,
            "rows": item_analysis(filters=filters, sort=sort),
            "exercises": exercise_analysis(filters=filters),
            "sort": sort,
            "sorts": list(SORTS),
        },
    )
