from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exercises.exports.moodle import DEFAULT_VARIANTS, moodle_export
from exercises.models import Question


class Command(BaseCommand):
    help = (
        "Write the published questions as Moodle XML (one category a topic). "
        "Parameterised questions become fixed variants, one per seed; kinds "
        "Moodle's core types cannot mark are skipped, and the summary says which."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--topic",
            action="append",
            default=[],
            help="a topic code such as 6.10 (repeatable; default: every topic)",
        )
        parser.add_argument(
            "--out", type=Path, help="file to write (default: standard output)"
        )
        parser.add_argument(
            "--variants",
            type=int,
            default=DEFAULT_VARIANTS,
            help="fixed variants of each parameterised question (0 skips them)",
        )

    def handle(self, *args: Any, **options: Any) -> str:
        if options["variants"] < 0:
            raise CommandError("--variants must be 0 or more")
        questions = Question.objects.filter(is_published=True).select_related(
            "topic__lecture"
        )
        if options["topic"]:
            questions = questions.filter(topic__code__in=options["topic"])
            if not questions.exists():
                raise CommandError(f"No published question in {options['topic']}")
        export = moodle_export(questions, variants=options["variants"])
        if options["out"]:
            options["out"].write_bytes(export.xml)
            return f"{export.summary()}\nWrote {options['out']}."
        self.stdout.write(export.xml.decode("utf-8"), ending="\n")
        self.stderr.write(export.summary())
        return ""
