"""Assignment and Grade Services: the score the assignment's rule gives is
posted when it changes, never a lower one under "best"; failures are
retried with back-off (Retry-After honoured), a 401 once with a new token,
a 422 stored, a stale timestamp superseded; the sweep resends what is due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.lti.flow import launch
from tests.lti.grading import grade, link_course, student_launch
from tests.lti.platform import Platform
from tutor.lti import passback
from tutor.lti.models import GradePassback, LtiContext, LtiUser
from tutor.lti.tasks import passback_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def column(platform: Platform) -> str:
    return platform.add_lineitem(label="Assignment", scoreMaximum=10, tag="score")["id"]


@pytest.fixture
def student(registration, platform: Platform, assignment, column):
    link_course(registration, assignment)
    return student_launch(platform, assignment, lineitem=column)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the passback task, eagerly)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _row() -> GradePassback:
    return GradePassback.objects.get()


def test_the_best_score_is_posted_and_a_lower_one_never(
    platform: Platform, assignment, student, commit
) -> None:
    for score in (0.5, 0.3, 1.0, 0.2):
        with commit():
            grade(assignment, student, score)
    assert platform.gradebook("student-1") == [5.0, 10.0]
    first, second = platform.scores
    assert second["timestamp"] > first["timestamp"]
    assert first["scoreMaximum"] == 10.0
    assert first["activityProgress"] == "Completed"
    assert first["gradingProgress"] == "FullyGraded"
    assert len(platform.requests_to("POST", "/token")) == 1  # one token for both
    row = _row()
    assert row.status == "sent" and row.last_posted_score == 10.0


def test_the_late_penalty_is_included(
    platform: Platform, assignment, student, commit
) -> None:
    assignment.late_penalty = 0.5
    assignment.save()
    with commit():
        grade(assignment, student, 1.0, late=True)
    assert platform.gradebook("student-1") == [5.0]


def test_the_last_attempt_rule_posts_a_lower_score(
    platform: Platform, assignment, student, commit
) -> None:
    assignment.scoring = "last"
    assignment.save()
    for score in (1.0, 0.4):
        with commit():
            grade(assignment, student, score)
    assert platform.gradebook("student-1") == [10.0, 4.0]


def test_rate_limited_waits_as_long_as_retry_after_says(
    platform: Platform, assignment, student, commit
) -> None:
    platform.fail_next("POST", "/scores", 429, headers={"Retry-After": "600"})
    before = timezone.now()
    with commit():
        grade(assignment, student, 1.0)
    row = _row()
    assert row.status == "pending" and row.attempts == 1
    assert row.next_try_at >= before + timedelta(seconds=600)
    assert passback_sweep() == 0  # not due yet
    GradePassback.objects.update(next_try_at=timezone.now() - timedelta(seconds=1))
    assert passback_sweep() == 1
    assert platform.gradebook("student-1") == [10.0]
    tried = [
        s["timestamp"]
        for s in [r.json() for r in platform.requests_to("POST", "/scores")]
    ]
    assert tried[0] == tried[1]  # a retry sends the same timestamp
    assert _row().status == "sent"


def test_server_errors_back_off_exponentially_then_give_up(
    platform: Platform, assignment, student, commit, settings
) -> None:
    settings.LTI_PASSBACK_MAX_TRIES = 3
    platform.fail_next("POST", "/scores", 503, times=3)
    with commit():
        grade(assignment, student, 1.0)
    waits = []
    for _ in range(2):
        row = _row()
        waits.append((row.next_try_at - row.updated_at).total_seconds())
        GradePassback.objects.update(next_try_at=timezone.now() - timedelta(seconds=1))
        passback_sweep()
    assert [round(w / 60) for w in waits] == [1, 2]
    row = _row()
    assert row.status == "failed" and row.attempts == 3
    assert "gave up after 3 tries" in row.last_error and "503" in row.last_error
    assert platform.gradebook("student-1") == []


def test_a_platform_that_does_not_answer_is_retried(
    platform: Platform, assignment, student, commit, registration
) -> None:
    registration.auth_token_url = "http://127.0.0.1:1/token"  # nothing listens
    registration.save()
    with commit():
        grade(assignment, student, 1.0)
    row = _row()
    assert row.status == "pending" and "no answer" in row.last_error
    registration.auth_token_url = platform.token_url
    registration.save()
    GradePassback.objects.update(next_try_at=timezone.now())
    passback_sweep()
    assert platform.gradebook("student-1") == [10.0]


def test_a_401_is_retried_once_with_a_new_token(
    platform: Platform, assignment, student, commit
) -> None:
    with commit():
        grade(assignment, student, 0.5)
    platform.revoke_tokens()  # the cached token no longer works
    with commit():
        grade(assignment, student, 1.0)
    assert platform.gradebook("student-1") == [5.0, 10.0]
    assert len(platform.requests_to("POST", "/token")) == 2
    assert len(platform.requests_to("POST", "/scores")) == 3


def test_a_422_is_stored_and_not_retried(
    platform: Platform, assignment, student, commit
) -> None:
    platform.fail_next(
        "POST",
        "/scores",
        422,
        body={"errors": {"message": "User not found in course or is not a student"}},
    )
    with commit():
        grade(assignment, student, 1.0)
    row = _row()
    assert row.status == "failed" and "not a student" in row.last_error
    assert passback.due_ids() == []
    with commit():
        grade(assignment, student, 1.0)  # the same score again: still not sent
    assert len(platform.requests_to("POST", "/scores")) == 1


def test_a_stale_timestamp_is_superseded_not_retried(
    platform: Platform, assignment, student, commit
) -> None:
    platform.fail_next(
        "POST",
        "/scores",
        400,
        body={"errors": {"message": "ScoreTimestamp before last updated timestamp"}},
    )
    with commit():
        grade(assignment, student, 1.0)
    row = _row()
    assert row.status == "superseded" and passback.due_ids() == []


def test_a_student_who_launches_after_earning_a_score_gets_it_passed_back(
    registration, platform: Platform, assignment, column, commit
) -> None:
    link_course(registration, assignment)
    response = launch(Client(), platform, link_id="course-page")  # no assignment
    assert response.status_code == 302
    user = LtiUser.objects.get().user
    with commit():
        grade(assignment, user, 0.7)  # no link to the assignment yet
    assert platform.scores == []
    with commit():
        student_launch(platform, assignment, lineitem=column)
    assert platform.gradebook("student-1") == [7.0]
    with commit():
        student_launch(platform, assignment, lineitem=column)
    assert platform.gradebook("student-1") == [7.0]  # nothing new to send


def test_scores_go_only_to_the_platform_course_linked_to_the_assignment_s_course(
    platform: Platform, assignment, student, commit
) -> None:
    LtiContext.objects.update(course=None)
    with commit():
        grade(assignment, student, 1.0)
    assert platform.scores == [] and not GradePassback.objects.exists()
