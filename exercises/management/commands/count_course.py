from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exercises.bank import BANK_DIR, BankError, course_objects, course_read
from exercises.bank_counts import count_bank


class Command(BaseCommand):
    help = (
        "Count the bank's questions and coding exercises from its files: by level, "
        "kind and topic, with the time estimates students see. The first line is "
        "the sentence the README quotes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bank", type=Path, default=BANK_DIR)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            course = course_read(options["bank"])
        except BankError as exc:
            raise CommandError(str(exc)) from None
        for line in count_bank(*course_objects(course)).lines():
            self.stdout.write(line)
