"""End-to-end latency: the web view's POST to a stored report.

Path measured: Django's submit view (in this process, through the test
client) → a Submission row in PostgreSQL → on commit, the task in Redis → a
real Celery worker process → the warm sandbox → the report stored in
PostgreSQL. Submissions go one after another, each from the next of a class
of benchmark students (one student may send GRADING_SUBMISSIONS_PER_MINUTE
a minute, and the limit is part of what is measured); the clock stops when
the row reads `done`.

Uses its own database (`tutor_bench`, created if missing, migrated, with the
course loaded) and Redis database 14, so it never touches real data.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.summary import Summary

ROOT = Path(__file__).resolve().parents[1]
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tutor_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SOURCE = (
    ROOT / "tests" / "engine" / "samples" / "lstm_cell" / "correct-torch.py"
).read_text()


def bench_database() -> str | None:
    """Create the benchmarks' database if it is missing; why it cannot be, or
    None."""
    import psycopg

    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            name = DATABASE_URL.rsplit("/", 1)[1]
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        return f"PostgreSQL at {admin} is unreachable ({exc})"
    return None


def _services_up() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis at {REDIS_URL} is unreachable ({exc})"
    return bench_database()


def _worker(
    environment: dict[str, str], *, name: str = "bench", concurrency: int = 0
) -> subprocess.Popen[bytes]:
    """A Celery worker process (`concurrency` pool processes, 0: one a core)
    logging to var/bench/<name>-worker.log."""
    log = Path(environment["VAR_DIR"]) / f"{name}-worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tutor", "worker", "--queues", "grading,runs,default",
         "--hostname", f"{name}@%h", "--concurrency", str(concurrency or os.cpu_count() or 1),
         "--loglevel", "INFO", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=environment, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    return process


def _wait_warm(environment: dict[str, str], names: list[str], pools: int) -> None:
    """Until every pool process of these workers has its sandbox host
    (`tutor.celery.warm_sandbox` logs it), so that a burst measures grading,
    not start-up."""
    logs = [Path(environment["VAR_DIR"]) / f"{name}-worker.log" for name in names]
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        warm = sum(
            log.read_text(errors="replace").count("sandbox warm in") for log in logs
        )
        if warm >= pools * len(names):
            return
        time.sleep(0.2)
    raise RuntimeError(f"workers {names} did not warm up in three minutes")


def _scaling(
    summary: Summary, environment: dict[str, str], students: list[Any], slug: str
) -> None:
    """The same burst drained by one worker process, then by two (one pool
    process each) against the same Redis and PostgreSQL."""
    from exercises.models import Submission

    rates = {}
    for count in (1, 2):
        names = [f"scale{count}-{index}" for index in range(count)]
        workers = [_worker(environment, name=name, concurrency=1) for name in names]
        try:
            _wait_warm(environment, names, pools=1)
            Submission.objects.filter(user__in=students).delete()
            rates[count] = _burst(students, slug, loops=0)
        finally:
            for process in workers:
                process.terminate()
            for process in workers:
                process.wait(timeout=30)
    print(
        f"(l) the burst of {len(students)} drained by one worker process: "
        f"{rates[1]:.1f} gradings/s; by two: {rates[2]:.1f}/s ({rates[2] / rates[1]:.2f}x)"
    )
    summary.add(
        "scaling.one_worker_per_s",
        "(l) burst, one worker process",
        rates[1],
        "gradings/s",
    )
    summary.add(
        "scaling.two_workers_per_s",
        "(l) burst, two worker processes",
        rates[2],
        "gradings/s",
    )
    summary.add(
        "scaling.two_over_one",
        "(l) two worker processes over one",
        rates[2] / rates[1],
        "×",
    )


# One student's queued gradings in the fairness figure (m).
FAIR_BURST = 30


def run(summary: Summary, submissions: int, burst: int, fair_trials: int = 5) -> None:
    problem = _services_up()
    if problem:
        summary.skip("(d) end to end", problem)
        return
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutor.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from exercises.models import CodingExercise, Submission, Topic

    call_command("migrate", verbosity=0)
    call_command("load_course", verbosity=0)
    exercise, _ = CodingExercise.objects.update_or_create(
        slug="bench-lstm-cell",
        defaults={
            "topic": Topic.objects.get(slug="lstm"),
            "title": "LSTM cell (benchmark)",
            "prompt": "Benchmark exercise.",
            "engine_spec": "lstm_cell",
            "is_published": True,
        },
    )
    warm_up = 3
    students = [
        User.objects.get_or_create(username=f"bench-student-{i}")[0]
        for i in range(max(submissions + warm_up, burst))
    ]
    Submission.objects.filter(user__in=students).delete()
    environment = {**os.environ, "VAR_DIR": str(ROOT / "var" / "bench")}
    worker = _worker(environment)
    try:
        timings = _measure(students[: submissions + warm_up], exercise.slug)[warm_up:]
        Submission.objects.filter(user__in=students).delete()
        plain = _burst(students[:burst], exercise.slug, loops=0)
        Submission.objects.filter(user__in=students).delete()
        loops = max(1, burst // 20)
        looping = _burst(students[:burst], exercise.slug, loops=loops)
        Submission.objects.filter(user__in=students).delete()
        # A different student sends each trial's one submission (one student
        # may send six a minute); the median, since one trial's time depends
        # on where in a grading the workers were when it arrived.
        lones = [
            _fairness(students[0], students[1 + trial], exercise, FAIR_BURST)
            for trial in range(fair_trials)
        ]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[18]
    print(
        f"(d) end to end (POST → Redis → Celery worker → sandbox → report in PostgreSQL): "
        f"median {median:.1f} ms, p95 {p95:.1f} ms ({len(timings)} submissions)"
    )
    summary.add(
        "end_to_end.median_ms", f"(d) POST to stored report, median of {len(timings)}",
        median, "ms", 100,
    )  # fmt: skip
    summary.add("end_to_end.p95_ms", "(d) POST to stored report, p95", p95, "ms", 200)
    print(
        f"(j) a burst of {burst} submissions from {burst} students at once: "
        f"{plain:.1f} gradings/s; with {loops} infinite loops among them "
        f"({100 * loops / burst:.0f}%): {looping:.1f}/s, ratio {looping / plain:.2f}"
    )
    summary.add("burst.per_s", f"(j) burst of {burst}, drained", plain, "gradings/s")
    summary.add(
        "burst.loops_per_s", f"(j) the same with {loops} infinite loops", looping,
        "gradings/s",
    )  # fmt: skip
    summary.add(
        "burst.loops_over_plain", "(j) burst throughput with loops over without",
        looping / plain, "×", 2 / 3, better="higher",
    )  # fmt: skip
    lone = statistics.median(lones)
    print(
        f"(m) one student's {FAIR_BURST} gradings queued at once, then another "
        f"student's one submission, {len(lones)} times: graded in "
        f"{', '.join(f'{t:.0f}' for t in lones)} ms, median {lone:.1f} ms, "
        f"{lone / median:.2f}× the unloaded median"
    )
    summary.add(
        "fairness.lone_ms",
        f"(m) a submission sent behind one student's {FAIR_BURST} queued, median of {len(lones)}",
        lone, "ms",
    )  # fmt: skip
    summary.add(
        "fairness.lone_over_median", "(m) that over the unloaded median (d)",
        lone / median, "×", 3,
    )  # fmt: skip
    _scaling(summary, environment, students[:burst], exercise.slug)


def _fairness(busy: Any, lone: Any, exercise: Any, count: int) -> float:
    """`busy` has `count` gradings queued (one per copy of the benchmark
    exercise, made as rows: one student cannot post that many a minute, but
    a regrade or a class's deadline can queue that much); then `lone` posts
    one submission: its POST-to-report time, in ms."""
    from exercises.coding.submissions import submission_enqueue
    from exercises.models import CodingExercise, Submission

    for index in range(count):
        copy, _ = CodingExercise.objects.update_or_create(
            slug=f"bench-fair-{index}",
            defaults={
                "topic": exercise.topic, "title": f"LSTM cell (fairness {index})",
                "prompt": exercise.prompt, "engine_spec": exercise.engine_spec,
                "is_published": True,
            },
        )  # fmt: skip
        row = Submission.objects.create(user=busy, exercise=copy, source=SOURCE)
        submission_enqueue(submission_id=row.pk)
    (timing,) = _measure([lone], exercise.slug)
    deadline = time.monotonic() + 300
    while Submission.objects.filter(
        user=busy, status__in=("queued", "running")
    ).exists():
        if time.monotonic() > deadline:
            raise RuntimeError("the fairness burst was not graded in five minutes")
        time.sleep(0.05)
    return timing


def _measure(students: list[Any], slug: str) -> list[float]:
    """One submission from each student in turn, each graded before the next."""
    from django.test import Client

    from exercises.models import Submission

    timings = []
    for student in students:
        client = Client()
        client.force_login(student)
        started = time.perf_counter()
        response = client.post(f"/exercises/{slug}/submit", {"source": SOURCE})
        assert response.status_code == 302, (response.status_code, response.content)
        submission_id = int(response["Location"].rstrip("/").split("/")[-1])
        deadline = time.monotonic() + 120
        while True:
            status = Submission.objects.filter(pk=submission_id).values_list(
                "status", flat=True
            )[0]
            if status in ("done", "error"):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"submission {submission_id} was not graded in time")
            time.sleep(0.002)
        assert status == "done", f"submission {submission_id} ended in {status}"
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _burst(students: list[Any], slug: str, *, loops: int) -> float:
    """Every student submits at once (the first `loops` of them an infinite
    loop, which only the CPU limit stops); gradings per second from the
    first POST until every row is done."""
    from django.test import Client

    from engine import get_spec
    from exercises.models import Submission

    header = get_spec("lstm_cell").signature.split(" ->")[0]
    loop = f"{header}:\n    while True:\n        pass\n"
    spread = (
        set(range(0, len(students), len(students) // loops)[:loops]) if loops else set()
    )
    started = time.perf_counter()
    ids = []
    for index, student in enumerate(students):
        client = Client()
        client.force_login(student)
        source = loop if index in spread else SOURCE
        response = client.post(f"/exercises/{slug}/submit", {"source": source})
        assert response.status_code == 302, (response.status_code, response.content)
        ids.append(int(response["Location"].rstrip("/").split("/")[-1]))
    deadline = time.monotonic() + 600
    while Submission.objects.filter(
        pk__in=ids, status__in=("queued", "running")
    ).exists():
        if time.monotonic() > deadline:
            raise RuntimeError("the burst was not graded in ten minutes")
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    verdicts = Submission.objects.filter(pk__in=ids).values_list("status", "score")
    done = [score for status, score in verdicts if status == "done"]
    assert len(done) == len(ids), "a submission of the burst ended in error"
    assert sum(1 for score in done if score == 1.0) == len(ids) - loops
    return len(ids) / elapsed
