"""The student's progress page (mastery per topic and its history, an
activity calendar, the reviews due) and "what next" after an answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from exercises.models import (
    CodingExercise,
    Question,
    QuizAttempt,
    RungAttempt,
    Submission,
    Topic,
)
from tutor import code_review, mastery, next_item
from tutor.models import MasteryEvent
from tutor.views.helpers import AuthedRequest, is_htmx, message_response

WEEKS = 12
SPARK_WIDTH, SPARK_HEIGHT = 120, 28
SPARK_POINTS = 40  # the latest answers drawn per topic
AFTER = re.compile(r"(question|exercise):([-a-zA-Z0-9_]{1,100})")


@dataclass(frozen=True)
class Day:
    day: date
    count: int
    future: bool

    @property
    def label(self) -> str:
        when = f"{self.day:%a} {self.day.day} {self.day:%b}"
        if self.future:
            return f"{when}: still to come"
        if self.count == 0:
            return f"No answers on {when}"
        return f"{self.count} answer{'s' if self.count != 1 else ''} on {when}"

    @property
    def level(self) -> int:
        """A shade from 0 (none) to 4 (ten or more)."""
        return next(
            (level for level, top in enumerate((0, 2, 5, 9)) if self.count <= top), 4
        )


@dataclass(frozen=True)
class Row:
    """One topic of the mastery table."""

    mastery: mastery.TopicMastery
    waits_for: list[Topic]  # prerequisites still under the opening mark
    points: str  # the sparkline's polyline, "" without history
    history: str  # the sparkline in words


@login_required
def progress(request: AuthedRequest) -> HttpResponse:
    user = request.user
    weeks, total, active_days = activity_calendar(user=user)
    due = code_review.review_queue(user=user)
    context = {
        "rows": mastery_rows(user=user),
        "weeks": weeks,
        "weekdays": _weekdays(weeks),
        "activity_total": total,
        "active_days": active_days,
        "due": due,
        "suggestion": next_item.next_item(user=user),
        "open_at": round(mastery.OPEN_AT * 100),
        "mastered_at": round(mastery.MASTERED_AT * 100),
        "mastered_y": f"{_spark_y(mastery.MASTERED_AT):.1f}",
    }
    return render(request, "tutor/progress.html", context)


def _weekdays(weeks: list[list[Day]]) -> list[tuple[str, list[Day]]]:
    """The calendar by weekday rows (Monday first), each with its week cells."""
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    return [(name, [week[i] for week in weeks]) for i, name in enumerate(names)]


def mastery_rows(*, user: User) -> list[Row]:
    rows = mastery.topic_mastery_list(user=user)
    history = mastery.mastery_history(user=user)
    needs = next_item.prerequisites_by_topic()
    by_id = {row.topic.pk: row for row in rows}
    result = []
    for row in rows:
        waiting = [
            by_id[other].topic
            for other in needs[row.topic.pk]
            if other in by_id and by_id[other].p_learned < mastery.OPEN_AT
        ]
        events = history.get(row.topic.pk, [])[-SPARK_POINTS:]
        result.append(Row(row, waiting, sparkline(events), history_words(row, events)))
    return result


def sparkline(events: list[MasteryEvent]) -> str:
    """SVG polyline points of P(L) before the first event, then after each."""
    if not events:
        return ""
    values = [events[0].p_before, *(event.p_after for event in events)]
    step = SPARK_WIDTH / (len(values) - 1)
    return " ".join(
        f"{i * step:.1f},{_spark_y(value):.1f}" for i, value in enumerate(values)
    )


def _spark_y(p: float) -> float:
    """The height of P(L) = p in the sparkline (1 px of margin each side)."""
    return (1 - p) * (SPARK_HEIGHT - 2) + 1


def history_words(row: mastery.TopicMastery, events: list[MasteryEvent]) -> str:
    name = f"{row.topic.code} {row.topic.title}"
    if not events:
        return f"{name}: no first answers yet"
    right = sum(event.correct for event in events)
    start, end = round(events[0].p_before * 100), round(events[-1].p_after * 100)
    return (
        f"{name}: estimated mastery from {start}% to {end}% over the last "
        f"{len(events)} first answer{'s' if len(events) != 1 else ''}, "
        f"{right} right"
    )


def activity_calendar(
    *, user: User, today: date | None = None
) -> tuple[list[list[Day]], int, int]:
    """The last WEEKS weeks, Monday to Sunday, with the number of answers
    (quiz answers, rung answers, code submissions) each day; the total and
    the number of days with any."""
    today = today or timezone.localdate()
    start = today - timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    since = timezone.make_aware(datetime.combine(start, time.min))
    counts: dict[date, int] = {}
    sources: tuple[QuerySet[Any], ...] = (
        QuizAttempt.objects.filter(user=user, created_at__gte=since),
        Submission.objects.filter(user=user, created_at__gte=since),
        RungAttempt.objects.filter(user=user, created_at__gte=since),
    )
    for rows in sources:
        per_day = (
            rows.annotate(day=TruncDate("created_at"))
            .values("day")
            .annotate(n=Count("id"))
            .values_list("day", "n")
        )
        for day, n in per_day:
            counts[day] = counts.get(day, 0) + n
    weeks = [
        [
            Day(day, counts.get(day, 0), day > today)
            for day in (start + timedelta(days=7 * w + d) for d in range(7))
        ]
        for w in range(WEEKS)
    ]
    return weeks, sum(counts.values()), len(counts)


@login_required
@require_GET
def next_step(request: AuthedRequest) -> HttpResponse:
    """The next best item: the suggestion and its reason for htmx to show in
    place, else a redirect to it. `after=question:<slug>` or
    `after=exercise:<slug>` names what was just done."""
    given = request.GET.get("after", "")
    after: Question | CodingExercise | None = None
    if given:
        match = AFTER.fullmatch(given) if len(given) <= 120 else None
        if match is None:
            return message_response(
                request,
                "`after` names what you just did: question:<slug> or exercise:<slug>.",
                status=400,
            )
        kind, slug = match.groups()
        model = Question if kind == "question" else CodingExercise
        after = model.objects.filter(slug=slug, is_published=True).first()
        if after is None:
            return message_response(request, f"There is no {kind} {slug}.", status=404)
    suggestion = next_item.next_item(user=request.user, after=after)
    if is_htmx(request):
        return render(
            request, "tutor/includes/next_item.html", {"suggestion": suggestion}
        )
    return redirect(suggestion.url if suggestion else "progress")
