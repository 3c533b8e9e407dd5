"""Submission services: creation rules, idempotent claiming, the sweeper."""

from collections.abc import Callable
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from engine import get_spec
from exercises.coding import grader, ladder_check, submissions
from exercises.coding.regrade import runs as regrade_runs
from exercises.models import CodingExercise, RungAttempt, Submission
from tests.factories import (
    CodingExerciseFactory,
    RegradeRunFactory,
    SubmissionFactory,
)
from tests.factories.ladder import RungAttemptFactory

GOOD = (
    "def iou(a, b):\n"
    "    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))\n"
    "    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))\n"
    "    i = w * h\n"
    "    u = (a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - i\n"
    "    return i / u if u > 0 else 0.0\n"
)
pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise(course: None) -> CodingExercise:
    return CodingExercise.objects.get(slug="iou")


def test_create_grades_on_commit(
    student, exercise, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submission = submissions.submission_create(
            user=student, exercise=exercise, source=GOOD
        )
    assert len(callbacks) == 1
    submission.refresh_from_db()
    assert submission.status == "done" and submission.score == 1.0
    assert submission.report["verdict"] == "passed" and submission.attempts == 1
    assert submission.engine_version and submission.finished_at


@pytest.mark.parametrize(
    ("source", "status"),
    [("", 400), ("   \n\t", 400), ("x" * 70_000, 413), ("a = 1\x00", 400)],
)
def test_create_rejects_bad_code(student, exercise, source: str, status: int) -> None:
    with pytest.raises(submissions.SubmissionRejected) as caught:
        submissions.submission_create(user=student, exercise=exercise, source=source)
    assert caught.value.status == status
    assert not Submission.objects.exists()


def test_a_second_submission_while_one_is_active_is_refused(student, exercise) -> None:
    first = SubmissionFactory(user=student, exercise=exercise, source=GOOD)
    with pytest.raises(submissions.SubmissionRejected) as caught:
        submissions.submission_create(user=student, exercise=exercise, source=GOOD)
    assert caught.value.status == 409
    assert list(Submission.objects.all()) == [first]


def test_the_database_refuses_two_active_submissions_even_in_a_race(
    student, exercise
) -> None:
    SubmissionFactory(user=student, exercise=exercise, source=GOOD)
    with mock.patch.object(submissions.Submission.objects, "filter") as filtered:
        filtered.return_value.exists.return_value = (
            False  # the friendly check misses it
        )
        filtered.return_value.count.return_value = (
            0  # and the rate limit lets it through
        )
        with pytest.raises(submissions.SubmissionRejected):
            submissions.submission_create(user=student, exercise=exercise, source=GOOD)
    assert Submission.objects.count() == 1


def test_a_claim_is_taken_once(student, exercise) -> None:
    submission = SubmissionFactory(user=student, exercise=exercise, source=GOOD)
    assert submissions.submission_claim(submission_id=submission.pk, worker_id="w1")
    assert (
        submissions.submission_claim(submission_id=submission.pk, worker_id="w2")
        is None
    )
    submission.refresh_from_db()
    assert submission.worker_id == "w1" and submission.attempts == 1


def test_a_stale_claim_can_be_retaken_and_the_old_worker_cannot_finish(
    student, exercise, settings
) -> None:
    submission = SubmissionFactory(user=student, exercise=exercise, source=GOOD)
    submissions.submission_claim(submission_id=submission.pk, worker_id="dead")
    long_ago = timezone.now() - timedelta(seconds=settings.GRADING_HARD_TIME_LIMIT + 5)
    Submission.objects.filter(pk=submission.pk).update(started_at=long_ago)
    submissions.submission_grade(submission_id=submission.pk, worker_id="alive")
    submission.refresh_from_db()
    assert submission.status == "done" and submission.worker_id == "alive"
    assert submission.attempts == 2


def test_grading_a_done_submission_again_changes_nothing(student, exercise) -> None:
    submission = SubmissionFactory(user=student, exercise=exercise, source=GOOD)
    submissions.submission_grade(submission_id=submission.pk, worker_id="w1")
    submission.refresh_from_db()
    finished = submission.finished_at
    submissions.submission_grade(submission_id=submission.pk, worker_id="w2")
    submission.refresh_from_db()
    assert submission.finished_at == finished and submission.attempts == 1


def test_progress_is_written_once_a_grading_is_no_longer_young(
    student, exercise
) -> None:
    """A quick grading writes no progress (its row goes from "starting" to
    done); a longer one shows its phase and cases, a few writes a second at
    most, and each change of phase at once."""
    submission = SubmissionFactory(user=student, exercise=exercise)
    submissions.submission_claim(submission_id=submission.pk, worker_id="w")
    now = [100.0]
    write = submissions._progress_writer(submission.pk, "w", clock=lambda: now[0])

    def shown() -> tuple[str, int, int]:
        submission.refresh_from_db()
        return (submission.phase, submission.cases_done, submission.cases_total)

    for at, call, expected in [
        (100.0, ("running", 0, 18), ("starting", 0, 0)),
        (100.2, ("running", 18, 18), ("starting", 0, 0)),
        (100.24, ("comparing", 18, 18), ("starting", 0, 0)),
        (100.3, ("running", 3, 18), ("running", 3, 18)),
        (100.4, ("running", 5, 18), ("running", 3, 18)),
        (100.56, ("running", 9, 18), ("running", 9, 18)),
        (100.6, ("comparing", 18, 18), ("comparing", 18, 18)),
    ]:
        now[0] = at
        write(*call)
        assert shown() == expected, at
    # Another worker's claim is not written over.
    Submission.objects.filter(pk=submission.pk).update(worker_id="other")
    now[0] = 101.0
    write("running", 1, 18)
    assert shown() == ("comparing", 18, 18)


def test_an_unknown_spec_ends_as_a_readable_error(student, exercise) -> None:
    CodingExercise.objects.filter(pk=exercise.pk).update(engine_spec="gone")
    submission = SubmissionFactory(user=student, exercise=exercise, source=GOOD)
    submissions.submission_grade(submission_id=submission.pk, worker_id="w1")
    submission.refresh_from_db()
    assert submission.status == "error"
    assert "your code is saved" in submission.error_message
    assert submission.source == GOOD


def test_an_internal_fault_ends_as_a_readable_error(student, exercise) -> None:
    submission = SubmissionFactory(user=student, exercise=exercise, source=GOOD)
    with mock.patch("engine.grade", side_effect=RuntimeError("disk on fire")):
        submissions.submission_grade(submission_id=submission.pk, worker_id="w1")
    submission.refresh_from_db()
    assert submission.status == "error" and "internal error" in submission.error_message
    assert "disk on fire" not in submission.error_message


def test_a_broker_failure_is_logged_not_raised(student, exercise) -> None:
    submission = SubmissionFactory(user=student, exercise=exercise, source=GOOD)
    with mock.patch(
        "exercises.tasks.grade_submission.apply_async",
        side_effect=ConnectionError("down"),
    ):
        assert submissions.submission_enqueue(submission_id=submission.pk) is False
    submission.refresh_from_db()
    assert submission.status == "queued" and submission.enqueued_at is not None


def test_the_sweeper_requeues_lost_and_stale_submissions(
    student, other_student, exercise, settings
) -> None:
    now = timezone.now()
    lost = SubmissionFactory(
        user=student,
        exercise=exercise,
        source=GOOD,
        enqueued_at=now - timedelta(seconds=settings.GRADING_REQUEUE_AFTER + 1),
    )
    fresh = SubmissionFactory(
        user=other_student, exercise=exercise, source=GOOD, enqueued_at=now
    )
    with mock.patch("exercises.tasks.grade_submission.apply_async") as send:
        summary = submissions.submissions_sweep()
    assert summary.requeued == 1
    send.assert_called_once_with(args=(lost.pk,), retry=False, priority=0)
    fresh.refresh_from_db()
    assert fresh.status == "queued"


def test_the_sweeper_gives_up_after_the_last_attempt(
    student, exercise, settings
) -> None:
    stale = timezone.now() - timedelta(seconds=settings.GRADING_HARD_TIME_LIMIT + 1)
    submission = SubmissionFactory(
        user=student,
        exercise=exercise,
        source=GOOD,
        status="running",
        started_at=stale,
        attempts=settings.GRADING_MAX_ATTEMPTS,
    )
    with mock.patch("exercises.tasks.grade_submission.apply_async") as send:
        summary = submissions.submissions_sweep()
    assert summary.failed == 1 and not send.called
    submission.refresh_from_db()
    assert submission.status == "error" and "interrupted" in submission.error_message
    assert submission.source == GOOD


def test_limits_come_from_the_fit_the_site_and_the_exercise(exercise, settings) -> None:
    """The spec's fitted CPU limit (1 s for IoU) under the site's cap, the
    site's memory, then the instructor's overrides."""
    fitted = get_spec("iou").limits
    settings.SANDBOX_CPU_SECONDS = 3.0
    settings.SANDBOX_MEMORY_MB = 512
    limits = grader.limits_for(exercise)
    assert (limits.cpu_seconds, limits.wall_seconds, limits.memory_mb) == (
        fitted.cpu_seconds,
        fitted.wall_seconds,
        512,
    )
    settings.SANDBOX_CPU_SECONDS = 0.5  # the site's cap is lower than the fit
    assert grader.limits_for(exercise).cpu_seconds == 0.5
    exercise.limits = {"wall_seconds": 4, "ignored": 1}
    assert grader.limits_for(exercise).wall_seconds == 4.0


def test_an_exercise_time_limit_reaches_the_sandbox(
    student, exercise, settings
) -> None:
    # The wall clock is far above the CPU limit, so that the CPU limit strikes
    # first however loaded the machine is (a loop that gets under half a core
    # would otherwise meet a tight wall clock first); without the exercise's
    # own limit, the default of 5 s of CPU time would be named.
    exercise.limits = {"cpu_seconds": 1, "wall_seconds": 30}
    exercise.save()
    submission = SubmissionFactory(user=student, exercise=exercise, source=GOOD)
    Submission.objects.filter(pk=submission.pk).update(
        source="def iou(a, b):\n    while True:\n        pass\n"
    )
    submissions.submission_grade(submission_id=submission.pk, worker_id="w1")
    submission.refresh_from_db()
    assert submission.report["verdict"] == "time_limit"
    assert "1 s of CPU time" in submission.report["message"]


def test_submissions_are_rate_limited_per_student(
    student, other_student, exercise, settings
) -> None:
    settings.GRADING_SUBMISSIONS_PER_MINUTE = 2
    for _ in range(2):
        SubmissionFactory(user=student, exercise=exercise, source=GOOD, status="done")
    with pytest.raises(submissions.SubmissionRejected) as caught:
        submissions.submission_create(user=student, exercise=exercise, source=GOOD)
    assert caught.value.status == 429 and "limit is 2" in caught.value.message
    submissions.submission_create(
        user=other_student, exercise=exercise, source=GOOD
    )  # others unaffected


def _sent_priority(task: str, send: Callable[[], bool]) -> int | None:
    """The broker priority `send` gave the task's message."""
    with mock.patch(f"exercises.tasks.{task}.apply_async") as apply_async:
        assert send() is True
    return apply_async.call_args.kwargs["priority"]


def test_a_students_first_grading_goes_with_everybodys_first(
    student, other_student, settings
) -> None:
    """Fairness: each of a student's own gradings waiting before this one
    (submissions and rung checks, queued or running) puts it a step later;
    other students' work, finished work and later work do not count."""
    settings.GRADING_PRIORITY_STEPS = [0, 3, 6, 9]
    exercises = CodingExerciseFactory.create_batch(6)
    SubmissionFactory(user=other_student, exercise=exercises[0])  # someone else's
    SubmissionFactory(user=student, exercise=exercises[1], graded=True)  # finished
    ahead: list[Submission | RungAttempt] = []
    expected = [0, 3, 6, 9, 9]
    for index, step in enumerate(expected):
        row: Submission | RungAttempt
        if index == 2:  # a rung check counts like a submission
            row = RungAttemptFactory(user=student, exercise=exercises[index + 1])
            priority = _sent_priority(
                "check_rung", lambda r=row: ladder_check.rung_enqueue(attempt_id=r.pk)
            )
        else:
            row = SubmissionFactory(user=student, exercise=exercises[index + 1])
            priority = _sent_priority(
                "grade_submission",
                lambda r=row: submissions.submission_enqueue(submission_id=r.pk),
            )
        assert priority == step, (index, priority)
        ahead.append(row)
    # The first one running still counts (the student holds a worker); once
    # done, the next of theirs moves up a step.
    first = ahead[0]
    Submission.objects.filter(pk=first.pk).update(status="running")
    assert submissions.submission_priority(ahead[1].pk) == 3
    Submission.objects.filter(pk=first.pk).update(status="done")
    assert submissions.submission_priority(ahead[1].pk) == 0
    # Another student's first submission is not held back by any of it.
    theirs = SubmissionFactory(user=other_student, exercise=exercises[5])
    assert submissions.submission_priority(theirs.pk) == 3  # one of theirs ahead
    Submission.objects.filter(user=other_student).exclude(pk=theirs.pk).delete()
    assert submissions.submission_priority(theirs.pk) == 0


def test_a_regrade_goes_after_every_students_work(settings) -> None:
    settings.GRADING_PRIORITY_STEPS = [0, 3, 6, 9]
    run = RegradeRunFactory()
    priority = _sent_priority(
        "regrade_run", lambda: regrade_runs.regrade_enqueue(run_id=run.pk)
    )
    assert priority == 9
