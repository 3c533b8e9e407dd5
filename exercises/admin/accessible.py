"""Names for the inputs Django's admin leaves without one.

A tabular inline heads each column with the field's label, which is no
accessible name for the inputs below it; a split date-time writes "Date:" and
"Time:" as bare text beside its two boxes. Admins that mix in `NamedInputs`
(and inlines built on `NamedInline`) give every such input an `aria-label`:
"Opens at, date", "Role (membership: alice in dl-2026)", "Delete (topic 6.10)".
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.text import capfirst

PARTS = ("date", "time")


def name_input(field: forms.Field, name: str) -> None:
    """`name` for the field's input, or for each box of a split date-time."""
    widget: Any = getattr(field.widget, "widget", field.widget)  # related wrappers
    parts = getattr(widget, "widgets", None)
    if parts:
        for part, word in zip(parts, PARTS, strict=False):
            part.attrs["aria-label"] = f"{name}, {word}"
    else:
        widget.attrs["aria-label"] = name


class NamedInputs:
    """For a ModelAdmin: the boxes of every split date-time are named."""

    def formfield_for_dbfield(
        self, db_field: Any, request: Any, **kwargs: Any
    ) -> forms.Field | None:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and getattr(field.widget, "widgets", None):
            name_input(field, capfirst(str(field.label or db_field.name)))
        return field


class NamedInline(NamedInputs, admin.TabularInline):
    """A tabular inline whose every input is named by its column and row."""

    def get_formset(self, request: Any, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        noun = str(self.model._meta.verbose_name)

        def add_fields(self: Any, form: Any, index: int | None) -> None:
            formset.add_fields(self, form, index)
            instance = getattr(form, "instance", None)
            row = (
                f"{noun}: {instance}"
                if getattr(instance, "pk", None)
                else f"new {noun}"
            )
            for name, field in form.fields.items():
                if not field.widget.is_hidden:
                    name_input(field, f"{capfirst(str(field.label or name))} ({row})")

        return type(formset.__name__, (formset,), {"add_fields": add_fields})
