"""Whose work an analysis reads, and from which days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from tutor.gradebook import GradebookFilter

Row = TypeVar("Row", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    """Students' work (never staff's), of `users` only when given (a course's
    students), from `start` to `end` (both days included, in the site's
    time zone; open ends when None)."""

    start: date | None = None
    end: date | None = None
    users: QuerySet[User] | None = None

    def students(self, rows: QuerySet[Row]) -> QuerySet[Row]:
        rows = rows.filter(user__is_staff=False, user__is_superuser=False)
        return rows if self.users is None else rows.filter(user__in=self.users)

    def window(self, field_name: str = "created_at") -> Q:
        return GradebookFilter(start=self.start, end=self.end).window(field_name)

    def covers(self, at: datetime) -> bool:
        """Whether the moment `at` falls in the days chosen (as `window`)."""
        day = timezone.localtime(at).date()
        after_start = self.start is None or day >= self.start
        return after_start and (self.end is None or day <= self.end)
