"""The admin, one module a subject; importing them registers every model."""

from exercises.admin import (
    coding,
    content,
    hint_reveals,
    questions,
    records,
    reports,
    tutoring,
)

__all__ = [
    "coding",
    "content",
    "hint_reveals",
    "questions",
    "records",
    "reports",
    "tutoring",
]
