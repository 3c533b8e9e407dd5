"""Courses in the Django admin, for site staff (instructors run their courses
from the course pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from exercises.admin.accessible import NamedInline, NamedInputs
from tutor.courses.models import (
    Assignment,
    AssignmentItem,
    Course,
    Extension,
    Membership,
    Work,
)


# Users by id with the admin's lookup rather than an autocomplete box: the
# autocomplete's combobox has no accessible name.
class MembershipInline(NamedInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "role", "time_multiplier", "source")
    readonly_fields = ("source",)


@admin.register(Course)
class CourseAdmin(NamedInputs, admin.ModelAdmin):
    list_display = ("code", "title", "term", "is_active", "invite_code")
    search_fields = ("code", "title", "term")
    filter_horizontal = ("topics",)
    inlines = (MembershipInline,)


class ItemInline(NamedInline):
    model = AssignmentItem
    extra = 0


@admin.register(Assignment)
class AssignmentAdmin(NamedInputs, admin.ModelAdmin):
    list_display = ("title", "course", "opens_at", "due_at", "scoring", "is_published")
    list_filter = ("course", "is_published", "scoring")
    search_fields = ("title", "slug", "course__code")
    inlines = (ItemInline,)


@admin.register(Extension)
class ExtensionAdmin(NamedInputs, admin.ModelAdmin):
    list_display = ("assignment", "user", "due_at", "late_until", "granted_by")
    raw_id_fields = ("user",)
    # Who granted it is recorded, not typed (the field is required in a form
    # otherwise, as it may not be blank).
    readonly_fields = ("granted_by",)

    def save_model(
        self, request: HttpRequest, obj: Extension, form: Any, change: bool
    ) -> None:
        if obj.granted_by_id is None:
            obj.granted_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(Work)
class WorkAdmin(NamedInputs, admin.ModelAdmin):
    list_display = ("assignment", "user", "item", "late", "created_at")
    list_filter = ("assignment__course", "late")
    raw_id_fields = ("quiz_attempt", "submission", "mock_exam", "item", "user")
