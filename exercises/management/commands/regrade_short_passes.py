from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exercises.coding.regrade.runs import RegradeRefused
from exercises.coding.regrade.short_passes import short_passes, short_passes_regrade
from exercises.models import CodingExercise


class Command(BaseCommand):
    help = (
        "Find every submission stored as passed on fewer results than the cases "
        "it was sent (or on none: a forged pass an earlier grader accepted) and "
        "regrade it through the grading worker, applying the new score even when "
        "it is lower. Audited. --list only prints them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--exercise", default="", help="an exercise's slug")
        parser.add_argument(
            "--list", action="store_true", help="print them and change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        exercise = None
        if options["exercise"]:
            exercise = CodingExercise.objects.filter(slug=options["exercise"]).first()
            if exercise is None:
                raise CommandError(f"no exercise with slug {options['exercise']!r}")
        found = short_passes(exercise=exercise).select_related("user", "exercise")
        for submission in found:
            self.stdout.write(
                f"#{submission.pk} {submission.user.get_username()} "
                f"{submission.exercise.slug}: passed on {(submission.report or {}).get('total', 0)} of "
                f"{submission.cases_total} case(s)"
            )
        if options["list"]:
            self.stdout.write(f"{len(found)} short pass(es); nothing changed.")
            return
        try:
            run = short_passes_regrade(actor=None, exercise=exercise)
        except RegradeRefused as exc:
            self.stdout.write(exc.message)
            return
        self.stdout.write(
            f"Regrade run {run.pk} queued for {run.total} submission(s); "
            "each new score is applied and audited."
        )
