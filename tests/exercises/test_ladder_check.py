"""Checking rung attempts in the worker: idempotent claims, the verdict
(the engine's, a placed distractor naming its mistake), the signal, errors,
and the sweeper."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from engine.report import CaseResult, MistakeMatch, report_for
from exercises.coding import ladder_check
from exercises.coding.signals import rung_checked
from exercises.models import CodingExercise, RungAttempt
from tests.factories import CodingExerciseFactory
from tests.factories.ladder import RungAttemptFactory

pytestmark = pytest.mark.django_db
HIDDEN = CaseResult(
    "random 5",
    False,
    0.0,
    "expected 0.25, got 0.5",
    hidden=True,
    inputs={"box_a": [9.5, 9.5, 9.9, 9.9]},
    expected=0.25,
    got=0.5,
)


def _report(verdict: str = "failed", mistake: str = "") -> object:
    found = MistakeMatch(mistake, mistake.title(), "why") if mistake else None
    return report_for("iou", verdict, message="m", cases=(HIDDEN,), mistake=found)


@pytest.fixture
def exercise() -> CodingExercise:
    return CodingExerciseFactory(iou=True)


@pytest.fixture
def heard() -> list[int]:
    ids: list[int] = []

    def receiver(sender: object, attempt_id: int, **kwargs: object) -> None:
        ids.append(attempt_id)

    rung_checked.connect(receiver, weak=False)
    yield ids
    rung_checked.disconnect(receiver)


def test_a_claim_is_taken_once(student, exercise) -> None:
    attempt = RungAttemptFactory(user=student, exercise=exercise)
    assert ladder_check.rung_claim(attempt_id=attempt.pk, worker_id="w1")
    assert ladder_check.rung_claim(attempt_id=attempt.pk, worker_id="w2") is None
    attempt.refresh_from_db()
    assert attempt.worker_id == "w1" and attempt.attempts == 1


def test_a_verdict_is_stored_once_and_announced_once(student, exercise, heard) -> None:
    attempt = RungAttemptFactory(user=student, exercise=exercise)
    with mock.patch("engine.grade", return_value=_report("passed")) as grade:
        ladder_check.rung_check(attempt_id=attempt.pk, worker_id="w1")
        ladder_check.rung_check(attempt_id=attempt.pk, worker_id="w2")
    assert grade.call_count == 1
    assert grade.call_args.kwargs["seed"] == attempt.seed
    attempt.refresh_from_db()
    assert attempt.status == "done" and attempt.passed is True
    assert heard == [attempt.pk]


def test_the_stored_report_keeps_no_hidden_value(student, exercise) -> None:
    attempt = RungAttemptFactory(user=student, exercise=exercise)
    with mock.patch("engine.grade", return_value=_report("failed", "iou-no-clamp")):
        ladder_check.rung_check(attempt_id=attempt.pk, worker_id="w1")
    attempt.refresh_from_db()
    (case,) = attempt.report["cases"]
    assert case["inputs"] is None and case["expected"] is None and case["got"] is None
    assert "0.25" not in str(attempt.report)
    assert attempt.passed is False and attempt.mistake_id == "iou-no-clamp"


def test_an_undiagnosed_failure_with_a_distractor_is_the_distractors_mistake(
    student, exercise
) -> None:
    answer = {"blocks": [], "order_ok": False, "distractors_used": ["iou-plus-one"]}
    attempt = RungAttemptFactory(user=student, exercise=exercise, answer=answer)
    with mock.patch("engine.grade", return_value=_report("failed")):
        ladder_check.rung_check(attempt_id=attempt.pk, worker_id="w1")
    attempt.refresh_from_db()
    assert attempt.mistake_id == "iou-plus-one"


def test_the_engines_diagnosis_comes_before_the_distractor(student, exercise) -> None:
    answer = {"blocks": [], "order_ok": True, "distractors_used": ["iou-plus-one"]}
    attempt = RungAttemptFactory(user=student, exercise=exercise, answer=answer)
    with mock.patch("engine.grade", return_value=_report("failed", "iou-no-clamp")):
        ladder_check.rung_check(attempt_id=attempt.pk, worker_id="w1")
    attempt.refresh_from_db()
    assert attempt.mistake_id == "iou-no-clamp"


def test_a_passing_order_the_graph_refused_is_accepted_and_logged(
    student, exercise, caplog
) -> None:
    answer = {"blocks": [], "order_ok": False, "first_wrong": 2}
    attempt = RungAttemptFactory(user=student, exercise=exercise, answer=answer)
    with mock.patch("engine.grade", return_value=_report("passed")):
        ladder_check.rung_check(attempt_id=attempt.pk, worker_id="w1")
    attempt.refresh_from_db()
    assert attempt.passed is True and attempt.report["alternative_order"] is True
    assert "did not allow passed" in caplog.text


def test_a_stale_claim_is_retaken_and_the_old_worker_stores_nothing(
    student, exercise, settings
) -> None:
    attempt = RungAttemptFactory(user=student, exercise=exercise)
    ladder_check.rung_claim(attempt_id=attempt.pk, worker_id="dead")
    long_ago = timezone.now() - timedelta(seconds=settings.GRADING_HARD_TIME_LIMIT + 5)
    RungAttempt.objects.filter(pk=attempt.pk).update(started_at=long_ago)
    with mock.patch("engine.grade", return_value=_report("passed")):
        ladder_check.rung_check(attempt_id=attempt.pk, worker_id="alive")
    attempt.refresh_from_db()
    assert attempt.worker_id == "alive" and attempt.attempts == 2
    assert attempt.status == "done"


@pytest.mark.parametrize(
    ("raised", "words"),
    [
        (RuntimeError("boom"), "internal error"),
        (ladder_check.queue.OutOfTime(), "longer"),
    ],
)
def test_a_fault_ends_as_a_readable_error(
    student, exercise, heard, raised: Exception, words: str
) -> None:
    attempt = RungAttemptFactory(user=student, exercise=exercise)
    with mock.patch("engine.grade", side_effect=raised):
        ladder_check.rung_check(attempt_id=attempt.pk, worker_id="w1")
    attempt.refresh_from_db()
    assert attempt.status == "error" and words in attempt.error_message
    assert attempt.passed is None and heard == []


def test_an_unknown_spec_is_not_gradable(student, exercise) -> None:
    CodingExercise.objects.filter(pk=exercise.pk).update(engine_spec="gone")
    attempt = RungAttemptFactory(user=student, exercise=exercise)
    ladder_check.rung_check(attempt_id=attempt.pk, worker_id="w1")
    attempt.refresh_from_db()
    assert attempt.status == "error" and "cannot be checked" in attempt.error_message


def test_a_broker_that_is_down_leaves_the_attempt_queued(student, exercise) -> None:
    attempt = RungAttemptFactory(user=student, exercise=exercise)
    with mock.patch.object(
        ladder_check.check_rung, "apply_async", side_effect=ConnectionError
    ):
        assert ladder_check.rung_enqueue(attempt_id=attempt.pk) is False
    attempt.refresh_from_db()
    assert attempt.status == "queued" and attempt.enqueued_at is not None


def test_the_sweep_resends_lost_and_stalled_attempts_and_fails_worn_out_ones(
    student, exercise, settings
) -> None:
    now = timezone.now()
    lost = RungAttemptFactory(user=student, exercise=exercise)
    recent = RungAttemptFactory(user=student, exercise=exercise, enqueued_at=now)
    stalled = RungAttemptFactory(
        user=student,
        exercise=exercise,
        status="running",
        attempts=1,
        started_at=now - timedelta(seconds=settings.GRADING_HARD_TIME_LIMIT + 5),
    )
    worn = RungAttemptFactory(
        user=student, exercise=exercise, attempts=settings.GRADING_MAX_ATTEMPTS
    )
    with mock.patch.object(ladder_check.check_rung, "apply_async") as send:
        summary = ladder_check.rungs_sweep()
    assert sorted(call.kwargs["args"][0] for call in send.call_args_list) == sorted(
        [lost.pk, stalled.pk]
    )
    assert summary == ladder_check.SweepSummary(requeued=2, failed=1)
    worn.refresh_from_db()
    recent.refresh_from_db()
    assert worn.status == "error" and "interrupted" in worn.error_message
    assert recent.status == "queued"


def test_the_tasks_are_where_celery_and_the_beat_look(settings) -> None:
    from exercises import tasks

    assert tasks.check_rung.name == "exercises.tasks.check_rung"
    assert tasks.sweep_rungs.name == "exercises.tasks.sweep_rungs"
    assert (
        settings.CELERY_BEAT_SCHEDULE["sweep-rungs"]["task"] == tasks.sweep_rungs.name
    )
    assert settings.CELERY_TASK_ROUTES[tasks.check_rung.name] == {"queue": "grading"}
