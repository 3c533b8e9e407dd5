"""The admin is for instructors only, and the study plan's models in it.

The default admin site lets in staff users; here it lets in instructors
(`is_instructor`: staff in the instructors group, or a superuser). Anyone
else is sent to the admin's sign-in page, which says the account has no
access. Mock-exam blueprints are edited with a rule per row; students'
exams, review cards and personal sheets are read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from exercises.admin.accessible import NamedInline
from exercises.admin.auditing import AuditedAdmin
from exercises.admin.forms import FormsetField, FormsetFieldsMixin, RowForm
from exercises.admin.records import ReadOnlyAdmin
from exercises.models import Topic
from exercises.roles import is_instructor
from tutor.models import (
    ExamBlueprint,
    Mastery,
    MasteryEvent,
    MockExam,
    MockExamItem,
    PersonalSheet,
    ReviewCard,
)


def _instructors_only(request: HttpRequest) -> bool:
    return is_instructor(request.user)


admin.site.has_permission = _instructors_only  # type: ignore[method-assign]
admin.site.site_header = "DL tutor: instructors"
admin.site.site_title = "DL tutor admin"
admin.site.index_title = "Course content and records"


def topic_choices() -> list[tuple[str, str]]:
    # A blank first choice: a blank row then posts nothing and is ignored.
    return [("", "—")] + [
        (topic.code, str(topic)) for topic in Topic.objects.select_related("lecture")
    ]


class RuleForm(RowForm):
    topic = forms.ChoiceField(choices=topic_choices)
    count = forms.IntegerField(min_value=1, max_value=50)


class BlueprintForm(FormsetFieldsMixin, forms.ModelForm):
    rules = FormsetField(
        RuleForm,
        extra=2,
        help_text="Questions drawn from each topic. No rule: drawn at random.",
    )

    class Meta:
        model = ExamBlueprint
        fields = ["name", "duration_minutes", "rules", "random_count", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["rules"] = [
            {
                "origin": index,
                "topic": str(rule.get("topic")),
                "count": rule.get("count"),
            }
            for index, rule in enumerate(self.instance.rules or [])
        ]
        self.setup_formset_fields()

    def clean_rules(self) -> list[dict[str, Any]]:
        rules = [
            {"topic": row["topic"], "count": row["count"]}
            for row in self.cleaned_data["rules"]
        ]
        topics = [rule["topic"] for rule in rules]
        if len(set(topics)) != len(topics):
            raise forms.ValidationError("Each topic once: add up its counts instead.")
        return rules


@admin.register(ExamBlueprint)
class ExamBlueprintAdmin(AuditedAdmin):
    form = BlueprintForm
    list_display = ("name", "duration_minutes", "question_count", "is_active")
    list_filter = ("is_active",)

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description="Questions")
    def question_count(self, blueprint: ExamBlueprint) -> int:
        if not blueprint.rules:
            return blueprint.random_count
        return sum(int(rule.get("count", 0)) for rule in blueprint.rules)


class MockExamItemInline(NamedInline):
    model = MockExamItem
    fields = ("position", "question", "seed", "score")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MockExam)
class MockExamAdmin(ReadOnlyAdmin):
    list_display = ("user", "title", "started_at", "submitted_at", "timed_out", "score")
    list_filter = ("timed_out", "blueprint")
    search_fields = ("user__username", "title")
    list_select_related = ("user",)
    date_hierarchy = "started_at"
    inlines = [MockExamItemInline]


@admin.register(ReviewCard)
class ReviewCardAdmin(ReadOnlyAdmin):
    list_display = (
        "user",
        "question",
        "exercise",
        "form_served",
        "due",
        "reviews",
        "last_rating",
    )
    list_filter = ("form_served",)
    search_fields = ("user__username", "question__slug", "exercise__slug")
    list_select_related = ("user", "question", "exercise")


@admin.register(Mastery)
class MasteryAdmin(ReadOnlyAdmin):
    list_display = ("user", "topic", "p_learned", "observations", "state")
    list_filter = ("state", "topic")
    search_fields = ("user__username",)
    list_select_related = ("user", "topic")


@admin.register(MasteryEvent)
class MasteryEventAdmin(ReadOnlyAdmin):
    list_display = (
        "user",
        "topic",
        "source",
        "kind",
        "correct",
        "p_before",
        "p_after",
        "created_at",
    )
    list_filter = ("source", "correct", "topic")
    search_fields = ("user__username", "source_key")
    list_select_related = ("user", "topic")
    date_hierarchy = "created_at"


@admin.register(PersonalSheet)
class PersonalSheetAdmin(ReadOnlyAdmin):
    list_display = ("title", "user", "updated_at")
    search_fields = ("title", "user__username")
    list_select_related = ("user",)
