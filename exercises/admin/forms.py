"""Form fields for editing JSON lists in the admin with ordinary widgets.

A question's options and parts, a topic's cheat-sheet entries and a
blueprint's rules are stored as JSON lists of small mappings. `FormsetField`
edits such a list with a Django formset (one row form a mapping) while
sitting in the admin's fieldsets like any other field: its widget renders the
formset, its errors show under it, and it cleans to the list of rows.
`LinesField` and `CommaListField` edit lists of texts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet, formset_factory
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

Row = dict[str, Any]


class RowForm(forms.Form):
    """A row of a `FormsetField`. `origin` is the row's index in the stored
    list, so keys the form does not edit can be carried over to the new row."""

    origin = forms.IntegerField(required=False, widget=forms.HiddenInput)


class FormsetWidget(forms.Widget):
    template_name = "admin/exercises/widgets/formset.html"

    def __init__(self, formset_class: type[BaseFormSet], template_name: str = ""):
        super().__init__()
        self.formset_class = formset_class
        self.initial_rows: list[Row] = []  # set by the form, for has_changed
        if template_name:
            self.template_name = template_name

    def value_from_datadict(
        self, data: Mapping[str, Any], files: Any, name: str
    ) -> BaseFormSet:
        return self.formset_class(data=data, prefix=name, initial=self.initial_rows)

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        formset = value
        if not isinstance(value, BaseFormSet):
            formset = self.formset_class(initial=value or [], prefix=name)
        context["formset"] = formset
        return context

    def render(
        self, name: str, value: Any, attrs: Any = None, renderer: Any = None
    ) -> SafeString:
        # The project's template engine, not the form renderer's: the
        # templates live in templates/admin/, which only the former searches.
        context = self.get_context(name, value, attrs)
        return mark_safe(render_to_string(self.template_name, context))  # noqa: S308 - a template's output


class FormsetField(forms.Field):
    """A list of mappings edited as a formset. Cleans to the rows kept, in
    order: blank extra rows and rows marked for deletion are left out."""

    def __init__(
        self,
        form: type[forms.Form],
        *,
        extra: int = 1,
        template_name: str = "",
        **kw: Any,
    ) -> None:
        formset_class = formset_factory(form, extra=extra, can_delete=True)
        kw.setdefault("required", False)
        super().__init__(widget=FormsetWidget(formset_class, template_name), **kw)

    def clean(self, value: Any) -> list[Row]:
        if not isinstance(value, BaseFormSet):
            return list(value or [])  # a disabled field: the initial rows
        if not value.is_valid():
            raise ValidationError("Correct the rows marked below.")
        return [row for row in value.cleaned_data if row and not row.get("DELETE")]

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled or not isinstance(data, BaseFormSet):
            return False
        return bool(data.has_changed())


class FormsetFieldsMixin:
    """For forms with `FormsetField`s, called at the end of `__init__`: each
    formset compares its rows with the stored ones, and a post without a
    formset's management data (a script) leaves that list as it was."""

    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool

    if TYPE_CHECKING:  # provided by the form class this is mixed into

        def get_initial_for_field(self, field: forms.Field, field_name: str) -> Any: ...

    def setup_formset_fields(self) -> None:
        for name, field in self.fields.items():
            if not isinstance(field, FormsetField):
                continue
            assert isinstance(field.widget, FormsetWidget)
            field.widget.initial_rows = list(
                self.get_initial_for_field(field, name) or []
            )
            if self.is_bound and f"{name}-TOTAL_FORMS" not in self.data:
                field.disabled = True


def unedited_keys(row: Row, stored: list[Any], edited: set[str]) -> Row:
    """What the stored mapping the row came from holds besides the keys the
    row edits: carried into the new mapping, so unknown keys survive an edit."""
    origin = row.get("origin")
    base: Row = {}
    if (
        isinstance(origin, int)
        and 0 <= origin < len(stored)
        and isinstance(stored[origin], dict)
    ):
        base = {k: v for k, v in stored[origin].items() if k not in edited}
    return base


class PlainText(forms.CharField):
    """Text as typed, with the line ends a browser posts (CRLF) made LF and
    nothing stripped: a bank file's trailing newline survives a save."""

    def __init__(self, **kw: Any) -> None:
        kw["strip"] = False
        super().__init__(**kw)

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value) or "").replace("\r\n", "\n")
        return text if text.strip() else ""


class _TextListField(forms.CharField):
    """A list of texts typed in one box; `split` says how."""

    def __init__(self, **kw: Any) -> None:
        kw.setdefault("required", False)
        super().__init__(**kw)

    def split(self, text: str) -> list[str]:
        raise NotImplementedError

    def join(self, items: list[str]) -> str:
        raise NotImplementedError

    def prepare_value(self, value: Any) -> Any:
        return (
            self.join([str(item) for item in value])
            if isinstance(value, list)
            else value
        )

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return [str(item) for item in value]
        return self.split(str(super().to_python(value) or ""))

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(initial) != self.to_python(data)


class LinesField(_TextListField):
    """A list of texts, one a line; blank lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 3})

    def split(self, text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    def join(self, items: list[str]) -> str:
        return "\n".join(items)


class CommaListField(_TextListField):
    """A list of short texts separated by commas."""

    def split(self, text: str) -> list[str]:
        return [item.strip() for item in text.split(",") if item.strip()]

    def join(self, items: list[str]) -> str:
        return ", ".join(items)


def monospace(rows: int = 4, *, large: bool = True) -> forms.Textarea:
    """A textarea in a monospace font; `large` gives it the admin's full width."""
    css = "vLargeTextField mono" if large else "mono"
    return forms.Textarea(attrs={"rows": rows, "class": css})
