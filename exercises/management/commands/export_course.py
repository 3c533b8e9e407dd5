from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from exercises.bank import BANK_DIR
from exercises.exports.course_files import course_export


class Command(BaseCommand):
    help = (
        "Write the course from the database back to bank files (course.yaml and "
        "one file per topic), so that changes made in the admin can be reviewed "
        "in a diff and loaded again with load_course."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bank", type=Path, default=BANK_DIR, help="directory to write"
        )

    def handle(self, *args: Any, **options: Any) -> str:
        count = course_export(options["bank"])
        return f"Wrote {count} files under {options['bank']}."
