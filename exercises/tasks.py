"""The Celery tasks of the exercises app, where Celery's autodiscovery looks
for them. Each is defined beside the service it runs, in exercises/coding/;
their names ("exercises.tasks.…") are what the routes and the beat schedule in
tutor/settings.py name."""

from exercises.coding.ladder_check import check_rung, sweep_rungs
from exercises.coding.own_exercises.validation import (
    sweep_validations,
    validate_own_exercise,
)
from exercises.coding.regrade.runs import regrade_run, sweep_regrades
from exercises.coding.runs import run_code, sweep_runs
from exercises.coding.submissions import grade_submission, sweep_submissions

__all__ = [
    "check_rung",
    "grade_submission",
    "regrade_run",
    "run_code",
    "sweep_regrades",
    "sweep_rungs",
    "sweep_runs",
    "sweep_submissions",
    "sweep_validations",
    "validate_own_exercise",
]
