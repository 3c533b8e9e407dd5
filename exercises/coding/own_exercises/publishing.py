"""Publishing an instructor's own exercise: only once a validation in the
sandbox has passed for the code it has now (`CodingExercise.publish_problem`,
which the model's `clean`, the admin and `exercise_publish` all ask)."""

from __future__ import annotations

from typing import Any

from exercises import audit
from exercises.models import CodingExercise


class PublishRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def exercise_publish(
    *, exercise: CodingExercise, actor: Any, published: bool, summary: str = ""
) -> bool:
    """Publish or unpublish; True if it changed. Raises PublishRefused."""
    problem = exercise.publish_problem() if published else None
    if problem:
        raise PublishRefused(problem)
    if exercise.is_published == published:
        return False
    exercise.is_published = published
    exercise.save(update_fields=["is_published", "updated_at"])
    action = "publish" if published else "unpublish"
    default = f"{action.capitalize()}ed the coding exercise"
    audit.record(actor, action, exercise, summary=summary or default)
    return True
