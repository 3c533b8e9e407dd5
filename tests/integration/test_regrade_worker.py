"""Regrading for real: the instructor's pages → PostgreSQL → Redis → a Celery
worker process → the sandbox; a dry run and an apply over submissions that a
worker graded, and a run that survives its worker being killed."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from engine.version import ENGINE_VERSION
from exercises.coding.regrade import runs as service
from exercises.models import (
    AuditEntry,
    CodingExercise,
    RegradeChange,
    RegradeRun,
    Submission,
)
from tests.factories import IOU_SOURCE, SubmissionFactory
from tests.workers import wait_for

pytestmark = pytest.mark.slow

NO_CLAMP = (
    "def iou(a, b):\n"
    "    i = (min(a[2], b[2]) - max(a[0], b[0])) * (min(a[3], b[3]) - max(a[1], b[1]))\n"
    "    return i / ((a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - i)\n"
)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submit(client: Client, source: str) -> Submission:
    response = client.post("/exercises/iou/submit", {"source": source})
    assert response.status_code == 302, response.content
    submission_id = int(response["Location"].rstrip("/").split("/")[-1])
    return wait_for(
        lambda: Submission.objects.filter(pk=submission_id, status="done").first(),
        60,
        f"submission {submission_id} to be graded",
    )


def finished(run_id: int) -> RegradeRun | None:
    run = RegradeRun.objects.get(pk=run_id)
    return run if run.status in ("done", "error") else None


def run_id_of(response) -> int:
    assert response.status_code == 302, response.content
    return int(response["Location"].rstrip("/").split("/")[-1])


def as_an_older_engine_left_it(
    submission: Submission, score: float, verdict: str
) -> None:
    report = {**submission.report, "score": score, "verdict": verdict}
    Submission.objects.filter(pk=submission.pk).update(
        score=score, report=report, engine_version="0.0.1"
    )


def test_a_dry_run_and_an_apply_through_a_real_worker(
    live_db, course, student_client: Client, other_student, instructor, start_worker
) -> None:
    start_worker()
    raised = submit(student_client, IOU_SOURCE)
    lowered = submit(login(other_student), NO_CLAMP)
    assert lowered.report["mistake"]["id"] == "iou-no-clamp"
    as_an_older_engine_left_it(raised, 0.25, "failed")
    as_an_older_engine_left_it(lowered, 1.0, "passed")
    staff = login(instructor)

    dry_id = run_id_of(
        staff.post("/instructor/regrade/start", {"submission": [raised.pk, lowered.pk]})
    )
    dry = wait_for(lambda: finished(dry_id), 60, "the dry run")
    assert dry.status == "done" and dry.done == 2, dry.error_message
    found = {c.submission_id: c for c in dry.changes.all()}
    assert (found[raised.pk].old_score, found[raised.pk].new_score) == (0.25, 1.0)
    assert found[lowered.pk].new_score < 1.0
    assert Submission.objects.get(pk=raised.pk).score == 0.25  # untouched
    page = staff.get(f"/instructor/regrade/runs/{dry_id}/").content.decode()
    assert "Apply: regrade the 2 changed submissions again" in page

    applied_id = run_id_of(
        staff.post(f"/instructor/regrade/runs/{dry_id}/apply", {"never_lower": "on"})
    )
    applied = wait_for(lambda: finished(applied_id), 60, "the applied run")
    assert applied.status == "done", applied.error_message
    raised.refresh_from_db()
    lowered.refresh_from_db()
    assert raised.score == 1.0 and raised.engine_version == ENGINE_VERSION
    assert raised.report["verdict"] == "passed"
    assert lowered.score == 1.0 and lowered.engine_version == "0.0.1"  # never lower
    entry = AuditEntry.objects.get(action="regrade.apply")
    assert entry.actor == instructor and entry.details["counts"]["applied"] == 1
    assert entry.details["counts"]["kept_higher"] == 1


def test_a_run_survives_its_worker_being_killed(
    live_db, course, student, instructor, start_worker
) -> None:
    """SIGKILL the worker mid-run; a new worker's sweeper finds the run silent
    past the hard time limit (10 s for these workers) and sends it again. Every
    submission ends with exactly one change, graded once. The figure printed is
    the run's throughput before the kill (one worker process, warm sandbox)."""
    exercise = CodingExercise.objects.get(slug="iou")
    Submission.objects.bulk_create(
        SubmissionFactory.build_batch(
            240, user=student, exercise=exercise, graded=True, verdict="failed",
            score=0.5, engine_version="0.0.1",
        )
    )  # fmt: skip
    ids = list(Submission.objects.values_list("pk", flat=True))
    first = start_worker()
    run = service.regrade_dry_run_create(actor=instructor, submission_ids=ids)
    wait_for(
        lambda: RegradeRun.objects.get(pk=run.pk).done >= 1, 60, "the first change"
    )
    began, done_before = time.monotonic(), RegradeRun.objects.get(pk=run.pk).done
    wait_for(lambda: RegradeRun.objects.get(pk=run.pk).done >= 60, 60, "60 changes")
    moment = RegradeRun.objects.get(pk=run.pk)
    rate = (moment.done - done_before) / (time.monotonic() - began)
    print(f"\nregrade throughput through one worker process: {rate:.1f} submissions/s")
    first.kill()
    killed = RegradeRun.objects.get(pk=run.pk)
    assert killed.status in ("queued", "running") and killed.done < 240
    start_worker()
    resumed = wait_for(lambda: finished(run.pk), 120, "the run to resume and finish")
    assert resumed.status == "done" and resumed.done == 240, resumed.error_message
    assert RegradeChange.objects.filter(run=run).count() == 240
    assert set(
        RegradeChange.objects.filter(run=run).values_list("new_verdict", flat=True)
    ) == {"passed"}
