"""The instructors' side: validating an own exercise, regrading, sheet PDFs.

(e) validating an instructor-written exercise (reference, `cases(seed)`,
    starter code) through the admin's path, `request_validation`, with Celery
    eager so the task (`exercise_validate`: every step in the warm sandbox,
    then the stored report) runs in this process: the first, then N more;
(f) a dry-run regrade of M stored submissions of the course's `iou` exercise
    (`regrade_dry_run_create` and its task, eager) against `grade_exercise`
    alone over the same submissions and seeds: the ratio is the regrade's own
    cost (claim, RegradeChange row and counter per submission);
(g) the lecture 6 and 7 cheat sheets printed to PDF as the view does
    (`course_sheet`, `sheet_print_html`, `html_to_pdf`): cold, then cached.

Uses the benchmarks' PostgreSQL database (`tutor_bench`, as end_to_end does:
created if missing, migrated, the course loaded with `course_load(course_read())`)
and a temporary VAR_DIR, so the PDF cache starts empty and no real data is
touched. Nothing is sent to a broker.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.end_to_end import DATABASE_URL, REDIS_URL, bench_database
from benchmarks.grading import SAMPLES, p95
from benchmarks.summary import Summary

SOURCE = (SAMPLES / "iou" / "correct-numpy.py").read_text()
GENERATOR = (
    "import numpy as np\n\n\ndef cases(seed):\n"
    "    x = np.random.default_rng(seed).normal(size=4)\n"
    "    return [{'inputs': {'x': [1.0, 2.0, 3.0]}, 'label': 'edge: small'},\n"
    "            {'inputs': {'x': x}, 'label': 'random', 'hidden': seed == 2}]\n"
)
REFERENCE = (
    "import numpy as np\n\n\ndef centre(x):\n"
    "    x = np.asarray(x, dtype=float)\n    return x - x.mean()\n"
)
STARTER = "def centre(x):\n    raise NotImplementedError\n"


def _figures(values: list[float]) -> str:
    return f"median {statistics.median(values):.1f} ms, p95 {p95(values):.1f} ms"


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


@contextlib.contextmanager
def _eager() -> Iterator[None]:
    """Celery tasks run in this process, quietly, while inside."""
    from tutor.celery import app

    trace = logging.getLogger("celery.app.trace")  # a line per task otherwise
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates, trace.level
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    trace.setLevel(logging.WARNING)
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = saved[:2]
        trace.setLevel(saved[2])


def validations(summary: Summary, runs: int) -> None:
    """The first validation in this process, then `runs` more."""
    from exercises.coding.own_exercises.validation import request_validation
    from exercises.models import CodingExercise, Topic

    exercise, _ = CodingExercise.objects.update_or_create(
        slug="bench-centre",
        defaults={
            "topic": Topic.objects.get(slug="yolo"),
            "title": "Centre a vector (benchmark)",
            "prompt": "Write `centre(x)`: subtract the mean.",
            "entry_point": "centre",
            "reference_solution": REFERENCE,
            "case_generator": GENERATOR,
            "starter_code": STARTER,
            "tolerance": {"abs": 1e-9, "rel": 1e-9},
            "is_published": False,
        },
    )
    timings = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        request_validation(exercise=exercise, actor=None)
        timings.append(_since(started))
        exercise.refresh_from_db()
        report = exercise.validation_report
        assert exercise.validation_status == "passed", report.get("summary")
    print(
        f"(e) validating an own exercise ({report['cases']} cases; request_validation, "
        f"task in process): first {timings[0]:.1f} ms (a new sandbox host); "
        f"then {_figures(timings[1:])} ({runs} runs)"
    )
    summary.add(
        "instructor.validation_first_ms", "(e) validating an own exercise, the first",
        timings[0], "ms", 10_000,
    )  # fmt: skip
    summary.add(
        "instructor.validation_p95_ms", f"(e) validating it again, p95 of {runs}",
        p95(timings[1:]), "ms", 1000,
    )  # fmt: skip


def regrade(summary: Summary, count: int) -> None:
    """A dry run over `count` stored submissions, and plain grading of them."""
    from django.contrib.auth.models import User

    from exercises.coding.grader import grade as grade_exercise
    from exercises.coding.regrade.runs import regrade_dry_run_create
    from exercises.models import CodingExercise, RegradeRun, Submission

    exercise = CodingExercise.objects.get(slug="iou")
    student, _ = User.objects.get_or_create(username="bench-regrade-student")
    staff, _ = User.objects.get_or_create(
        username="bench-instructor", defaults={"is_staff": True}
    )
    RegradeRun.objects.filter(created_by=staff).delete()
    Submission.objects.filter(user=student).delete()
    old = {"verdict": "passed", "score": 1.0, "cases": [], "engine_version": "0.0.1"}
    submissions = Submission.objects.bulk_create(
        Submission(user=student, exercise=exercise, source=SOURCE, status="done",
                   score=1.0, report=old, engine_version="0.0.1")
        for _ in range(count)
    )  # fmt: skip
    grade_exercise(exercise, SOURCE, seed=0)  # the host is warm for both
    started = time.perf_counter()
    for submission in submissions:
        report = grade_exercise(exercise, submission.source, seed=submission.pk)
        assert report.verdict == "passed", report.message
    grading = count / (time.perf_counter() - started)
    started = time.perf_counter()
    run = regrade_dry_run_create(
        actor=staff, submission_ids=[submission.pk for submission in submissions]
    )
    regrading = count / (time.perf_counter() - started)
    run.refresh_from_db()
    assert run.status == "done" and run.done == count, run.error_message
    assert not run.changes.exclude(new_verdict="passed").exists()
    print(
        f"(f) dry-run regrade of {count} iou submissions: {regrading:.1f} submissions/s; "
        f"grade_exercise alone: {grading:.1f}/s; ratio grading/regrade "
        f"{grading / regrading:.2f}x ({1000 / regrading - 1000 / grading:+.1f} ms "
        "per submission)"
    )
    summary.add(
        "instructor.regrade_per_s", f"(f) dry-run regrade of {count} submissions",
        regrading, "submissions/s", 10, better="higher",
    )  # fmt: skip
    summary.add(
        "instructor.regrade_over_grading", "(f) regrade's cost over plain grading",
        grading / regrading, "×", 1.5,
    )  # fmt: skip


def sheets(summary: Summary, cached_runs: int) -> None:
    """Lectures 6 and 7 printed cold (empty cache), then `cached_runs` times cached."""
    from pypdf import PdfReader

    from exercises.models import Lecture
    from tutor.cheatsheets import course_sheet, sheet_print_html
    from tutor.pdf import PdfFailed, PdfUnavailable, html_to_pdf

    for number in (6, 7):
        lecture = Lecture.objects.get(number=number)
        timings = []
        try:
            for _ in range(cached_runs + 1):
                started = time.perf_counter()
                pdf = html_to_pdf(sheet_print_html(course_sheet(lecture=lecture)))
                timings.append(_since(started))
        except (PdfUnavailable, PdfFailed) as exc:
            summary.skip("(g) cheat-sheet PDFs", str(exc))
            return
        print(
            f"(g) lecture {number} cheat sheet to PDF: cold {timings[0]:.0f} ms; "
            f"cached {_figures(timings[1:])} ({cached_runs} runs); "
            f"{len(PdfReader(io.BytesIO(pdf)).pages)} pages, {len(pdf) / 1024:.0f} KiB"
        )
        summary.add(
            f"instructor.sheet{number}_cold_ms", f"(g) lecture {number} sheet PDF, cold",
            timings[0], "ms", 5000,
        )  # fmt: skip
        summary.add(
            f"instructor.sheet{number}_cached_ms",
            f"(g) lecture {number} sheet PDF, cached median",
            statistics.median(timings[1:]), "ms", 200,
        )  # fmt: skip


def run(summary: Summary, runs: int, count: int, cached_runs: int) -> None:
    problem = bench_database()
    if problem:
        summary.skip("(e)-(g) instructors", problem)
        return
    with tempfile.TemporaryDirectory(prefix="bench-instructor-") as var_dir:
        from django.conf import settings

        if not settings.configured:  # else the end-to-end run set up the same
            os.environ.update(
                DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL, VAR_DIR=var_dir
            )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutor.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import override_settings

        from engine.grader import default_runner
        from engine.sandbox.warm import WarmSandboxRunner
        from exercises.bank import course_load, course_read

        database = connection.settings_dict["NAME"]  # never a real one
        assert database == DATABASE_URL.rsplit("/", 1)[1], database
        with override_settings(VAR_DIR=Path(var_dir)), _eager():
            call_command("migrate", verbosity=0)
            course_load(course_read())
            validations(summary, runs)
            regrade(summary, count)
            sheets(summary, cached_runs)
        runner = default_runner()
        if isinstance(runner, WarmSandboxRunner):
            runner.close()  # its sandbox hosts
