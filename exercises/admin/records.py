"""Students' records (attempts, submissions, progress), regrade runs and the
audit log: read-only. Scores change only through grading and regrades, which
keep their own record; the audit log is evidence and is never edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from exercises.admin.accessible import NamedInline
from exercises.models import (
    AuditEntry,
    QuestionProgress,
    QuizAttempt,
    RegradeChange,
    RegradeRun,
    Submission,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and detail pages; no add, change or delete for anyone."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnlyAdmin):
    list_display = ("user", "question", "is_correct", "score", "created_at")
    list_filter = ("is_correct", "question__topic")
    search_fields = ("user__username", "question__slug")
    list_select_related = ("user", "question")
    date_hierarchy = "created_at"


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "user",
        "exercise",
        "status",
        "score",
        "attempts",
        "engine_version",
        "created_at",
    )
    list_filter = ("status", "exercise")
    search_fields = ("user__username", "exercise__slug")
    list_select_related = ("user", "exercise")
    date_hierarchy = "created_at"


@admin.register(QuestionProgress)
class QuestionProgressAdmin(ReadOnlyAdmin):
    list_display = (
        "user",
        "question",
        "attempts",
        "correct",
        "last_correct",
        "last_attempt_at",
    )
    search_fields = ("user__username", "question__slug")
    list_select_related = ("user", "question")


class RegradeChangeInline(NamedInline):
    model = RegradeChange
    fields = (
        "submission",
        "old_score",
        "new_score",
        "old_verdict",
        "new_verdict",
        "applied",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RegradeRun)
class RegradeRunAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "exercise",
        "dry_run",
        "status",
        "done",
        "total",
        "created_by",
        "created_at",
    )
    list_filter = ("dry_run", "status")
    inlines = [RegradeChangeInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "actor_name",
        "action",
        "target_type",
        "target_label",
        "summary",
    )
    list_filter = ("action", "target_type")
    search_fields = ("actor_name", "target_label", "summary", "target_id")
    date_hierarchy = "created_at"
