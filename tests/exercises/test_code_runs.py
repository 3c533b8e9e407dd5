"""Runs before submitting (exercises.coding.runs): what the job carries, the
budget, own input, the claim and the sweeper, and that a run is no attempt.
The sandbox is replaced by the child's runtime in this process
(tests.engine.inprocess); tests/engine/test_run_examples.py runs the real one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.utils import timezone

from engine.specs import get_spec
from engine.stored import to_stored
from exercises.coding import runs
from exercises.coding.runs import RunRejected, run_create, run_execute, runs_sweep
from exercises.coding.signals import submission_scored
from exercises.coding.worked_examples import EXAMPLES_SEED
from exercises.models import CodeRun, CodingExercise
from tests.engine.inprocess import InProcessRunner
from tests.factories import CodingExerciseFactory, SubmissionFactory
from tests.factories.runs import CodeRunFactory

pytestmark = pytest.mark.django_db
RIGHT = (
    "def iou(a, b):\n"
    "    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))\n"
    "    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))\n"
    "    i = w * h\n"
    "    u = (a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - i\n"
    "    return i / u if u > 0 else 0.0\n"
)
WRONG_NO_CLAMP = (
    "def iou(a, b):\n"
    "    i = (min(a[2], b[2]) - max(a[0], b[0])) * (min(a[3], b[3]) - max(a[1], b[1]))\n"
    "    return i / ((a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - i)\n"
)
OWN = {"arg-box_a": "[0, 0, 2, 2]", "arg-box_b": "[1, 1, 3, 3]"}


@pytest.fixture
def exercise() -> CodingExercise:
    return CodingExerciseFactory(iou=True)


@pytest.fixture
def runner() -> InProcessRunner:
    return InProcessRunner()


def create_and_run(
    user: User, exercise: CodingExercise, runner: InProcessRunner, **kw: Any
) -> CodeRun:
    kw.setdefault("source", RIGHT)
    kw.setdefault("on", "examples")
    created = run_create(user=user, exercise=exercise, **kw)
    run_execute(run_id=created.pk, worker_id="test", runner=runner)
    created.refresh_from_db()
    return created


def test_a_correct_function_matches_every_example(student, exercise, runner) -> None:
    done = create_and_run(student, exercise, runner)
    visible = [case for case in get_spec("iou").cases(EXAMPLES_SEED) if not case.hidden]
    assert done.status == "done" and done.attempts == 1
    assert done.matched == done.total == len(visible)
    assert done.result["summary"] == f"All {len(visible)} examples match the reference."
    assert done.duration_ms is not None and done.finished_at is not None


def test_a_wrong_function_shows_the_difference(student, exercise, runner) -> None:
    done = create_and_run(student, exercise, runner, source=WRONG_NO_CLAMP)
    assert 0 < done.matched < done.total
    diagonal = next(c for c in done.result["cases"] if "diagonal" in c["label"])
    assert diagonal["matched"] is False and diagonal["message"].startswith(
        "expected 0, got 1"
    )
    assert "mistake" not in json.dumps(done.result).lower()


def test_the_job_never_carries_a_hidden_case(student, exercise, runner) -> None:
    create_and_run(student, exercise, runner)
    create_and_run(student, exercise, runner, on="own", fields=OWN)
    cases = get_spec("iou").cases(EXAMPLES_SEED)
    hidden = [case.kwargs for case in cases if case.hidden]
    visible = [case.kwargs for case in cases if not case.hidden]
    assert hidden and runner.cases_seen
    assert not any(seen in hidden for seen in runner.cases_seen)
    assert runner.jobs[0].cases == visible
    assert runner.jobs[1].cases == [
        {"box_a": [0.0, 0.0, 2.0, 2.0], "box_b": [1.0, 1.0, 3.0, 3.0]}
    ]


def test_cases_the_feedback_policy_keeps_back_are_not_examples(
    student, exercise, runner
) -> None:
    exercise.case_overrides = {"edge 1": "message", "edge 2": "after_due"}
    exercise.save()
    create_and_run(student, exercise, runner)
    names = [case["name"] for case in CodeRun.objects.get().result["cases"]]
    assert "edge 1" not in names and "edge 2" not in names and "edge 3" in names
    exercise.case_feedback = "message"
    exercise.case_overrides = {}
    exercise.save()
    with pytest.raises(RunRejected) as caught:
        run_create(user=student, exercise=exercise, source=RIGHT, on="examples")
    assert caught.value.status == 409 and "no worked examples" in caught.value.message


@pytest.fixture
def no_side_effects() -> Iterator[list[int]]:
    """Every table but the runs' keeps its rows; no score is announced."""
    counted = [m for m in apps.get_models() if m is not CodeRun]
    before = {m: m.objects.count() for m in counted}
    scored: list[int] = []

    def heard(sender: object, submission_id: int, **kwargs: object) -> None:
        scored.append(submission_id)

    submission_scored.connect(heard, weak=False)
    yield scored
    submission_scored.disconnect(heard)
    assert {m: m.objects.count() for m in counted} == before


