"""What a cheat sheet holds, whatever it is printed as (HTML, PDF, Markdown).

A sheet is a list of sections, one per topic: the topic's formula entries
(Topic.cheat_sheet: LaTeX formula, Markdown meaning, optional example) and, on a
student's own sheet, their note. The HTML page and the PDF render the same
`Sheet` through one template partial; `sheet_markdown` writes it as Markdown
with $…$ / $$…$$ maths, which GitHub and Obsidian typeset.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.text import slugify

from exercises.models import Lecture, Topic
from exercises.rendering import markdown_text
from tutor.models import PersonalSheet

ALL = "all"


@dataclass(frozen=True)
class Entry:
    formula: str  # LaTeX, without dollars
    meaning: str  # Markdown with $…$ maths
    example: str  # Markdown, may be empty


@dataclass(frozen=True)
class Section:
    code: str
    slug: str
    title: str
    lecture: int
    entries: tuple[Entry, ...]
    note: str = ""  # the student's own Markdown, on a personal sheet


@dataclass(frozen=True)
class Sheet:
    title: str
    subtitle: str
    filename: str  # without extension
    sections: tuple[Section, ...]


def _entries(topic: Topic) -> tuple[Entry, ...]:
    return tuple(
        Entry(
            formula=str(item.get("formula", "")).strip(),
            meaning=str(item.get("meaning") or "").strip(),
            example=str(item.get("example") or "").strip(),
        )
        for item in topic.cheat_sheet or []
        if isinstance(item, dict) and str(item.get("formula", "")).strip()
    )


def _section(topic: Topic, note: str = "") -> Section:
    return Section(
        code=topic.code,
        slug=topic.slug,
        title=topic.title,
        lecture=topic.lecture.number,
        entries=_entries(topic),
        note=note.strip(),
    )


def _topics(lecture: Lecture | None) -> Iterable[Topic]:
    topics = Topic.objects.select_related("lecture")
    if lecture is not None:
        topics = topics.filter(lecture=lecture)
    return topics.order_by("lecture__number", "order", "code")


def course_sheet(*, lecture: Lecture | None) -> Sheet:
    """The formulas of one lecture, or of both when `lecture` is None. Topics
    without entries are left out: a heading with nothing under it wastes paper."""
    sections = tuple(
        section for section in map(_section, _topics(lecture)) if section.entries
    )
    if lecture is None:
        numbers = " and ".join(
            str(n) for n in Lecture.objects.values_list("number", flat=True)
        )
        return Sheet(
            title="Cheat sheet: all formulas",
            subtitle=f"Lectures {numbers}",
            filename="cheat-sheet-all",
            sections=sections,
        )
    return Sheet(
        title=f"Cheat sheet: lecture {lecture.number}",
        subtitle=lecture.title,
        filename=f"cheat-sheet-{lecture.slug}",
        sections=sections,
    )


def personal_sheet(*, sheet: PersonalSheet) -> Sheet:
    """A student's sheet: only the topics they chose, each with their note.
    A chosen topic stays even without formulas, since it may carry a note."""
    topics = sheet.topics.select_related("lecture").order_by(
        "lecture__number", "order", "code"
    )
    notes = sheet.notes if isinstance(sheet.notes, dict) else {}
    return Sheet(
        title=sheet.title,
        subtitle="My cheat sheet",
        filename=slugify(sheet.title) or f"sheet-{sheet.pk}",
        sections=tuple(
            _section(topic, str(notes.get(topic.code, ""))) for topic in topics
        ),
    )


def _markdown_entry(entry: Entry) -> list[str]:
    lines = [f"$${entry.formula}$$", ""]
    text = entry.meaning
    if entry.example:
        text = f"{text} *e.g.* {entry.example}".strip()
    if text:
        lines += [text, ""]
    return lines


def _markdown_section(section: Section) -> list[str]:
    lines = [f"## {section.code} {section.title}", ""]
    for entry in section.entries:
        lines += _markdown_entry(entry)
    if section.note:
        lines += ["**My notes**", "", markdown_text(section.note), ""]
    return lines


def sheet_markdown(sheet: Sheet) -> str:
    """Markdown with display maths in $$…$$ on its own line (GitHub, Obsidian)."""
    lines = [f"# {sheet.title}", "", f"*{sheet.subtitle}*", ""]
    for section in sheet.sections:
        lines += _markdown_section(section)
    return "\n".join(lines).rstrip() + "\n"


def _static_text(name: str) -> str:
    return Path(str(finders.find(name))).read_text(encoding="utf-8")


def sheet_print_html(sheet: Sheet) -> str:
    """A self-contained page for the PDF: the sheet's CSS and its one script
    inlined, nothing to fetch. Its text is also the PDF cache's key."""
    return render_to_string(
        "sheets/print.html",
        {
            "sheet": sheet,
            "css": _static_text("css/sheet.css"),
            "script": _static_text("js/sheet.js"),
        },
    )
