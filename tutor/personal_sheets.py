"""A student's own cheat sheets: reads, writes, and the "weakest topics" pick."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from exercises.models import Topic
from tutor.mastery import TopicMastery
from tutor.models import PersonalSheet

WEAKEST_DEFAULT = 5


def personal_sheet_list(*, user: User) -> QuerySet[PersonalSheet]:
    return PersonalSheet.objects.filter(user=user).prefetch_related("topics")


def personal_sheet_get(*, user: User, pk: int) -> PersonalSheet:
    """The sheet if it is the user's own; PersonalSheet.DoesNotExist otherwise,
    so another student's sheet looks exactly like a missing one."""
    return PersonalSheet.objects.get(user=user, pk=pk)


def weakest_topics(rows: Sequence[TopicMastery], *, count: int) -> list[Topic]:
    """The `count` weakest topics by estimated mastery (tutor.mastery, from
    first answers; `rows` in course order). Topics started and not mastered
    come first, lowest P(learned) first; then topics not started, in course
    order: nothing is known of them, and they are still to learn; mastered
    topics last. A topic answered right every time is never put before one
    with a wrong first answer."""
    position = {row.topic.pk: index for index, row in enumerate(rows)}

    def weakest_first(group: list[TopicMastery]) -> list[TopicMastery]:
        return sorted(group, key=lambda r: (r.p_learned, position[r.topic.pk]))

    learning = weakest_first([r for r in rows if r.started and not r.mastered])
    untried = [row for row in rows if not row.started]
    mastered = weakest_first([row for row in rows if row.mastered])
    return [row.topic for row in [*learning, *untried, *mastered][: max(0, count)]]


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
