"""The code hints students opened (exercises.coding.hints): read-only, by
exercise, mistake and level, with click-through flagged (two levels of one
ladder opened within 10 s of each other), which is said to instructors and
never to the student."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from exercises.admin.records import ReadOnlyAdmin
from exercises.coding.hints import CLICK_THROUGH
from exercises.models import HintReveal


def with_click_through(reveals: QuerySet[HintReveal]) -> QuerySet[HintReveal]:
    """Each reveal annotated `clicked_through`: another level of the same
    student's ladder (exercise and mistake) was opened within CLICK_THROUGH."""
    near = HintReveal.objects.filter(
        user=OuterRef("user"),
        exercise=OuterRef("exercise"),
        mistake_id=OuterRef("mistake_id"),
        created_at__gt=OuterRef("created_at") - CLICK_THROUGH,
        created_at__lt=OuterRef("created_at") + CLICK_THROUGH,
    ).exclude(level=OuterRef("level"))
    return reveals.annotate(clicked_through=Exists(near))


@admin.register(HintReveal)
class HintRevealAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "user",
        "exercise",
        "mistake_id",
        "level",
        "clicked_through_flag",
        "seconds_since_last_action",
        "submission_link",
    )
    list_filter = ("exercise", "mistake_id", "level")
    search_fields = ("user__username", "exercise__slug", "mistake_id")
    list_select_related = ("user", "exercise")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[HintReveal]:
        return with_click_through(super().get_queryset(request))

    @admin.display(
        description="clicked through (< 10 s)",
        boolean=True,
        ordering="clicked_through",
    )
    def clicked_through_flag(self, reveal: HintReveal) -> bool:
        return bool(getattr(reveal, "clicked_through", False))

    @admin.display(description="submission")
    def submission_link(self, reveal: HintReveal) -> str:
        if reveal.submission_id is None:
            return "—"
        url = reverse("submission", args=[reveal.submission_id])
        return format_html('<a href="{}">#{}</a>', url, reveal.submission_id)
