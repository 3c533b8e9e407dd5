"""The Celery tasks of the exercises app, where Celery's autodiscovery looks
for them. Each is defined beside the service it runs, in exercises/coding/;
their names ("exercises.tasks.…") are what the routes and the beat schedule in
tutor/settings.py name."""

from exercises.coding.own_exercises.validation import (
    sweep_validations,
    validate_own_exercise,
)
from exercises.coding.regrade.runs import regrade_run, sweep_regrades
from exercises.coding.submissions import grade_submission, sweep_submissions

__all__ = [
    "grade_submission",
    "regrade_run",
    "sweep_regrades",
    "sweep_submissions",
    "sweep_validations",
    "validate_own_exercise",
]