def test_a_run_is_no_attempt_and_moves_no_progress(
    student, exercise, runner, no_side_effects: list[int]
) -> None:
    create_and_run(student, exercise, runner)
    create_and_run(student, exercise, runner, source=WRONG_NO_CLAMP)
    create_and_run(student, exercise, runner, on="own", fields=OWN)
    assert CodeRun.objects.filter(status="done").count() == 3
    assert no_side_effects == []


@pytest.mark.parametrize(
    ("source", "status"),
    [("", 400), ("  \n", 400), ("x" * 70_000, 413), ("a = 1\x00", 400)],
)
def test_bad_code_is_refused(student, exercise, source: str, status: int) -> None:
    with pytest.raises(RunRejected) as caught:
        run_create(user=student, exercise=exercise, source=source, on="examples")
    assert caught.value.status == status
    assert not CodeRun.objects.exists()


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({**OWN, "arg-box_a": "[0, 0, 2]"}, "box_a must be a list of 4 numbers"),
        ({**OWN, "arg-box_b": "[0, 0, NaN, 1]"}, "NaN or an infinity"),
        ({**OWN, "arg-box_b": "{[0, 0"}, "box_b is not valid JSON"),
        ({**OWN, "arg-box_b": json.dumps([0.5] * 10_001)}, "the limit is 10,000"),
        ({"arg-box_a": "[0, 0, 2, 2]"}, "Give a value for box_b"),
    ],
)
def test_bad_own_input_is_refused_before_queueing(
    student, exercise, fields: dict[str, str], says: str
) -> None:
    with pytest.raises(RunRejected) as caught:
        run_create(
            user=student, exercise=exercise, source=RIGHT, on="own", fields=fields
        )
    assert caught.value.status == 400 and says in caught.value.message
    assert not CodeRun.objects.exists()


def test_an_unknown_target_is_refused(student, exercise) -> None:
    with pytest.raises(RunRejected) as caught:
        run_create(user=student, exercise=exercise, source=RIGHT, on="hidden")
    assert caught.value.status == 400


@pytest.fixture
def now(monkeypatch) -> datetime:
    """The clock stands still, so the wait a refusal names is exact."""
    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_the_budget_per_five_minutes_says_when_to_try_again(
    student, exercise, settings, now: datetime
) -> None:
    settings.CODE_RUNS_PER_5_MINUTES = 3
    for minutes in (4, 2, 1):
        made = CodeRunFactory(user=student, exercise=exercise, status="done")
        CodeRun.objects.filter(pk=made.pk).update(
            created_at=now - timedelta(minutes=minutes)
        )
    CodeRunFactory(exercise=exercise)  # another student's run does not count
    with pytest.raises(RunRejected) as caught:
        run_create(user=student, exercise=exercise, source=RIGHT, on="examples")
    assert caught.value.status == 429
    # The run of 4 minutes ago leaves the window in a minute.
    assert caught.value.retry_after == 60
    assert "3 times in the last 5 minutes" in caught.value.message
    assert "Try again in 1 minute" in caught.value.message
    assert "Submitting for grading has its own limit" in caught.value.message
    assert CodeRun.objects.filter(user=student).count() == 3


