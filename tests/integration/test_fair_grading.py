"""Fair grading against a real Redis and a real worker: one student's burst
waits behind another student's first submission, and a regrade run waits
behind both.

Everything is sent while no worker runs, then one worker process (one pool
process, prefetching one message) drains the queue: the order it grades in
is the broker's priority order, nothing left to timing.
"""

from __future__ import annotations

import pytest
import redis

from exercises.coding import submissions
from exercises.coding.regrade import runs as regrade_runs
from exercises.models import CodingExercise, RegradeChange, RegradeRun, Submission
from tests.factories import InstructorFactory, StudentFactory, SubmissionFactory
from tests.workers import wait_for

pytestmark = pytest.mark.slow

SEP = "\x06\x16"  # kombu's separator between a queue's name and its priority step


def _lengths(client) -> dict[str, int]:
    return {
        key: client.llen("grading" + (f"{SEP}{step}" if step else ""))
        for step, key in ((0, "0"), (3, "3"), (6, "6"), (9, "9"))
    }


def test_a_burst_waits_behind_another_students_first_and_a_regrade_behind_all(
    live_db, course, start_worker, settings
) -> None:
    exercises = list(CodingExercise.objects.order_by("slug")[:5])
    busy, other = StudentFactory(), StudentFactory()
    burst = [
        SubmissionFactory(user=busy, exercise=exercise, source="x = 1\n")
        for exercise in exercises
    ]
    lone = SubmissionFactory(user=other, exercise=exercises[0], source="x = 1\n")
    run = RegradeRun.objects.create(
        created_by=InstructorFactory(), exercise=exercises[0], submission_ids=[lone.pk]
    )
    for row in [*burst, lone]:
        assert submissions.submission_enqueue(submission_id=row.pk)
    assert regrade_runs.regrade_enqueue(run_id=run.pk)

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    # busy: 0, 3, 6, 9, 9; the lone student's first: 0; the regrade: 9.
    assert _lengths(client) == {"0": 2, "3": 1, "6": 1, "9": 3}

    start_worker(GRADING_REQUEUE_AFTER="600")
    wait_for(
        lambda: (
            not Submission.objects.filter(status__in=["queued", "running"]).exists()
            and RegradeRun.objects.get(pk=run.pk).status not in ("queued", "running")
        ),
        180,
        "the queue to drain",
    )
    order = list(
        Submission.objects.filter(pk__in=[row.pk for row in [*burst, lone]])
        .order_by("started_at")
        .values_list("pk", flat=True)
    )
    assert order == [burst[0].pk, lone.pk, *(row.pk for row in burst[1:])]
    assert RegradeRun.objects.get(pk=run.pk).status == "done"
    regraded = RegradeChange.objects.get(run=run).created_at
    last_graded = max(
        Submission.objects.filter(pk__in=order).values_list("finished_at", flat=True)
    )
    assert regraded >= last_graded
