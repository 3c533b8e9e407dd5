from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exercises.bank import BANK_DIR, BankError, course_load, course_read


class Command(BaseCommand):
    help = "Load the question bank files into the database (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bank", type=Path, default=BANK_DIR, help="bank directory"
        )

    def handle(self, *args: Any, **options: Any) -> str:
        try:
            course = course_read(options["bank"])
        except BankError as exc:
            raise CommandError(str(exc)) from None
        summary = course_load(course)
        return (
            f"Loaded {summary.lectures} lectures, {summary.topics} topics, "
            f"{summary.questions} questions, {summary.exercises} coding exercises, "
            f"{sum(map(len, course.prerequisites.values()))} topic prerequisites"
            + (
                f"; unpublished {summary.unpublished} no longer in the files"
                if summary.unpublished
                else ""
            )
            + (
                f"; {summary.validating} own exercise(s) new or changed: unpublished "
                "until their validation in the sandbox (queued) passes"
                if summary.validating
                else ""
            )
            + "."
        )