def test_the_hourly_budget(student, exercise, settings, now: datetime) -> None:
    settings.CODE_RUNS_PER_HOUR = 2
    for minutes in (50, 20):
        made = CodeRunFactory(user=student, exercise=exercise, status="done")
        CodeRun.objects.filter(pk=made.pk).update(
            created_at=now - timedelta(minutes=minutes)
        )
    with pytest.raises(RunRejected) as caught:
        run_create(user=student, exercise=exercise, source=RIGHT, on="examples")
    assert caught.value.status == 429 and "in the last hour" in caught.value.message
    assert caught.value.retry_after == 10 * 60
    assert "Try again in 10 minutes" in caught.value.message
    CodeRun.objects.filter(created_at__lt=now - timedelta(minutes=40)).update(
        created_at=now - timedelta(minutes=61)
    )
    assert run_create(user=student, exercise=exercise, source=RIGHT, on="examples")


def test_a_new_run_replaces_a_queued_one(student, exercise, runner) -> None:
    first = run_create(user=student, exercise=exercise, source=RIGHT, on="examples")
    second = run_create(user=student, exercise=exercise, source=RIGHT, on="examples")
    first.refresh_from_db()
    assert first.status == "error" and first.error_message == "Replaced by a newer run."
    run_execute(run_id=first.pk, worker_id="w", runner=runner)
    assert runner.jobs == []  # a replaced run is never claimed
    run_execute(run_id=second.pk, worker_id="w", runner=runner)
    run_execute(run_id=second.pk, worker_id="w2", runner=runner)  # delivered twice
    assert len(runner.jobs) == 1
    assert CodeRun.objects.get(pk=second.pk).worker_id == "w"


