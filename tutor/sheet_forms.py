"""The form of a personal cheat sheet: a title, topics grouped by lecture, and
an optional note per topic (Markdown with $…$ maths)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms

from exercises.models import Lecture, Topic
from tutor.models import PersonalSheet

NOTE_MAX_CHARS = 2000


@dataclass(frozen=True)
class TopicChoice:
    topic: Topic
    checked: bool
    note: forms.BoundField


def note_field(topic: Topic) -> str:
    return f"note-{topic.slug}"


class PersonalSheetForm(forms.Form):
    title = forms.CharField(max_length=120)
    # The topics offered, checked by their ids in Python: a model field would
    # send any posted number to the database (10²⁰ overflows SQLite's integer).
    topics = forms.MultipleChoiceField(
        error_messages={
            "required": "Choose at least one topic.",
            "invalid_choice": "“%(value)s” is not one of the topics.",
        },
    )

    def __init__(self, *args: Any, topics: Sequence[Topic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.all_topics = list(topics)
        self.fields["topics"].choices = [  # type: ignore[attr-defined]
            (str(topic.pk), str(topic)) for topic in self.all_topics
        ]
        for topic in self.all_topics:
            self.fields[note_field(topic)] = forms.CharField(
                required=False,
                max_length=NOTE_MAX_CHARS,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 3}),
                label=f"Your note on {topic.code} {topic.title}",
            )

    @classmethod
    def initial_for(cls, sheet: PersonalSheet) -> dict[str, Any]:
        topics = list(sheet.topics.all())
        notes = sheet.notes if isinstance(sheet.notes, dict) else {}
        return {
            "title": sheet.title,
            "topics": [topic.pk for topic in topics],
        } | {note_field(topic): notes.get(topic.code, "") for topic in topics}

    def notes(self) -> dict[str, str]:
        return {
            topic.code: self.cleaned_data.get(note_field(topic), "")
            for topic in self.all_topics
        }

    def chosen(self) -> list[Topic]:
        picked = set(self.cleaned_data["topics"])
        return [topic for topic in self.all_topics if str(topic.pk) in picked]

    def _checked(self) -> set[str]:
        # The submitted ticks when bound, the initial ones otherwise.
        return {str(pk) for pk in self["topics"].value() or []}

    def groups(self) -> list[tuple[Lecture, list[TopicChoice]]]:
        """Topics by lecture, each with its checkbox state and note field."""
        checked = self._checked()
        groups: dict[int, tuple[Lecture, list[TopicChoice]]] = {}
        for topic in self.all_topics:
            _, rows = groups.setdefault(topic.lecture_id, (topic.lecture, []))
            rows.append(
                TopicChoice(topic, str(topic.pk) in checked, self[note_field(topic)])
            )
        return list(groups.values())
