"""Mastery fed by the grading queue's signals: the first graded submission of
an exercise, a ladder rung's first answer; each delivered twice counts once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from exercises.coding.signals import rung_checked, submission_scored
from exercises.models import HintReveal, RungAttempt, Submission
from tests.factories import CodingExerciseFactory, SubmissionFactory
from tests.factories.ladder import RungAttemptFactory
from tutor.mastery import P_INIT, bkt_update, guess_rate
from tutor.models import Mastery, MasteryEvent

pytestmark = pytest.mark.django_db


def scored(submission: Submission) -> None:
    submission_scored.send(sender=Submission, submission_id=submission.pk)


def checked(attempt: RungAttempt) -> None:
    rung_checked.send(sender=RungAttempt, attempt_id=attempt.pk)


def events(user: User) -> list[tuple[str, str, bool]]:
    return [
        (event.source, event.kind, event.correct)
        for event in MasteryEvent.objects.filter(user=user).order_by("pk")
    ]


def p_of(user: User, topic_id: int) -> float:
    return Mastery.objects.get(user=user, topic_id=topic_id).p_learned


def test_the_first_graded_submission_moves_mastery(student: User) -> None:
    submission = SubmissionFactory(user=student, graded=True)
    scored(submission)
    assert events(student) == [("code", "implement", True)]
    expected = bkt_update(P_INIT, True, guess=guess_rate("implement"))
    assert p_of(student, submission.exercise.topic_id) == pytest.approx(expected)


def test_a_submission_signalled_twice_counts_once(student: User) -> None:
    submission = SubmissionFactory(user=student, graded=True, verdict="failed")
    scored(submission)
    scored(submission)
    assert events(student) == [("code", "implement", False)]
    assert Mastery.objects.get(user=student).observations == 1


def test_later_submissions_do_not_move_mastery(student: User) -> None:
    exercise = CodingExerciseFactory()
    first = SubmissionFactory(
        user=student, exercise=exercise, graded=True, verdict="failed"
    )
    second = SubmissionFactory(user=student, exercise=exercise, graded=True)
    scored(first)
    scored(second)
    assert events(student) == [("code", "implement", False)]


def test_a_submission_that_could_not_run_is_no_first_answer(student: User) -> None:
    exercise = CodingExerciseFactory()
    broken = SubmissionFactory(
        user=student,
        exercise=exercise,
        status=Submission.Status.DONE,
        score=0.0,
        report={"verdict": "syntax_error", "gradable": False},
    )
    scored(broken)
    assert events(student) == []
    graded = SubmissionFactory(user=student, exercise=exercise, graded=True)
    scored(graded)
    assert events(student) == [("code", "implement", True)]


def test_a_pass_after_the_corrected_formula_is_not_first_try_right(
    student: User,
) -> None:
    exercise = CodingExerciseFactory()
    HintReveal.objects.create(
        user=student, exercise=exercise, mistake_id="iou-plus-one", level=3
    )
    submission = SubmissionFactory(user=student, exercise=exercise, graded=True)
    scored(submission)
    assert events(student) == [("code", "implement", False)]


def test_a_level_one_hint_leaves_a_first_pass_right(student: User) -> None:
    exercise = CodingExerciseFactory()
    HintReveal.objects.create(
        user=student, exercise=exercise, mistake_id="iou-plus-one", level=1
    )
    submission = SubmissionFactory(user=student, exercise=exercise, graded=True)
    scored(submission)
    assert events(student) == [("code", "implement", True)]


def test_a_reveal_after_the_submission_does_not_change_it(student: User) -> None:
    exercise = CodingExerciseFactory()
    submission = SubmissionFactory(user=student, exercise=exercise, graded=True)
    reveal = HintReveal.objects.create(
        user=student, exercise=exercise, mistake_id="x", level=3
    )
    HintReveal.objects.filter(pk=reveal.pk).update(
        created_at=submission.created_at + timedelta(minutes=1)
    )
    scored(submission)
    assert events(student) == [("code", "implement", True)]


def test_a_rung_first_answer_moves_mastery_with_its_kind(student: User) -> None:
    attempt = RungAttemptFactory(user=student, checked=True, is_first=True)
    checked(attempt)
    checked(attempt)
    assert events(student) == [("rung", "parsons", True)]
    expected = bkt_update(P_INIT, True, guess=guess_rate("parsons"))
    assert p_of(student, attempt.exercise.topic_id) == pytest.approx(expected)


def test_a_faded_answer_after_help_is_not_right(student: User) -> None:
    attempt = RungAttemptFactory(
        user=student, checked=True, faded=True, is_first=True, help_used=1
    )
    checked(attempt)
    assert events(student) == [("rung", "faded", False)]


def test_a_second_answer_to_a_rung_variant_does_not_count(student: User) -> None:
    first = RungAttemptFactory(user=student, checked=True, passed=False, is_first=True)
    retry = RungAttemptFactory(
        user=student, exercise=first.exercise, seed=first.seed, checked=True
    )
    checked(first)
    checked(retry)
    assert events(student) == [("rung", "parsons", False)]


def test_a_rung_attempt_without_a_verdict_is_ignored(student: User) -> None:
    queued = RungAttemptFactory(user=student, is_first=True)
    failed = RungAttemptFactory(
        user=student, is_first=True, status=RungAttempt.Status.ERROR
    )
    checked(queued)
    checked(failed)
    rung_checked.send(sender=RungAttempt, attempt_id=10**9)
    assert events(student) == []


def test_mastery_events_keep_time_order_for_the_history(student: User) -> None:
    exercise = CodingExerciseFactory()
    scored(SubmissionFactory(user=student, exercise=exercise, graded=True))
    checked(
        RungAttemptFactory(
            user=student, exercise=exercise, checked=True, passed=False, is_first=True
        )
    )
    rows = list(MasteryEvent.objects.filter(user=student))
    assert [row.source for row in rows] == ["code", "rung"]
    assert rows[1].p_before == pytest.approx(rows[0].p_after)
    assert rows[0].created_at <= rows[1].created_at <= timezone.now()
