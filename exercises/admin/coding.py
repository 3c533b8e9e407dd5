"""Coding exercises: an engine spec, or the instructor's own reference and
case generator, validated in the sandbox before students can see them."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.safestring import SafeString, mark_safe

from exercises import audit
from exercises.admin.coding_form import CodingExerciseForm
from exercises.coding.own_exercises.publishing import PublishRefused, exercise_publish
from exercises.coding.own_exercises.validation import request_validation
from exercises.coding.report import policy
from exercises.models import CodingExercise
from exercises.roles import instructor_required

SHOWN_CASES = 5
Validation = CodingExercise.Validation


@admin.register(CodingExercise)
class CodingExerciseAdmin(admin.ModelAdmin):
    form = CodingExerciseForm
    list_display = (
        "slug", "title", "topic", "grader", "validation_status", "is_published",
    )  # fmt: skip
    list_filter = ("topic__lecture", "topic", "is_published", "validation_status")
    search_fields = ("slug", "title", "prompt")
    readonly_fields = ("validation_panel",)
    actions = ("validate_in_sandbox", "publish", "unpublish")

    class Media:
        css = {"all": ("css/admin-coding.css",)}

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets: list[tuple[str, dict[str, Any]]] = [
            ("Statement", {"fields": ("topic", "slug", "title", "prompt", ("difficulty", "order"))}),
            ("Grader: an engine spec, or your own reference", {
                "fields": (
                    "engine_spec", "entry_point", "reference_solution", "case_generator",
                    ("tolerance_abs", "tolerance_rel"),
                ),
                "description": (
                    "Exactly one of the two. Your own reference and case generator "
                    "run only in the sandbox, never on the server: saving queues a "
                    "validation, whose result appears at the end of this page. "
                    "Every student is graded on the same stored cases."
                ),
            }),
            ("Starter code", {"fields": ("starter_code",)}),
            ("Hints", {"fields": ("hints_text",)}),
            ("Feedback and due date", {
                "fields": ("case_feedback", "hidden_case_feedback", "case_overrides", "due_at"),
            }),
            ("Limits", {"fields": (("limit_cpu_seconds", "limit_wall_seconds", "limit_memory_mb"),)}),
            ("Publishing", {
                "fields": ("is_published",),
                "description": (
                    "An own exercise can be published once its validation has passed "
                    "for its current code."
                ),
            }),
        ]  # fmt: skip
        if obj is not None and obj.is_own:
            fieldsets.append(
                ("Validation in the sandbox", {"fields": ("validation_panel",)})
            )
        return fieldsets

    @admin.display(description="Grader")
    def grader(self, obj: CodingExercise) -> str:
        return obj.engine_spec or "own reference"

    @admin.display(description="Validation")
    def validation_panel(self, obj: CodingExercise) -> SafeString:
        if obj.pk is None:
            return mark_safe("")
        return mark_safe(render_to_string(VALIDATION_TEMPLATE, validation_context(obj)))  # noqa: S308 - a rendered template

    # -------------------------------------------------------------- saving

    def save_model(
        self, request: HttpRequest, obj: CodingExercise, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        fields = [name for name in form.changed_data if name != "is_published"]
        if fields or not change:
            summary = "Changed " + ", ".join(fields) if change else "Added"
            action = "change" if change else "add"
            audit.record(request.user, action, obj, summary=summary, fields=fields)
        if "is_published" in form.changed_data or form.unpublished_for_validation:
            action = "publish" if obj.is_published else "unpublish"
            summary = f"{action.capitalize()}ed the coding exercise"
            if form.unpublished_for_validation:
                summary += " until the edited code passes its validation"
            audit.record(request.user, action, obj, summary=summary)
        if obj.is_own and (form.code_changed() or "_validate" in request.POST):
            self._request(request, obj, publish=form.unpublished_for_validation)

    def _request(
        self, request: HttpRequest, obj: CodingExercise, publish: bool
    ) -> None:
        request_validation(
            exercise=obj, actor=request.user, publish_when_passed=publish
        )
        self.message_user(
            request,
            f"{obj.slug}: validation queued. The case generator and the reference "
            "run in the sandbox; the result appears at the end of the change page.",
            messages.INFO,
        )
        if publish:
            self.message_user(
                request,
                f"{obj.slug}: the code changed, so the exercise is unpublished until "
                "the new validation passes; it is published again automatically "
                "when it does.",
                messages.WARNING,
            )

    def delete_model(self, request: HttpRequest, obj: CodingExercise) -> None:
        audit.record(request.user, "delete", obj, summary="Deleted the coding exercise")
        super().delete_model(request, obj)

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[CodingExercise]
    ) -> None:
        for obj in queryset:
            audit.record(
                request.user, "delete", obj, summary="Deleted the coding exercise"
            )
        super().delete_queryset(request, queryset)

    # -------------------------------------------------------------- actions

    @admin.action(description="Validate in the sandbox")
    def validate_in_sandbox(
        self, request: HttpRequest, queryset: QuerySet[CodingExercise]
    ) -> None:
        own = [obj for obj in queryset if obj.is_own]
        for obj in own:
            request_validation(exercise=obj, actor=request.user)
        self.message_user(request, f"{len(own)} validation(s) queued.")
        if len(own) < len(queryset):
            self.message_user(
                request,
                f"{len(queryset) - len(own)} exercise(s) use an engine spec, which "
                "needs no validation.",
                messages.WARNING,
            )

    @admin.action(description="Publish")
    def publish(self, request: HttpRequest, queryset: QuerySet[CodingExercise]) -> None:
        self._set_published(request, queryset, published=True)

    @admin.action(description="Unpublish")
    def unpublish(
        self, request: HttpRequest, queryset: QuerySet[CodingExercise]
    ) -> None:
        self._set_published(request, queryset, published=False)

    def _set_published(
        self, request: HttpRequest, queryset: QuerySet[CodingExercise], published: bool
    ) -> None:
        changed = 0
        for obj in queryset:
            try:
                changed += exercise_publish(
                    exercise=obj, actor=request.user, published=published
                )
            except PublishRefused as exc:
                self.message_user(
                    request,
                    f"{obj.slug} was not published: {exc.message}",
                    messages.ERROR,
                )
        verb = "published" if published else "unpublished"
        self.message_user(request, f"{changed} exercise(s) {verb}.")

    # -------------------------------------------------------------- pages

    def get_urls(self) -> list[URLPattern]:
        # The instructors' gate (exercises.roles): a student gets a 403, an
        # anonymous visitor the sign-in page.
        def guarded(view: Any) -> Any:
            return instructor_required(self.admin_site.admin_view(view))

        own = [
            path(
                "<int:object_id>/preview/",
                guarded(self.preview_view),
                name="exercises_codingexercise_preview",
            ),
            path(
                "<int:object_id>/validation/",
                guarded(self.validation_view),
                name="exercises_codingexercise_validation",
            ),
        ]
        return own + super().get_urls()

    def preview_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        exercise = get_object_or_404(
            CodingExercise.objects.select_related("topic"), pk=object_id
        )
        reference = (exercise.validation_report or {}).get("reference_report")
        report = policy.full_report(reference)
        featured, others = policy.first_failure(report["cases"] if report else [])
        return render(
            request,
            "admin/exercises/codingexercise/preview.html",
            {
                **validation_context(exercise),
                "report": report,
                "featured": featured,
                "other_cases": others,
                "change_url": reverse(
                    "admin:exercises_codingexercise_change", args=[exercise.pk]
                ),
            },
        )

    def validation_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        exercise = get_object_or_404(CodingExercise, pk=object_id)
        return render(request, VALIDATION_TEMPLATE, validation_context(exercise))


VALIDATION_TEMPLATE = "admin/exercises/codingexercise/validation.html"


def validation_context(exercise: CodingExercise) -> dict[str, Any]:
    """What the validation panel (and the preview) show of an exercise."""
    report = exercise.validation_report or {}
    current = exercise.source_hash()
    return {
        "exercise": exercise,
        "vreport": report,
        "active": exercise.validation_status in (Validation.QUEUED, Validation.RUNNING),
        "stale": bool(exercise.validated_source_hash)
        and exercise.validated_source_hash != current,
        "publish_problem": exercise.publish_problem(),
        "signature": _signature(exercise),
        "cases": [_shown_case(case) for case in exercise.generated_cases[:SHOWN_CASES]],
        "case_count": len(exercise.generated_cases),
        "preview_url": reverse(
            "admin:exercises_codingexercise_preview", args=[exercise.pk]
        ),
        "status_url": reverse(
            "admin:exercises_codingexercise_validation", args=[exercise.pk]
        ),
    }


def _signature(exercise: CodingExercise) -> str:
    """What students write, e.g. `softmax(x, axis)`: the arguments are the
    stored cases' inputs, in order."""
    from engine.stored import signature

    cases = exercise.generated_cases
    arguments = [name for name, _ in cases[0].get("inputs", [])] if cases else []
    return signature(exercise.entry_point, arguments) if cases else ""


def _shown_case(case: dict[str, Any]) -> dict[str, Any]:
    from engine.report import jsonable
    from engine.stored import from_stored

    def text(value: Any) -> str:
        shown = json.dumps(jsonable(from_stored(value)), ensure_ascii=False)
        return shown if len(shown) <= 300 else shown[:299] + "…"

    return {
        "name": case.get("name", ""),
        "label": case.get("label", ""),
        "hidden": case.get("hidden", False),
        "inputs": [(name, text(value)) for name, value in case.get("inputs", [])],
        "expected": text(case.get("expected")),
    }
