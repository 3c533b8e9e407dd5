"""Cheat sheets: the course's (per lecture or all) and each student's own, as a
printable HTML page, a PDF (headless Chromium) and Markdown."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from exercises.models import Lecture, Topic
from tutor import mastery, personal_sheets
from tutor.cheatsheets import (
    ALL,
    Sheet,
    course_sheet,
    personal_sheet,
    sheet_markdown,
    sheet_print_html,
)
from tutor.models import PersonalSheet
from tutor.pdf import PdfFailed, PdfUnavailable, html_to_pdf
from tutor.sheet_forms import PersonalSheetForm
from tutor.views.helpers import AuthedRequest, int_or_none

logger = logging.getLogger(__name__)
WEAKEST_MAX = 20


# --- Rendering one sheet three ways ------------------------------------------------


def _page(
    request: HttpRequest, sheet: Sheet, links: dict[str, str], **extra: Any
) -> HttpResponse:
    return render(
        request, "sheets/sheet.html", {"sheet": sheet, "links": links, **extra}
    )


def _disposition(response: HttpResponse, *, attachment: bool, filename: str) -> None:
    header = content_disposition_header(attachment, filename)
    if header:
        response["Content-Disposition"] = header


def _markdown(sheet: Sheet) -> HttpResponse:
    response = HttpResponse(
        sheet_markdown(sheet), content_type="text/markdown; charset=utf-8"
    )
    _disposition(response, attachment=True, filename=f"{sheet.filename}.md")
    return response


def _pdf(request: HttpRequest, sheet: Sheet, links: dict[str, str]) -> HttpResponse:
    try:
        pdf = html_to_pdf(sheet_print_html(sheet))
    except (PdfUnavailable, PdfFailed) as error:
        logger.warning("No PDF for %r: %s", sheet.title, error)
        context = {
            "sheet": sheet,
            "links": links,
            "missing": isinstance(error, PdfUnavailable),
        }
        return render(request, "sheets/pdf_unavailable.html", context, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    # Inline: the browser shows it, and saves it under this name.
    _disposition(response, attachment=False, filename=f"{sheet.filename}.pdf")
    return response


# --- The course's sheets -------------------------------------------------------


def _course_sheet(slug: str) -> Sheet:
    if slug == ALL:
        return course_sheet(lecture=None)
    return course_sheet(lecture=get_object_or_404(Lecture, slug=slug))


def _course_links(slug: str) -> dict[str, str]:
    return {
        "html": reverse("cheatsheet", args=[slug]),
        "pdf": reverse("sheet-pdf", args=[slug]),
        "markdown": reverse("sheet-markdown", args=[slug]),
    }


def index(request: HttpRequest) -> HttpResponse:
    lectures = list(Lecture.objects.all())
    own = (
        personal_sheets.personal_sheet_list(user=request.user)
        if isinstance(request.user, User)
        else None
    )
    return render(
        request,
        "sheets/index.html",
        {
            "course": [
                (f"Lecture {lecture.number}: {lecture.title}", lecture.slug)
                for lecture in lectures
            ]
            + [("Both lectures", ALL)],
            "own": own,
        },
    )


def course(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, _course_sheet(slug), _course_links(slug))


def course_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    return _pdf(request, _course_sheet(slug), _course_links(slug))


def course_markdown(request: HttpRequest, slug: str) -> HttpResponse:
    return _markdown(_course_sheet(slug))


# --- A student's own sheets -------------------------------------------------------


def _own_sheet(request: AuthedRequest, pk: int) -> PersonalSheet:
    try:
        return personal_sheets.personal_sheet_get(user=request.user, pk=pk)
    except PersonalSheet.DoesNotExist:
        raise Http404("No such sheet") from None


def _own_links(sheet: PersonalSheet) -> dict[str, str]:
    return {
        "html": reverse("my-sheet", args=[sheet.pk]),
        "pdf": reverse("my-sheet-pdf", args=[sheet.pk]),
        "markdown": reverse("my-sheet-markdown", args=[sheet.pk]),
        "edit": reverse("my-sheet-edit", args=[sheet.pk]),
        "delete": reverse("my-sheet-delete", args=[sheet.pk]),
    }


def _topics() -> list[Topic]:
    return list(
        Topic.objects.select_related("lecture").order_by(
            "lecture__number", "order", "code"
        )
    )


def _weakest(request: AuthedRequest) -> dict[str, Any] | None:
    """The `?weakest=N` pre-selection, if asked for: the topics, and how many
    of them the student has tried (the page says how they were chosen)."""
    asked = int_or_none(request.GET.get("weakest", ""), minimum=0)
    if asked is None:
        return None
    count = min(max(asked, 1), WEAKEST_MAX)
    rows = mastery.topic_mastery_list(user=request.user)
    topics = personal_sheets.weakest_topics(rows, count=count)
    tried = {row.topic.pk for row in rows if row.started}
    return {
        "count": count,
        "topics": topics,
        "tried": sum(topic.pk in tried for topic in topics),
    }


def _form_page(
    request: HttpRequest, form: PersonalSheetForm, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {"form": form, "weakest_default": personal_sheets.WEAKEST_DEFAULT}
    return render(request, "sheets/form.html", context | extra, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mine_new(request: AuthedRequest) -> HttpResponse:
    topics = _topics()
    if request.method == "POST":
        form = PersonalSheetForm(request.POST, topics=topics)
        if form.is_valid():
            sheet = personal_sheets.personal_sheet_create(
                user=request.user,
                title=form.cleaned_data["title"],
                topics=form.chosen(),
                notes=form.notes(),
            )
            messages.success(request, "Your sheet is saved.")
            return redirect("my-sheet", sheet.pk)
        return _form_page(request, form, status=400)
    weakest = _weakest(request)
    initial: dict[str, Any] = {"title": "My cheat sheet"}
    if weakest:
        initial = {
            "title": "My weakest topics",
            "topics": [topic.pk for topic in weakest["topics"]],
        }
    form = PersonalSheetForm(initial=initial, topics=topics)
    return _form_page(request, form, weakest=weakest)


@login_required
@require_http_methods(["GET", "POST"])
def mine_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    sheet = _own_sheet(request, pk)
    topics = _topics()
    if request.method == "POST":
        form = PersonalSheetForm(request.POST, topics=topics)
        if form.is_valid():
            personal_sheets.personal_sheet_update(
                sheet=sheet,
                title=form.cleaned_data["title"],
                topics=form.chosen(),
                notes=form.notes(),
            )
            messages.success(request, "Your sheet is saved.")
            return redirect("my-sheet", sheet.pk)
        return _form_page(request, form, sheet=sheet, status=400)
    form = PersonalSheetForm(
        initial=PersonalSheetForm.initial_for(sheet), topics=topics
    )
    return _form_page(request, form, sheet=sheet)


@login_required
@require_http_methods(["GET", "POST"])
def mine_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    sheet = _own_sheet(request, pk)
    if request.method == "POST":
        personal_sheets.personal_sheet_delete(sheet=sheet)
        messages.success(request, f"“{sheet.title}” is deleted.")
        return redirect("sheets")
    return render(request, "sheets/confirm_delete.html", {"sheet": sheet})


@login_required
def mine(request: AuthedRequest, pk: int) -> HttpResponse:
    sheet = _own_sheet(request, pk)
    return _page(request, personal_sheet(sheet=sheet), _own_links(sheet), own=sheet)


@login_required
def mine_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    sheet = _own_sheet(request, pk)
    return _pdf(request, personal_sheet(sheet=sheet), _own_links(sheet))


@login_required
def mine_markdown(request: AuthedRequest, pk: int) -> HttpResponse:
    return _markdown(personal_sheet(sheet=_own_sheet(request, pk)))
