"""The load test's students start afresh every run: an earlier run's answers
(a variant answered is closed for the rest of the day) would make this run's
answers refusals, cheaper than the first answers the figure is about."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from benchmarks.load import PASSWORD, _plan
from exercises.models import QuizAttempt, Submission
from tests.factories import QuizAttemptFactory, StudentFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def test_each_run_has_new_students_with_no_history(course: None) -> None:
    earlier = StudentFactory(username="bench-load-0")
    QuizAttemptFactory(user=earlier)
    SubmissionFactory(user=earlier)
    bystander = StudentFactory(username="bench-load-extra")
    QuizAttemptFactory(user=bystander)
    plan = _plan(2)
    assert plan["users"] == ["bench-load-0", "bench-load-1"]
    assert not QuizAttempt.objects.filter(user__username__in=plan["users"]).exists()
    assert not Submission.objects.filter(user__username__in=plan["users"]).exists()
    assert QuizAttempt.objects.filter(user=bystander).count() == 1
    for name in plan["users"]:
        assert User.objects.get(username=name).check_password(PASSWORD)
    assert plan["questions"] and plan["topics"] and plan["exercise"] == "iou"
