from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def worker_command(concurrency: int = 1) -> list[str]:
    """The Celery worker (with the sweeper's beat embedded) for a local run."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "tutor",
        "worker",
        "--beat",
        "--queues",
        "grading,runs,default",
        "--concurrency",
        str(concurrency),
        "--loglevel",
        "INFO",
        "--without-mingle",
        "--without-gossip",
    ]


class Command(BaseCommand):
    help = (
        "Serve the site for development together with a local Celery worker "
        "(embedded default: filesystem broker; with REDIS_URL, the Redis broker)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--concurrency", type=int, default=1)
        parser.add_argument("--noreload", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = None
        # The autoreloader re-runs this command in a child with RUN_MAIN set;
        # only the outer process starts the worker.
        if (
            not settings.CELERY_TASK_ALWAYS_EAGER
            and os.environ.get("RUN_MAIN") != "true"
        ):
            settings.BROKER_DIR.mkdir(parents=True, exist_ok=True)
            self.stdout.write(
                f"Starting a grading worker on {settings.CELERY_BROKER_URL}"
            )
            worker = subprocess.Popen(worker_command(options["concurrency"]))
        try:
            call_command(
                "runserver", options["addrport"], use_reloader=not options["noreload"]
            )
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