def test_a_run_is_sent_once_committed(
    student, exercise, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    sent: list[int] = []
    monkeypatch.setattr(
        runs.RUNS.task, "apply_async", lambda args, **kw: sent.append(args[0])
    )
    with django_capture_on_commit_callbacks(execute=True):
        made = run_create(user=student, exercise=exercise, source=RIGHT, on="examples")
        assert sent == []
    assert sent == [made.pk]
    assert CodeRun.objects.get(pk=made.pk).enqueued_at is not None


def test_the_sweeper_resends_expires_and_gives_up(
    student, exercise, settings, monkeypatch
) -> None:
    sent: list[int] = []
    monkeypatch.setattr(
        runs.RUNS.task, "apply_async", lambda args, **kw: sent.append(args[0])
    )
    now = timezone.now()
    lost = CodeRunFactory(user=student, exercise=exercise)
    CodeRun.objects.filter(pk=lost.pk).update(
        created_at=now - timedelta(minutes=3), enqueued_at=now - timedelta(minutes=3)
    )
    old = CodeRunFactory(user=student, exercise=exercise)
    CodeRun.objects.filter(pk=old.pk).update(created_at=now - timedelta(minutes=11))
    stalled = CodeRunFactory(user=student, exercise=exercise, status="running")
    CodeRun.objects.filter(pk=stalled.pk).update(
        started_at=now - timedelta(seconds=settings.GRADING_HARD_TIME_LIMIT + 5),
        attempts=1,
    )
    spent = CodeRunFactory(
        user=student, exercise=exercise, attempts=settings.GRADING_MAX_ATTEMPTS
    )
    fresh = CodeRunFactory(user=student, exercise=exercise)
    CodeRun.objects.filter(pk=fresh.pk).update(enqueued_at=now)
    summary = runs_sweep(now)
    assert (summary.expired, summary.failed, summary.requeued) == (1, 1, 2)
    assert sorted(sent) == sorted([lost.pk, stalled.pk])
    state = dict(CodeRun.objects.values_list("pk", "status"))
    assert state[old.pk] == state[spent.pk] == "error"
    assert state[fresh.pk] == "queued"
    assert "waited too long" in CodeRun.objects.get(pk=old.pk).error_message


def test_a_run_that_fails_inside_says_so(student, exercise) -> None:
    class Broken:
        def run(self, job: Any, limits: Any, on_progress: Any = None) -> Any:
            raise OSError("the sandbox host closed its socket")

    made = run_create(user=student, exercise=exercise, source=RIGHT, on="examples")
    run_execute(run_id=made.pk, worker_id="w", runner=Broken())  # type: ignore[arg-type]
    made.refresh_from_db()
    assert made.status == "error" and "internal error" in made.error_message


def test_own_input_shows_the_laws_but_not_the_reference_before_a_pass(
    student, exercise, runner
) -> None:
    source = "def iou(a, b):\n    return 1.5\n"
    done = create_and_run(
        student, exercise, runner, source=source, on="own", fields=OWN
    )
    [case] = done.result["cases"]
    assert case["got"] == 1.5 and case["expected"] is None and case["matched"] is None
    assert done.matched is None and done.total == 1
    assert [law["id"] for law in done.result["laws"] if law["broken"]] == ["iou-range"]
    assert "once you have passed this exercise" in done.result["reference"]


def test_own_input_shows_the_reference_after_a_pass(student, exercise, runner) -> None:
    SubmissionFactory(user=student, exercise=exercise, graded=True)
    done = create_and_run(
        student, exercise, runner, source=WRONG_NO_CLAMP, on="own", fields=OWN
    )
    [case] = done.result["cases"]
    assert case["expected"] == pytest.approx(1 / 7) and case["matched"] is True
    assert done.result["reference"] == "" and done.matched == 1
    apart = {"arg-box_a": "[0, 0, 1, 1]", "arg-box_b": "[2, 2, 3, 3]"}
    wrong = create_and_run(
        student, exercise, runner, source=WRONG_NO_CLAMP, on="own", fields=apart
    )
    assert wrong.result["cases"][0]["message"].startswith("expected 0, got 1")


def test_no_reference_for_an_input_far_larger_than_the_examples(
    student, runner
) -> None:
    exercise = CodingExerciseFactory(engine_spec="skipgram_pairs")
    SubmissionFactory(user=student, exercise=exercise, graded=True)
    source = "def skipgram_pairs(tokens, window):\n    return []\n"
    near = {"arg-tokens": '["a", "b", "c"]', "arg-window": "1"}
    done = create_and_run(
        student, exercise, runner, source=source, on="own", fields=near
    )
    assert done.result["cases"][0]["matched"] is False
    far = {**near, "arg-window": "100000"}
    done = create_and_run(
        student, exercise, runner, source=source, on="own", fields=far
    )
    assert done.result["cases"][0]["matched"] is None
    assert "at most 4 times the size" in done.result["reference"]


def test_an_own_exercise_runs_on_its_stored_visible_cases(student, runner) -> None:
    cases = [
        {"name": "small", "label": "edge", "hidden": False,
         "inputs": [["x", [1.0, 2.0, 3.0]]], "expected": to_stored([-1.0, 0.0, 1.0])},
        {"name": "secret", "label": "random", "hidden": True,
         "inputs": [["x", [4.0, 8.0]]], "expected": to_stored([-2.0, 2.0])},
    ]  # fmt: skip
    exercise = CodingExerciseFactory(
        own=True, generated_cases=cases, validation_status="passed", is_published=True
    )
    source = (
        "import numpy as np\ndef centre(x):\n    return np.asarray(x) - np.mean(x)\n"
    )
    done = create_and_run(student, exercise, runner, source=source)
    assert done.matched == done.total == 1
    assert runner.cases_seen == [{"x": [1.0, 2.0, 3.0]}]
    own = create_and_run(
        student, exercise, runner, source=source, on="own", fields={"arg-x": "[2, 4]"}
    )
    assert own.result["cases"][0]["got"] == [-1.0, 1.0]
    assert "instructor's own exercise" in own.result["reference"]


def test_an_own_exercise_not_validated_has_nothing_to_run(student) -> None:
    exercise = CodingExerciseFactory(own=True)
    with pytest.raises(RunRejected) as caught:
        run_create(user=student, exercise=exercise, source=RIGHT, on="examples")
    assert caught.value.status == 409


def test_every_worker_consumes_the_runs_queue(settings) -> None:
    from pathlib import Path

    import yaml

    from tests.workers import Worker
    from tutor.management.commands.devserver import worker_command

    root = Path(__file__).resolve().parents[2]
    assert "runs" in worker_command()[worker_command().index("--queues") + 1].split(",")
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    assert "--queues grading,runs,default" in compose["services"]["worker"]["command"]
    assert '"grading,runs,default"' in (root / "tests" / "workers.py").read_text()
    assert Worker.__module__ == "tests.workers"
    assert settings.CELERY_TASK_ROUTES["exercises.tasks.run_code"] == {"queue": "runs"}
    beat = settings.CELERY_BEAT_SCHEDULE["sweep-runs"]
    assert beat["task"] == "exercises.tasks.sweep_runs"
