"""Lectures and topics. A topic carries its summary (a short lesson) and its
cheat-sheet entries, edited row by row with each formula typeset beside it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from exercises.admin.accessible import NamedInline
from exercises.admin.auditing import AuditedAdmin
from exercises.admin.forms import (
    FormsetField,
    FormsetFieldsMixin,
    PlainText,
    RowForm,
    monospace,
)
from exercises.bank_checks import html_problems
from exercises.models import Lecture, Question, Topic
from exercises.rendering import latex_to_mathml, render_markdown


class CheatEntryForm(RowForm):
    """One cheat-sheet entry: {formula (LaTeX), meaning, example?}."""

    has_preview = True
    formula = PlainText(
        widget=monospace(3, large=False), help_text="LaTeX, without dollar signs."
    )
    meaning = PlainText(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What it says, in words; Markdown with $…$ maths.",
    )
    example = PlainText(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A worked number or two (optional).",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for problem in entry_problems(cleaned):
            self.add_error(None, problem)
        return cleaned

    def _current(self, name: str) -> str:
        return str(self[name].value() or "")

    def preview_html(self) -> SafeString:
        formula = self._current("formula")
        return mark_safe(latex_to_mathml(formula, True) if formula.strip() else "")  # noqa: S308 - sanitised MathML

    def preview_problems(self) -> list[str]:
        return entry_problems({name: self._current(name) for name in self.fields})


def entry_problems(entry: dict[str, Any]) -> list[str]:
    """The entry's formula and texts typeset (what validate_topic checks)."""
    problems = []
    if entry.get("formula"):
        formula = latex_to_mathml(str(entry["formula"]), True)
        problems += [f"Formula: {p}" for p in html_problems(formula)]
    for key in ("meaning", "example"):
        if entry.get(key):
            html = render_markdown(str(entry[key]), inline=True)
            problems += [f"{key.capitalize()}: {p}" for p in html_problems(html)]
    return problems


class TopicForm(FormsetFieldsMixin, forms.ModelForm):
    cheat_sheet = FormsetField(
        CheatEntryForm,
        extra=1,
        template_name="admin/exercises/widgets/boxes.html",
        help_text="The formulas of this topic, in the order the sheet lists them.",
    )

    class Meta:
        model = Topic
        fields = ["lecture", "code", "slug", "title", "order", "summary", "cheat_sheet"]
        widgets = {"summary": monospace(10)}
        field_classes = {"summary": PlainText}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stored_entries = list(self.instance.cheat_sheet or [])
        self.initial["cheat_sheet"] = [
            {"origin": index, **entry}
            for index, entry in enumerate(self.stored_entries)
        ]
        self.setup_formset_fields()

    def clean_summary(self) -> str:
        summary = self.cleaned_data["summary"]
        problems = html_problems(render_markdown(summary))
        if problems:
            raise forms.ValidationError(problems)
        return summary

    def clean_cheat_sheet(self) -> list[dict[str, Any]]:
        rows = self.cleaned_data["cheat_sheet"]
        return [self._entry(row) for row in rows]

    def _entry(self, row: dict[str, Any]) -> dict[str, Any]:
        origin = row.get("origin")
        stored = (
            self.stored_entries[origin]
            if isinstance(origin, int) and 0 <= origin < len(self.stored_entries)
            else {}
        )
        entry = {"formula": row["formula"], "meaning": row["meaning"]}
        if row.get("example"):
            entry["example"] = row["example"]
        extra = {k: v for k, v in stored.items() if k not in CheatEntryForm.base_fields}
        entry |= extra
        return stored if stored == entry else entry


class QuestionLinkInline(NamedInline):
    """The topic's questions, to open from its page (edited on their own)."""

    model = Question
    fields = ("slug", "title", "kind", "difficulty", "is_published")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Topic)
class TopicAdmin(AuditedAdmin):
    form = TopicForm
    list_display = ("code", "title", "lecture", "order", "entries")
    list_filter = ("lecture",)
    search_fields = ("title", "code", "summary")
    readonly_fields = ("summary_rendered",)
    fieldsets = [
        (None, {"fields": (("lecture", "code", "order"), ("title", "slug"))}),
        ("Summary", {"fields": ("summary", "summary_rendered")}),
        ("Cheat sheet", {"fields": ("cheat_sheet",)}),
    ]
    inlines = [QuestionLinkInline]

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description="Cheat-sheet entries")
    def entries(self, topic: Topic) -> int:
        return len(topic.cheat_sheet or [])

    @admin.display(description="As students see it (after saving)")
    def summary_rendered(self, topic: Topic) -> SafeString:
        html = render_markdown(topic.summary)
        problems = format_html_join(
            "", '<p class="errornote">{}</p>', ((p,) for p in html_problems(html))
        )
        return mark_safe(f'<div class="rendered-summary">{html}</div>{problems}')  # noqa: S308 - sanitised by render_markdown


class TopicInline(NamedInline):
    model = Topic
    fields = ("code", "title", "slug", "order")
    extra = 0
    show_change_link = True


@admin.register(Lecture)
class LectureAdmin(AuditedAdmin):
    list_display = ("number", "title", "slug")
    inlines = [TopicInline]
