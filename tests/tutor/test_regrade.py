"""Regrading: dry runs change nothing, applying stores new scores (never lower
when asked), every applied run is audited, and a run resumes where it stopped.

Submissions are stored with deliberately wrong old scores (as an older engine
might have given) and graded again for real, in the sandbox, through the same
task and grading path as live submissions (eager Celery in these tests)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from engine.version import ENGINE_VERSION
from exercises.coding.regrade import runs as service
from exercises.coding.regrade.rules import differs
from exercises.models import AuditEntry, CodingExercise, RegradeChange, RegradeRun
from tests.factories import (
    IOU_SOURCE,
    CodingExerciseFactory,
    RegradeChangeFactory,
    RegradeRunFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db

NO_CLAMP = (
    "def iou(a, b):\n"
    "    i = (min(a[2], b[2]) - max(a[0], b[0])) * (min(a[3], b[3]) - max(a[1], b[1]))\n"
    "    return i / ((a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - i)\n"
)
OLD_REPORT = {"verdict": "failed", "score": 0.2, "cases": [], "engine_version": "0.0.1"}


@pytest.fixture
def iou(db: None) -> CodingExercise:
    return CodingExerciseFactory(iou=True)


@pytest.fixture
def staff(instructor) -> Client:
    client = Client()
    client.force_login(instructor)
    return client


def stored(user, exercise, source: str, score: float | None, verdict: str, **fields):
    """A submission as an earlier grading left it."""
    fields.setdefault("status", "done")
    report = {**OLD_REPORT, "verdict": verdict, "score": score}
    return SubmissionFactory(
        user=user, exercise=exercise, source=source, score=score,
        report=report if fields["status"] == "done" else None,
        engine_version="0.0.1", **fields,
    )  # fmt: skip


def start(client: Client, capture, **data) -> RegradeRun:
    with capture(execute=True):
        response = client.post("/instructor/regrade/start", data)
    assert response.status_code == 302, response.content
    run = RegradeRun.objects.get(
        pk=int(response["Location"].rstrip("/").split("/")[-1])
    )
    run.refresh_from_db()
    return run


def apply(client: Client, capture, run: RegradeRun, *, never_lower: bool) -> RegradeRun:
    data = {"never_lower": "on"} if never_lower else {}
    with capture(execute=True):
        response = client.post(f"/instructor/regrade/runs/{run.pk}/apply", data)
    assert response.status_code == 302
    applied = RegradeRun.objects.get(applies=run)
    assert response["Location"] == f"/instructor/regrade/runs/{applied.pk}/"
    return applied


def changes(run: RegradeRun) -> dict[int, RegradeChange]:
    return {change.submission_id: change for change in run.changes.all()}


def test_a_dry_run_lists_what_would_change_and_changes_nothing(
    iou, student, other_student, staff, django_capture_on_commit_callbacks
) -> None:
    wrong = stored(student, iou, IOU_SOURCE, 0.2, "failed")
    right = stored(other_student, iou, IOU_SOURCE, 1.0, "passed")
    queued = stored(other_student, iou, IOU_SOURCE, None, "", status="queued")
    run = start(
        staff, django_capture_on_commit_callbacks,
        submission=[wrong.pk, right.pk, queued.pk],
    )  # fmt: skip
    assert run.dry_run and run.status == "done" and (run.done, run.total) == (3, 3)
    assert run.engine_version == ENGINE_VERSION
    found = changes(run)
    assert (found[wrong.pk].old_score, found[wrong.pk].new_score) == (0.2, 1.0)
    assert (found[wrong.pk].old_verdict, found[wrong.pk].new_verdict) == (
        "failed",
        "passed",
    )
    assert found[wrong.pk].old_engine_version == "0.0.1"
    assert found[right.pk].new_score == 1.0 and not differs(found[right.pk])
    assert found[queued.pk].new_verdict == "skipped"
    assert not any(change.applied for change in found.values())
    wrong.refresh_from_db()
    assert (wrong.score, wrong.engine_version, wrong.report) == (
        0.2,
        "0.0.1",
        {**OLD_REPORT, "verdict": "failed", "score": 0.2},
    )
    assert not AuditEntry.objects.exists()
    page = staff.get(f"/instructor/regrade/runs/{run.pk}/").content.decode()
    assert f'id="change-{wrong.pk}"' in page and f'id="change-{right.pk}"' not in page
    row = " ".join(page.split(f'id="change-{wrong.pk}"')[1].split("</tr>")[0].split())
    assert "20%" in row and "100%" in row and "0.200" not in page
    counts = " ".join(page.split())
    for count in ("1</strong> changed", "1</strong> unchanged", "1</strong> skipped"):
        assert count in counts
    assert "Apply: regrade the 1 changed submission again" in page


def test_applying_stores_new_scores_and_never_lower_keeps_higher_ones(
    iou, student, other_student, instructor, staff, django_capture_on_commit_callbacks
) -> None:
    raised = stored(student, iou, IOU_SOURCE, 0.2, "failed")
    lowered = stored(other_student, iou, NO_CLAMP, 1.0, "passed")
    capture = django_capture_on_commit_callbacks
    dry = start(staff, capture, submission=[raised.pk, lowered.pk])
    assert differs(changes(dry)[lowered.pk])
    run = apply(staff, capture, dry, never_lower=True)
    assert run.status == "done" and not run.dry_run and run.never_lower
    raised.refresh_from_db()
    lowered.refresh_from_db()
    assert raised.score == 1.0 and raised.report["verdict"] == "passed"
    assert raised.engine_version == ENGINE_VERSION and raised.status == "done"
    assert lowered.score == 1.0 and lowered.report["verdict"] == "passed"  # kept
    found = changes(run)
    assert found[raised.pk].applied and not found[lowered.pk].applied
    assert found[lowered.pk].new_score < 1.0
    assert found[lowered.pk].new_verdict == "failed"
    page = staff.get(f"/instructor/regrade/runs/{run.pk}/").content.decode()
    assert "old score kept (higher)" in page
    entry = AuditEntry.objects.get()
    assert entry.action == "regrade.apply" and entry.actor == instructor
    assert (
        entry.target_id == str(run.pk)
        and entry.details["engine_version"] == ENGINE_VERSION
    )
    assert entry.details["counts"] == {
        "regraded": 2, "applied": 1, "kept_higher": 1, "skipped": 0,
        "grader_errors": 0, "differ_from_dry_run": 0,
    }  # fmt: skip
    rows = {row["submission"]: row for row in entry.details["changes"]}
    assert (rows[raised.pk]["old_score"], rows[raised.pk]["new_score"]) == (0.2, 1.0)
    assert rows[raised.pk]["student"] == "alice" and rows[raised.pk]["applied"]
    assert rows[lowered.pk]["note"] == "old score kept (higher)"
    again = staff.post(f"/instructor/regrade/runs/{dry.pk}/apply", follow=True)
    assert "already been applied" in again.content.decode()
    assert RegradeRun.objects.filter(applies=dry).count() == 1


def test_without_never_lower_a_lower_score_is_stored(
    iou, other_student, staff, django_capture_on_commit_callbacks
) -> None:
    lowered = stored(other_student, iou, NO_CLAMP, 1.0, "passed")
    capture = django_capture_on_commit_callbacks
    run = apply(
        staff,
        capture,
        start(staff, capture, submission=[lowered.pk]),
        never_lower=False,
    )
    lowered.refresh_from_db()
    assert lowered.score < 1.0 and lowered.report["verdict"] == "failed"
    assert lowered.report["mistake"]["id"] == "iou-no-clamp"
    assert changes(run)[lowered.pk].applied


def test_applying_says_where_the_new_grading_differs_from_the_dry_run(
    iou, student, staff, django_capture_on_commit_callbacks
) -> None:
    submission = stored(student, iou, IOU_SOURCE, 0.2, "failed")
    capture = django_capture_on_commit_callbacks
    dry = start(staff, capture, submission=[submission.pk])
    # As if the engine had graded otherwise when the dry run ran.
    dry.changes.update(new_score=0.6)
    run = apply(staff, capture, dry, never_lower=True)
    submission.refresh_from_db()
    assert submission.score == 1.0  # what the grading says now
    page = staff.get(f"/instructor/regrade/runs/{run.pk}/").content.decode()
    assert "differs from the dry run (0.6, passed)" in page
    assert AuditEntry.objects.get().details["counts"]["differ_from_dry_run"] == 1


def test_every_submission_of_one_exercise(
    iou, student, other_student, staff, django_capture_on_commit_callbacks
) -> None:
    ids = {
        stored(student, iou, IOU_SOURCE, 1.0, "passed").pk,
        stored(other_student, iou, IOU_SOURCE, 1.0, "passed").pk,
    }
    listing = staff.get("/instructor/regrade/", {"exercise": iou.pk}).content.decode()
    assert "Dry run every submission of IoU" in listing
    run = start(staff, django_capture_on_commit_callbacks, exercise=iou.pk)
    assert run.exercise == iou and set(run.submission_ids) == ids
    assert run.status == "done" and run.done == 2
    page = staff.get(f"/instructor/regrade/runs/{run.pk}/").content.decode()
    assert "No score would change" in page


def test_the_list_filters_by_exercise_student_and_status(
    iou, student, other_student, staff
) -> None:
    mine = stored(student, iou, IOU_SOURCE, 1.0, "passed")
    theirs = stored(other_student, iou, IOU_SOURCE, 0.5, "failed")
    waiting = stored(other_student, iou, IOU_SOURCE, None, "", status="queued")
    page = staff.get("/instructor/regrade/", {"student": "bo", "status": "done"})
    listed = page.content.decode()
    ticked = {
        submission.pk: f'aria-label="Regrade submission {submission.pk}"' in listed
        for submission in (mine, theirs, waiting)
    }
    assert ticked == {mine.pk: False, theirs.pk: True, waiting.pk: False}
    assert "1 submission." in listed


def test_nothing_selected_is_refused_with_a_message(staff) -> None:
    response = staff.post("/instructor/regrade/start", {}, follow=True)
    assert "Select at least one submission" in response.content.decode()
    assert not RegradeRun.objects.exists()


def test_a_grader_failure_is_recorded_and_never_applied(
    iou, student, instructor, django_capture_on_commit_callbacks
) -> None:
    submission = stored(student, iou, IOU_SOURCE, 0.2, "failed")
    CodingExercise.objects.filter(pk=iou.pk).update(engine_spec="no-such-spec")
    with django_capture_on_commit_callbacks(execute=True):
        run = service.regrade_dry_run_create(
            actor=instructor, submission_ids=[submission.pk]
        )
    run.refresh_from_db()
    change = run.changes.get()
    assert run.status == "done" and change.new_verdict == "grader_error"
    with pytest.raises(service.RegradeRefused, match="no score to change"):
        service.regrade_apply_create(actor=instructor, dry_run=run)


def test_a_run_works_in_chunks_and_each_submission_once(
    iou, student, instructor
) -> None:
    ids = [stored(student, iou, IOU_SOURCE, 0.5, "failed").pk for _ in range(3)]
    run = RegradeRunFactory(created_by=instructor, submission_ids=ids, total=len(ids))
    # A budget of 0 s grades one submission, then sends the rest on (run
    # eagerly here, one submission per task).
    assert service.regrade_process(run_id=run.pk, budget=0) is True
    run.refresh_from_db()
    assert run.status == "done" and run.done == 3
    assert sorted(run.changes.values_list("submission_id", flat=True)) == ids
    assert service.regrade_process(run_id=run.pk) is False  # finished: not claimed


def test_a_stalled_run_resumes_without_regrading_what_it_did(
    iou, student, instructor
) -> None:
    """A worker died mid-run: the run says running, its last change is older
    than the hard time limit. The sweeper sends it again; the new task grades
    only what has no change yet."""
    first, second = (stored(student, iou, IOU_SOURCE, 0.5, "failed") for _ in range(2))
    long_ago = timezone.now() - timedelta(minutes=10)
    run = RegradeRunFactory(
        created_by=instructor, submission_ids=[first.pk, second.pk], total=2,
        status="running", done=1,
    )  # fmt: skip
    done = RegradeChangeFactory(
        run=run, submission=first, old_score=0.5, new_score=0.42, new_verdict="failed"
    )
    RegradeRun.objects.filter(pk=run.pk).update(created_at=long_ago)
    RegradeChange.objects.filter(pk=done.pk).update(created_at=long_ago)
    assert service.regrades_sweep() == 1
    run.refresh_from_db()
    assert run.status == "done" and run.done == 2
    assert run.changes.get(submission=first).new_score == 0.42  # not graded again
    assert run.changes.get(submission=second).new_score == 1.0


def test_a_run_in_hand_is_left_alone(iou, student, instructor) -> None:
    submission = stored(student, iou, IOU_SOURCE, 0.5, "failed")
    other = stored(student, iou, IOU_SOURCE, 0.5, "failed")
    run = RegradeRunFactory(
        created_by=instructor, submission_ids=[submission.pk, other.pk], total=2,
        status="running",
    )  # fmt: skip
    RegradeChangeFactory(run=run, submission=submission, new_verdict="passed")
    assert service.regrade_process(run_id=run.pk) is False
    assert service.regrades_sweep() == 0
    assert run.changes.count() == 1


def test_the_progress_partial_polls_until_the_run_ends(iou, instructor, staff) -> None:
    run = RegradeRunFactory(created_by=instructor, submission_ids=[1], total=1)
    polled = staff.get(
        f"/instructor/regrade/runs/{run.pk}/progress", HTTP_HX_REQUEST="true"
    )
    assert (
        'hx-trigger="every 1s"' in polled.content.decode()
        and "0 of 1" in polled.content.decode()
    )
    assert "HX-Refresh" not in polled
    RegradeRun.objects.filter(pk=run.pk).update(status="done", done=1)
    ended = staff.get(
        f"/instructor/regrade/runs/{run.pk}/progress", HTTP_HX_REQUEST="true"
    )
    assert "hx-trigger" not in ended.content.decode() and ended["HX-Refresh"] == "true"
