"""The instructors' queue of problems students report: open ones first, a link
to the item, and an action that marks reports resolved."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from exercises.models import ProblemReport


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ("created_at", "status", "user", "item_link", "seed", "short_note")
    list_filter = ("status", "question__topic", "exercise__topic", "created_at")
    search_fields = (
        "note",
        "user__username",
        "question__slug",
        "exercise__slug",
    )
    list_select_related = ("user", "question", "exercise")
    date_hierarchy = "created_at"
    ordering = ("-status", "-created_at")  # "open" sorts after "resolved"
    actions = ("mark_resolved", "mark_open")
    readonly_fields = (
        "user",
        "item_link",
        "question",
        "exercise",
        "seed",
        "submission",
        "note",
        "answer",
        "source",
        "created_at",
        "resolved_at",
    )
    fields = ("status", *readonly_fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="item")
    def item_link(self, report: ProblemReport) -> str:
        item = report.item
        if item is None:
            return "—"
        return format_html('<a href="{}">{}</a>', item.get_absolute_url(), item)

    @admin.display(description="note")
    def short_note(self, report: ProblemReport) -> str:
        return report.note if len(report.note) <= 80 else report.note[:79] + "…"

    @admin.action(description="Mark the selected reports resolved")
    def mark_resolved(
        self, request: HttpRequest, queryset: QuerySet[ProblemReport]
    ) -> None:
        count = queryset.filter(status=ProblemReport.Status.OPEN).update(
            status=ProblemReport.Status.RESOLVED, resolved_at=timezone.now()
        )
        self.message_user(
            request, f"{count} report(s) marked resolved.", messages.SUCCESS
        )

    @admin.action(description="Reopen the selected reports")
    def mark_open(
        self, request: HttpRequest, queryset: QuerySet[ProblemReport]
    ) -> None:
        count = queryset.filter(status=ProblemReport.Status.RESOLVED).update(
            status=ProblemReport.Status.OPEN, resolved_at=None
        )
        self.message_user(request, f"{count} report(s) reopened.", messages.SUCCESS)

    def save_model(
        self, request: HttpRequest, obj: ProblemReport, form: Any, change: bool
    ) -> None:
        resolved = obj.status == ProblemReport.Status.RESOLVED
        if resolved and obj.resolved_at is None:
            obj.resolved_at = timezone.now()
        elif not resolved:
            obj.resolved_at = None
        super().save_model(request, obj, form, change)
