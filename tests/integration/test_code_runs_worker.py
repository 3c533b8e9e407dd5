"""Runs before submitting, for real: web client → PostgreSQL → the `runs`
queue in Redis (not `grading`) → a Celery worker process → the sandbox →
the result in PostgreSQL."""

from __future__ import annotations

import pytest
from django.test import Client

from exercises.models import CodeRun
from tests.workers import wait_for

pytestmark = pytest.mark.slow

RIGHT = (
    "def iou(a, b):\n"
    "    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))\n"
    "    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))\n"
    "    u = (a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - w * h\n"
    "    return w * h / u if u > 0 else 0.0\n"
)


def run(client: Client, data: dict[str, str]) -> int:
    response = client.post("/exercises/iou/run", data)
    assert response.status_code == 302, response.content
    return int(response["Location"].rstrip("/").split("/")[-1])


def finished(run_id: int) -> CodeRun | None:
    found = CodeRun.objects.get(pk=run_id)
    return found if found.status in ("done", "error") else None


def test_a_run_goes_to_the_runs_queue_and_a_worker_runs_it(
    live_db, course, student_client: Client, start_worker, private_redis, publish_to
) -> None:
    publish_to(private_redis.url)
    examples = run(student_client, {"source": RIGHT, "on": "examples"})
    redis = private_redis.client()
    assert redis.llen("runs") == 1 and redis.llen("grading") == 0
    worker = start_worker(private_redis.url)
    done = wait_for(lambda: finished(examples), 90, "the run on the examples")
    assert done.status == "done", done.error_message
    assert done.matched == done.total and done.worker_id.startswith(worker.hostname)
    own = run(
        student_client,
        {
            "source": RIGHT,
            "on": "own",
            "arg-box_a": "[0, 0, 2, 2]",
            "arg-box_b": "[1, 1, 3, 3]",
        },
    )
    done = wait_for(lambda: finished(own), 90, "the run on own input")
    assert done.result["cases"][0]["got"] == pytest.approx(1 / 7)
