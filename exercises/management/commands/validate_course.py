from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exercises.bank import BANK_DIR, BankError, course_objects, course_read
from exercises.bank_checks import validate_course


class Command(BaseCommand):
    help = (
        "Check every question and coding exercise of the bank files: render each "
        "question for 20 seeds, its correct answer must pass and typical wrong "
        "answers fail; formulas must typeset. A coding exercise's starter code must "
        "fail; an instructor's own exercise is validated in the sandbox (its "
        "reference passes its cases). Prints a summary; exits non-zero on any "
        "problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bank", type=Path, default=BANK_DIR)
        parser.add_argument(
            "--only",
            default="",
            help="comma-separated topic codes to check, e.g. 7.8,7.9",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            course = course_read(options["bank"])
        except BankError as exc:
            raise CommandError(str(exc)) from None
        questions, exercises, topics = course_objects(course)
        if options["only"]:
            codes = {code.strip() for code in options["only"].split(",")}
            questions = [q for q in questions if q.topic.code in codes]
            exercises = [e for e in exercises if e.topic.code in codes]
            topics = [t for t in topics if t.code in codes]
        summary = validate_course(questions, exercises, topics)
        self.stdout.write(
            f"{summary.questions} questions, {summary.parameterised} parameterised, "
            f"{summary.exercises} coding exercises"
        )
        self.stdout.write(
            "questions per topic: "
            + ", ".join(
                f"{code} {count}"
                for code, count in sorted(
                    summary.by_topic.items(),
                    key=lambda kv: [int(p) for p in kv[0].split(".")],
                )
            )
        )
        self.stdout.write(
            "questions per kind: "
            + ", ".join(
                f"{kind} {count}" for kind, count in sorted(summary.by_kind.items())
            )
        )
        if summary.problems:
            for problem in summary.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"{len(summary.problems)} problems")
        self.stdout.write("every question and exercise checks out")
