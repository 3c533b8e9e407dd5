"""Admin saves, deletions and bulk actions written to the audit log.

`AuditedAdmin` records every add, change and delete made through its pages
(inline rows included), with the fields that changed; a change of
`is_published` is recorded as a publish or unpublish of its own.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from exercises.audit import record


def form_changes(form: forms.BaseForm) -> dict[str, Any]:
    """What a saved form changed: its own account if it gives one."""
    audit_details = getattr(form, "audit_details", None)
    if callable(audit_details):
        return dict(audit_details())
    return {"fields": list(form.changed_data)}


def _summary(details: dict[str, Any]) -> str:
    names = [
        f"spec ({', '.join(details['spec_keys'])})"
        if name == "spec" and details.get("spec_keys")
        else name
        for name in details["fields"]
        if name != "is_published"
    ]
    return "Changed " + ", ".join(names)


def record_save(
    actor: Any, obj: models.Model, form: forms.BaseForm, change: bool
) -> None:
    details = form_changes(form)
    label = obj._meta.verbose_name
    if not change:
        record(actor, "add", obj, summary=f"Added the {label}", **details)
        return
    if [name for name in details["fields"] if name != "is_published"]:
        record(actor, "change", obj, summary=_summary(details), **details)
    if "is_published" in details["fields"]:
        published = bool(getattr(obj, "is_published", False))
        action = "publish" if published else "unpublish"
        record(actor, action, obj, summary=f"{action.capitalize()}ed the {label}")


def record_delete(actor: Any, obj: models.Model) -> None:
    record(actor, "delete", obj, summary=f"Deleted the {obj._meta.verbose_name}")


class AuditedAdmin(admin.ModelAdmin):
    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        record_save(request.user, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        # Before the deletion, while the object still has its id; the admin's
        # delete view is atomic, so a failed deletion leaves no entry.
        record_delete(request.user, obj)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            record_delete(request.user, obj)
        super().delete_queryset(request, queryset)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                record_delete(request.user, deleted.instance)
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            label = obj._meta.verbose_name
            record(request.user, "add", obj, summary=f"Added the {label}", fields=[])
        for obj, fields in formset.changed_objects:
            details = {"fields": list(fields)}
            record(request.user, "change", obj, summary=_summary(details), **details)
