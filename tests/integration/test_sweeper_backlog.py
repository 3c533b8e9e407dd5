"""The sweeper against a real Redis: a backlog is waiting work, not lost work.

Submissions queued past GRADING_REQUEUE_AFTER whose messages still wait in
Redis are not sent again (under load that would grow the queue with
duplicates exactly when it is longest); when messages really are gone, as
many of the oldest rows as are missing are sent again, no more.
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from exercises.coding import ladder_check, submissions
from exercises.coding import runs as code_runs
from exercises.coding.own_exercises import validation
from exercises.coding.regrade import runs as regrade_runs
from exercises.models import (
    CodeRun,
    CodingExercise,
    RegradeRun,
    RungAttempt,
    Submission,
)
from tests.factories import (
    CodingExerciseFactory,
    RegradeRunFactory,
    StudentFactory,
    SubmissionFactory,
)
from tests.factories.ladder import RungAttemptFactory
from tests.factories.runs import CodeRunFactory


def _queue(count: int) -> list[Submission]:
    """`count` submissions sent to the broker, then left waiting there long
    enough for the sweeper to look at them."""
    exercise = CodingExercise.objects.get(slug="iou")
    rows = [
        SubmissionFactory(user=StudentFactory(), exercise=exercise)
        for _ in range(count)
    ]
    for row in rows:
        assert submissions.submission_enqueue(submission_id=row.pk)
    long_ago = timezone.now() - timedelta(seconds=settings.GRADING_REQUEUE_AFTER + 5)
    for offset, row in enumerate(rows):  # oldest first, in creation order
        Submission.objects.filter(pk=row.pk).update(
            enqueued_at=long_ago - timedelta(seconds=len(rows) - offset)
        )
    return rows


def _waiting(private_redis) -> list[int]:
    """The submission ids of the grading messages waiting in Redis."""
    ids = []
    for raw in private_redis.client().lrange("grading", 0, -1):
        body = json.loads(base64.b64decode(json.loads(raw)["body"]))
        ids.append(int(body[0][0]))  # the task's positional arguments
    return sorted(ids)


def test_a_backlog_past_the_requeue_age_is_not_sent_again(
    live_db, course, private_redis, publish_to
) -> None:
    publish_to(private_redis.url)
    rows = _queue(5)
    assert _waiting(private_redis) == sorted(row.pk for row in rows)
    summary = submissions.submissions_sweep()
    assert summary.requeued == 0
    assert _waiting(private_redis) == sorted(row.pk for row in rows)


def test_only_the_lost_are_sent_again_oldest_first(
    live_db, course, private_redis, publish_to
) -> None:
    publish_to(private_redis.url)
    rows = _queue(5)
    client = private_redis.client()
    client.rpop("grading", 2)  # two messages lost (Celery takes from the right)
    assert len(_waiting(private_redis)) == 3
    summary = submissions.submissions_sweep()
    assert summary.requeued == 2
    # The two oldest rows, whose messages were the ones lost, are sent again.
    assert _waiting(private_redis) == sorted(row.pk for row in rows)
    # A second sweep finds the broker whole again and sends nothing.
    assert submissions.submissions_sweep().requeued == 0


def test_every_kind_of_job_waiting_in_redis_is_left_alone_and_sent_when_lost(
    live_db, course, private_redis, publish_to
) -> None:
    """The same rule for rung checks, runs, own-exercise validations and
    regrade runs: a message still in Redis (whatever its priority list) is
    not sent again; once Redis has lost them, each is sent once."""
    publish_to(private_redis.url)
    long_ago = timezone.now() - timedelta(seconds=settings.GRADING_REQUEUE_AFTER + 5)
    exercise = CodingExercise.objects.get(slug="iou")
    rung = RungAttemptFactory(exercise=exercise)
    assert ladder_check.rung_enqueue(attempt_id=rung.pk)
    RungAttempt.objects.filter(pk=rung.pk).update(enqueued_at=long_ago)
    run = CodeRunFactory(exercise=exercise)
    assert code_runs.run_enqueue(run_id=run.pk)
    CodeRun.objects.filter(pk=run.pk).update(enqueued_at=long_ago)
    own = CodingExerciseFactory(
        validation_status=CodingExercise.Validation.QUEUED,
        validation_report={"requested_at": long_ago.isoformat()},
    )
    assert validation.validation_enqueue(exercise_id=own.pk)
    regrade = RegradeRunFactory(exercise=exercise)
    assert regrade_runs.regrade_enqueue(run_id=regrade.pk)
    RegradeRun.objects.filter(pk=regrade.pk).update(created_at=long_ago)

    def sweep() -> list[int]:
        return [
            ladder_check.rungs_sweep().requeued,
            code_runs.runs_sweep().requeued,
            validation.validations_sweep(),
            regrade_runs.regrades_sweep(),
        ]

    client = private_redis.client()
    assert sum(client.llen(key) for key in client.keys("grading*")) == 3
    assert sweep() == [0, 0, 0, 0]
    client.flushdb()  # every message lost
    assert sweep() == [1, 1, 1, 1]
    assert sum(client.llen(key) for key in client.keys("grading*")) == 3
    assert client.llen("runs") == 1
    assert sweep() == [0, 0, 0, 0]
