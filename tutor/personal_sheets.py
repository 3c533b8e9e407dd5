"""A student's own cheat sheets: reads, writes, and the "weakest topics" pick."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from exercises.models import Topic
from tutor.models import PersonalSheet
from tutor.selectors import Mastery

WEAKEST_DEFAULT = 5


def personal_sheet_list(*, user: User) -> QuerySet[PersonalSheet]:
    return PersonalSheet.objects.filter(user=user).prefetch_related("topics")


def personal_sheet_get(*, user: User, pk: int) -> PersonalSheet:
    """The sheet if it is the user's own; PersonalSheet.DoesNotExist otherwise,
    so another student's sheet looks exactly like a missing one."""
    return PersonalSheet.objects.get(user=user, pk=pk)


def weakest_topics(rows: Sequence[Mastery], *, count: int) -> list[Topic]:
    """The `count` weakest topics. Topics the student has attempted come first,
    lowest mastery (share of the topic's questions last answered right) first;
    between equal shares, the one with more wrong answers among those tried.
    Then topics not attempted yet, in course order: nothing is known of them,
    and they are still to learn."""
    tried = [row for row in rows if row.attempted]
    untried = [row for row in rows if not row.attempted]
    position = {row.topic.pk: index for index, row in enumerate(rows)}
    tried.sort(
        key=lambda r: (r.share, -(r.attempted - r.correct), position[r.topic.pk])
    )
    return [row.topic for row in [*tried, *untried][: max(0, count)]]


def _clean_notes(topics: Iterable[Topic], notes: dict[str, str]) -> dict[str, str]:
    """Notes of the chosen topics only, without empty ones."""
    return {
        topic.code: notes[topic.code].strip()
        for topic in topics
        if notes.get(topic.code, "").strip()
    }


@transaction.atomic
def personal_sheet_create(
    *, user: User, title: str, topics: Sequence[Topic], notes: dict[str, str]
) -> PersonalSheet:
    sheet = PersonalSheet.objects.create(
        user=user, title=title.strip(), notes=_clean_notes(topics, notes)
    )
    sheet.topics.set(topics)
    return sheet


@transaction.atomic
def personal_sheet_update(
    *,
    sheet: PersonalSheet,
    title: str,
    topics: Sequence[Topic],
    notes: dict[str, str],
) -> PersonalSheet:
    sheet.title = title.strip()
    sheet.notes = _clean_notes(topics, notes)
    sheet.save(update_fields=["title", "notes", "updated_at"])
    sheet.topics.set(topics)
    return sheet


def personal_sheet_delete(*, sheet: PersonalSheet) -> None:
    sheet.delete()
