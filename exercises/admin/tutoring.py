"""What students did on the tutoring layer that is not a submission, for
instructors (read-only): runs before submitting ("ran 0 times before a failed
submit") and answers to the ladder's lower rungs."""

from __future__ import annotations

from django.contrib import admin

from exercises.admin.records import ReadOnlyAdmin
from exercises.models import CodeRun, RungAttempt


@admin.register(CodeRun)
class CodeRunAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "user",
        "exercise",
        "on",
        "status",
        "matched",
        "total",
        "duration_ms",
    )
    list_filter = ("on", "status", "exercise")
    search_fields = ("user__username", "exercise__slug")
    list_select_related = ("user", "exercise")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)


@admin.register(RungAttempt)
class RungAttemptAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "user",
        "exercise",
        "rung",
        "status",
        "passed",
        "mistake_id",
        "is_first",
        "help_used",
        "for_review",
    )
    list_filter = ("rung", "passed", "is_first", "for_review", "exercise")
    search_fields = ("user__username", "exercise__slug", "mistake_id")
    list_select_related = ("user", "exercise")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
