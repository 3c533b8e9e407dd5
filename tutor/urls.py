from django.contrib import admin
from django.urls import include, path

from tutor.views import (
    accounts,
    coding,
    exams,
    pages,
    practice,
    progress,
    reports,
    sheets,
    study,
)
from tutor.views import ladder as ladder_views
from tutor.views.coding_runs import run as code_run
from tutor.views.coding_runs import run_page, run_status
from tutor.views.hints import reveal as hint_reveal

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("lectures/<slug:slug>/", pages.lecture, name="lecture"),
    # The sheet's first address; links now use /sheets/<slug>/ (name "cheatsheet").
    path("lectures/<slug:slug>/cheatsheet/", sheets.course, name="cheatsheet-legacy"),
    path("topics/<slug:slug>/", pages.topic, name="topic"),
    path("questions/<slug:slug>/", practice.question, name="question"),
    path("questions/<slug:slug>/answer", practice.answer, name="question-answer"),
    path("questions/<slug:slug>/check", practice.check_form, name="question-check"),
    path("questions/<slug:slug>/hint", practice.hint, name="question-hint"),
    path("topics/<slug:slug>/practise", pages.practise, name="practise"),
    path("review/", study.review, name="review"),
    path("progress/", progress.progress, name="progress"),
    path("next/", progress.next_step, name="next"),
    path("exams/", exams.exams, name="exams"),
    path("exams/start", exams.exam_start, name="exam-start"),
    path("exams/<int:exam_id>/", exams.exam, name="exam"),
    path(
        "exams/<int:exam_id>/items/<int:position>",
        exams.exam_answer,
        name="exam-answer",
    ),
    path(
        "exams/<int:exam_id>/items/<int:position>/flag",
        exams.exam_flag,
        name="exam-flag",
    ),
    path("exams/<int:exam_id>/save", exams.exam_save, name="exam-save"),
    path("exams/<int:exam_id>/review", exams.exam_review, name="exam-review"),
    path("exams/<int:exam_id>/submit", exams.exam_submit, name="exam-submit"),
    path("exercises/<slug:slug>/", coding.exercise, name="exercise"),
    path("exercises/<slug:slug>/submit", coding.submit, name="exercise-submit"),
    path("exercises/<slug:slug>/run", code_run, name="exercise-run"),
    path("runs/<int:run_id>/", run_page, name="code-run"),
    path("runs/<int:run_id>/status", run_status, name="code-run-status"),
    path(
        "exercises/<slug:slug>/submissions",
        coding.exercise_submissions,
        name="exercise-submissions",
    ),
    path("submissions/<int:submission_id>/", coding.submission, name="submission"),
    path(
        "submissions/<int:submission_id>/status",
        coding.submission_status,
        name="submission-status",
    ),
    path(
        "submissions/<int:submission_id>/hints",
        hint_reveal,
        name="submission-hint",
    ),
    # The ladder of an exercise with one (exercises/coding/ladder.py).
    path(
        "exercises/<slug:slug>/ladder/worked",
        ladder_views.worked,
        name="ladder-worked",
    ),
    path("exercises/<slug:slug>/ladder/faded", ladder_views.faded, name="ladder-faded"),
    path(
        "exercises/<slug:slug>/ladder/faded/check",
        ladder_views.faded_check,
        name="ladder-faded-check",
    ),
    path(
        "exercises/<slug:slug>/ladder/parsons",
        ladder_views.parsons,
        name="ladder-parsons",
    ),
    path(
        "exercises/<slug:slug>/ladder/parsons/check",
        ladder_views.parsons_check,
        name="ladder-parsons-check",
    ),
    path(
        "rung-attempts/<int:attempt_id>/",
        ladder_views.rung_attempt,
        name="rung-attempt",
    ),
    path(
        "rung-attempts/<int:attempt_id>/status",
        ladder_views.rung_attempt_status,
        name="rung-attempt-status",
    ),
    path("report/<str:kind>/<slug:slug>", reports.report, name="report-problem"),
    # Cheat sheets: the course's by lecture slug (or "all"), and the student's own.
    path("sheets/", sheets.index, name="sheets"),
    path("sheets/mine/new", sheets.mine_new, name="my-sheet-new"),
    path("sheets/mine/<int:pk>/", sheets.mine, name="my-sheet"),
    path("sheets/mine/<int:pk>/edit", sheets.mine_edit, name="my-sheet-edit"),
    path("sheets/mine/<int:pk>/delete", sheets.mine_delete, name="my-sheet-delete"),
    path("sheets/mine/<int:pk>/pdf", sheets.mine_pdf, name="my-sheet-pdf"),
    path(
        "sheets/mine/<int:pk>/markdown", sheets.mine_markdown, name="my-sheet-markdown"
    ),
    path("sheets/<slug:slug>/", sheets.course, name="cheatsheet"),
    path("sheets/<slug:slug>/pdf", sheets.course_pdf, name="sheet-pdf"),
    path("sheets/<slug:slug>/markdown", sheets.course_markdown, name="sheet-markdown"),
    path("instructor/", include("tutor.urls_instructor")),
    path("courses/", include("tutor.urls_courses")),
    path("lti/", include("tutor.lti.urls")),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

# The site's error pages, and JSON bodies for JSON clients (tutor/views/errors.py).
handler400 = "tutor.views.errors.bad_request"
handler403 = "tutor.views.errors.permission_denied"
handler404 = "tutor.views.errors.page_not_found"
handler500 = "tutor.views.errors.server_error"
