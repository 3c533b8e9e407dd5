"""Quiz questions: authoring with a form fitted to each kind, a preview of
any seed, publishing, and export to Moodle XML."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from exercises.admin.auditing import AuditedAdmin
from exercises.admin.preview import question_preview
from exercises.admin.question_form import QuestionForm, generators_help
from exercises.admin.spec import field_kinds
from exercises.exports.moodle import moodle_export
from exercises.models import Question
from exercises.services.content import content_publish

ANSWER_FIELDS = (
    "variables",
    "mode",
    "items",
    "answer",
    ("tolerance_abs", "tolerance_rel"),
    "wrong",
)


class NamedPublishedForm(forms.ModelForm):
    """A row of the question list: its "Is published" box names its question
    (a column heading is no accessible name for a checkbox)."""

    class Meta:
        model = Question
        fields = ["is_published"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label = f"{self.instance.slug} is published"
        self.fields["is_published"].widget.attrs["aria-label"] = label


@admin.register(Question)
class QuestionAdmin(AuditedAdmin):
    form = QuestionForm
    change_form_template = "admin/exercises/question/change_form.html"
    list_display = (
        "slug",
        "title",
        "topic",
        "kind",
        "difficulty",
        "is_published",
        "updated_at",
        "preview_link",
    )
    list_filter = ("kind", "topic__lecture", "topic", "difficulty", "is_published")
    search_fields = ("slug", "title", "prompt", "explanation")
    list_select_related = ("topic",)
    list_editable = ("is_published",)
    actions = ["publish", "unpublish", "export_moodle"]
    save_on_top = True

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/question-kinds.js"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            (
                None,
                {
                    "fields": (
                        ("topic", "kind"),
                        ("slug", "order"),
                        "title",
                        "prompt",
                        "explanation",
                        "hints",
                        ("difficulty", "tags"),
                        "is_published",
                    )
                },
            ),
            (
                "Variants",
                {
                    "fields": ("generator", "params", "figure"),
                    "description": generators_help(),
                },
            ),
            ("Options", {"fields": ("shuffle", "options")}),
            ("Answer", {"fields": ANSWER_FIELDS}),
            ("Steps", {"fields": ("parts",)}),
            ("Advanced", {"fields": ("spec",), "classes": ("collapse",)}),
        ]

    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> Any:
        return NamedPublishedForm

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        context["field_kinds"] = field_kinds()
        return super().render_change_form(request, context, *args, **kwargs)

    @admin.display(description="Preview")
    def preview_link(self, obj: Question) -> str:
        url = reverse("admin:exercises_question_preview", args=[obj.pk])
        return format_html('<a href="{}">preview</a>', url)

    def get_urls(self) -> list[URLPattern]:
        preview = path(
            "<path:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="exercises_question_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        question = self.get_object(request, object_id)
        if question is None or not self.has_view_permission(request, question):
            raise Http404("No such question")
        return question_preview(request, question)

    @admin.action(description="Publish the selected questions")
    def publish(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = content_publish(actor=request.user, objects=queryset, published=True)
        self.message_user(request, f"{count} question(s) published.", messages.SUCCESS)

    @admin.action(description="Unpublish the selected questions")
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        count = content_publish(actor=request.user, objects=queryset, published=False)
        self.message_user(
            request, f"{count} question(s) unpublished.", messages.SUCCESS
        )

    @admin.action(description="Export to Moodle XML")
    def export_moodle(
        self, request: HttpRequest, queryset: QuerySet[Question]
    ) -> HttpResponse:
        export = moodle_export(queryset.select_related("topic__lecture"))
        response = HttpResponse(export.xml, content_type="application/xml")
        response["Content-Disposition"] = 'attachment; filename="questions-moodle.xml"'
        return response
