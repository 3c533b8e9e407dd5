"""The grading pipeline for real: web client → PostgreSQL → Redis → Celery worker
process → engine → report in PostgreSQL. Also: a worker killed mid-task and a
Redis restart with a submission queued, both ending graded."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.test import Client

from engine import get_spec
from exercises.models import Submission
from tests.workers import sandbox_hosts_under, wait_for

pytestmark = pytest.mark.slow

GOOD = (
    "import numpy as np\n\n"
    "def iou(box_a, box_b):\n"
    "    a, b = np.asarray(box_a, float), np.asarray(box_b, float)\n"
    "    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))\n"
    "    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))\n"
    "    inter = w * h\n"
    "    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter\n"
    "    return float(inter / union) if union > 0 else 0.0\n"
)
NO_CLAMP = (
    "def iou(a, b):\n"
    "    i = (min(a[2], b[2]) - max(a[0], b[0])) * (min(a[3], b[3]) - max(a[1], b[1]))\n"
    "    return i / ((a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - i)\n"
)
# Correct, but the first case sleeps long enough to kill the worker meanwhile.
# Only the first visible case sleeps: the hidden cases run in a child of their
# own, whose first case must not add another 4 s to the grading.
FIRST_BOX = get_spec("iou").cases(0)[0].kwargs["box_a"]
SLOW = "import time\n_first = [True]\n" + GOOD.replace(
    "    a, b = np.asarray",
    f"    if _first[0] and list(box_a) == {FIRST_BOX!r}:\n"
    "        _first[0] = False\n        time.sleep(4)\n    a, b = np.asarray",
)


def status(submission_id: int) -> Submission:
    return Submission.objects.get(pk=submission_id)


def finished(submission_id: int) -> Submission | None:
    submission = status(submission_id)
    return submission if submission.status in ("done", "error") else None


def submit(client: Client, source: str) -> int:
    response = client.post("/exercises/iou/submit", {"source": source})
    assert response.status_code == 302, response.content
    return int(response["Location"].rstrip("/").split("/")[-1])


def test_a_submission_is_graded_by_a_real_worker(
    live_db, course, student_client: Client, other_student, start_worker
) -> None:
    worker = start_worker()
    good = submit(student_client, GOOD)
    other = Client()
    other.force_login(other_student)
    wrong = submit(other, NO_CLAMP)
    for submission_id in (good, wrong):
        wait_for(
            lambda sid=submission_id: finished(sid), 60, f"submission {submission_id}"
        )
    graded = status(good)
    assert graded.status == "done" and graded.score == 1.0, graded.error_message
    assert graded.report["verdict"] == "passed" and graded.report["passed"] >= 10
    assert graded.worker_id.startswith(worker.hostname) and graded.attempts == 1
    named = status(wrong)
    assert named.report["mistake"]["id"] == "iou-no-clamp"
    page = student_client.get(f"/submissions/{good}/").content.decode()
    assert "cases passed" in page


def test_a_worker_warms_its_sandbox_before_the_first_submission(
    live_db, start_worker
) -> None:
    """Each pool process starts its sandbox host when it starts (the first
    student then waits tens of milliseconds, not seconds), and the host
    stays alive while the process waits for work. The host is forked from
    the worker's one sandbox zygote, which the main process started."""
    worker = start_worker()
    hosts = worker.wait_warm()
    time.sleep(1)
    assert sandbox_hosts_under(worker.process.pid) == hosts
    # The main process imported the references (torch) before it forked its
    # pool, which shares those pages (tutor/celery.py, import_references).
    maps = Path(f"/proc/{worker.process.pid}/maps").read_text()
    assert "libtorch_cpu" in maps
    for host in hosts:
        zygote = _parent(host)
        assert Path(f"/proc/{zygote}/comm").read_text().strip() == "sandbox-zygote"
        assert _parent(zygote) == worker.process.pid


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_a_worker_killed_mid_grading_does_not_lose_the_submission(
    live_db, course, student_client: Client, start_worker
) -> None:
    first = start_worker()
    submission_id = submit(student_client, SLOW)
    wait_for(lambda: status(submission_id).status == "running", 60, "grading to start")
    first.kill()
    assert status(submission_id).status == "running"
    second = start_worker()
    graded = wait_for(
        lambda: finished(submission_id), 90, "the sweeper and a new worker"
    )
    assert graded.status == "done" and graded.score == 1.0, graded.error_message
    assert graded.attempts == 2
    assert graded.worker_id.startswith(second.hostname)


def test_a_redis_restart_with_a_submission_queued_still_ends_graded(
    live_db, course, student_client: Client, start_worker, private_redis, publish_to
) -> None:
    publish_to(private_redis.url)
    submission_id = submit(student_client, GOOD)
    assert private_redis.client().llen("grading") == 1  # the message waits in Redis
    private_redis.stop()  # Redis keeps nothing on disk: the message is gone
    private_redis.start()
    assert private_redis.client().llen("grading") == 0
    assert status(submission_id).status == "queued"
    start_worker(private_redis.url)
    graded = wait_for(lambda: finished(submission_id), 60, "the sweeper to re-enqueue")
    assert graded.status == "done" and graded.score == 1.0, graded.error_message
    assert graded.attempts == 1


def test_a_submission_made_while_redis_is_down_is_kept_and_graded_later(
    live_db, course, student_client: Client, start_worker, private_redis, publish_to
) -> None:
    publish_to(private_redis.url)
    private_redis.stop()
    submission_id = submit(student_client, GOOD)  # accepted and stored
    assert status(submission_id).status == "queued"
    private_redis.start()
    start_worker(private_redis.url)
    graded = wait_for(
        lambda: finished(submission_id), 60, "grading after Redis came back"
    )
    assert graded.status == "done" and graded.score == 1.0
