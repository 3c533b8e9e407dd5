"""A student is told when a regrade changed their score: on the course page
and the assignment's page, in words, until they dismiss the notice; and the
one score format ("20%") those notices and the regrade pages share."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils import timezone

from exercises.models import RegradeChange
from tests.factories import (
    IOU_SOURCE,
    CodingExerciseFactory,
    RegradeChangeFactory,
    RegradeRunFactory,
)
from tests.factories.courses import (
    AssignmentFactory,
    MembershipFactory,
    WorkFactory,
)
from tutor.courses.regrade_notices import (
    DEFAULT_REASON,
    regrade_notice_dismiss,
    regrade_notice_list,
)
from tutor.templatetags.scores import percent

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
REASON = "the test of empty boxes expected the wrong value"


@pytest.fixture
def work(student, instructor):
    assignment = AssignmentFactory(published=True, title="Boxes")
    MembershipFactory(course=assignment.course, user=student)
    exercise = CodingExerciseFactory(title="IoU of two boxes")
    return WorkFactory(
        assignment=assignment,
        user=student,
        coding=True,
        item__exercise=exercise,
        submission__graded=True,
    )


def regraded(work, *, old=0.2, new=1.0, reason=REASON, **fields) -> RegradeChange:
    """An applied regrade of the work's submission (unless `fields` say otherwise)."""
    run = RegradeRunFactory(
        dry_run=fields.pop("dry_run", False), status="done", reason=reason
    )
    change = RegradeChangeFactory(
        run=run,
        submission=work.submission,
        old_score=old,
        new_score=new,
        old_verdict="failed",
        new_verdict="passed" if new == 1.0 else "failed",
        applied=fields.pop("applied", True),
    )
    RegradeChange.objects.filter(pk=change.pk).update(created_at=WHEN, **fields)
    return change


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_it_tells_the_student_on_the_course_and_assignment_pages(
    work, student_client: Client
) -> None:
    change = regraded(work)
    course = work.assignment.course
    expected = (
        "Your score for <strong>IoU of two boxes</strong> "
        "changed from 20% to 100% after a regrade on "
        '<time datetime="2026-11-03T12:00:00+00:00">3 Nov 2026</time>: '
        f"{REASON}."
    )
    course_page = text(student_client.get(f"/courses/{course.code}/"))
    assert f'id="regrade-notice-{change.pk}"' in course_page
    assert "IoU of two boxes</strong> (<a href=" in course_page  # names the assignment
    assert "changed from 20% to 100% after a regrade on" in course_page
    page = text(
        student_client.get(
            f"/courses/{course.code}/assignments/{work.assignment.slug}/"
        )
    )
    assert expected in page


def test_no_notice_without_a_stored_change_of_score(work, student) -> None:
    regraded(work, dry_run=True)  # a dry run changes nothing
    regraded(work, applied=False)  # never lower kept the old score
    regraded(work, old=0.5, new=0.5)  # the verdict changed, the score did not
    regraded(work, seen_at=timezone.now())  # dismissed
    assert regrade_notice_list(user=student, course=work.assignment.course) == []


def test_a_notice_is_the_students_own_and_the_courses_own(
    work, other_student, student
) -> None:
    regraded(work)
    MembershipFactory(course=work.assignment.course, user=other_student)
    assert regrade_notice_list(user=other_student, course=work.assignment.course) == []
    elsewhere = AssignmentFactory(published=True)
    assert regrade_notice_list(user=student, course=elsewhere.course) == []
    other_assignment = AssignmentFactory(course=work.assignment.course)
    assert (
        regrade_notice_list(
            user=student, course=work.assignment.course, assignment=other_assignment
        )
        == []
    )
    [notice] = regrade_notice_list(
        user=student, course=work.assignment.course, assignment=work.assignment
    )
    assert (notice.item, notice.old_score, notice.new_score) == (
        "IoU of two boxes",
        0.2,
        1.0,
    )


def test_without_a_reason_the_student_reads_a_default_one(work, student) -> None:
    regraded(work, reason="")
    [notice] = regrade_notice_list(user=student, course=work.assignment.course)
    assert notice.reason == DEFAULT_REASON


def test_dismissing_hides_the_notice_and_goes_back(
    work, student_client: Client
) -> None:
    change = regraded(work)
    course = work.assignment.course
    back = f"/courses/{course.code}/assignments/{work.assignment.slug}/"
    response = student_client.post(
        f"/courses/{course.code}/regrade-notices/{change.pk}/dismiss", {"next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    change.refresh_from_db()
    assert change.seen_at is not None
    assert "regrade-notice-" not in student_client.get(back).content.decode()


@pytest.mark.parametrize(
    "back", ["https://elsewhere.example/", "//elsewhere.example/", "nan", "²", "course"]
)
def test_dismissing_elsewhere_goes_to_the_course_page(
    work, student_client: Client, back: str
) -> None:
    """Another site, or a word that is not a path (which must not be taken for
    a view's name), sends the student to the course page."""
    change = regraded(work)
    course = work.assignment.course
    response = student_client.post(
        f"/courses/{course.code}/regrade-notices/{change.pk}/dismiss", {"next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/courses/{course.code}/"


def test_another_student_cannot_dismiss_it(work, other_student) -> None:
    change = regraded(work)
    MembershipFactory(course=work.assignment.course, user=other_student)
    client = Client()
    client.force_login(other_student)
    client.post(
        f"/courses/{work.assignment.course.code}/regrade-notices/{change.pk}/dismiss"
    )
    assert not regrade_notice_dismiss(user=other_student, change_id=change.pk)
    change.refresh_from_db()
    assert change.seen_at is None


def test_the_reason_typed_when_applying_reaches_the_student(
    work, instructor, student_client: Client, django_capture_on_commit_callbacks
) -> None:
    """Through the course's regrade pages and a real grading in the sandbox."""
    submission = work.submission
    type(submission).objects.filter(pk=submission.pk).update(
        source=IOU_SOURCE, score=0.2, report={"verdict": "failed", "score": 0.2}
    )
    course = work.assignment.course
    MembershipFactory(course=course, user=instructor, role="instructor")
    staff = Client()
    staff.force_login(instructor)
    base = f"/courses/{course.code}/staff/regrade/"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(base + "start", {"submission": [submission.pk]})
    dry = response["Location"].rstrip("/").split("/")[-1]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"{base}runs/{dry}/apply", {"never_lower": "on", "reason": f"{REASON}."}
        )
    assert response.status_code == 302
    page = text(student_client.get(f"/courses/{course.code}/"))
    assert "changed from 20% to 100% after a regrade on" in page
    assert f"{REASON}." in page and f"{REASON}.." not in page


@pytest.mark.parametrize(
    ("score", "words"),
    [
        (0.2, "20%"),
        (1.0, "100%"),
        (0.0, "0%"),
        (0.996, "99%"),  # short of full marks never reads 100%
        (0.004, "1%"),  # above nothing never reads 0%
        (0.125, "13%"),  # halves up
        (None, "—"),
    ],
)
def test_a_score_is_written_as_a_whole_percentage(score, words) -> None:
    assert percent(score) == words


def test_no_score_can_be_written_as_nothing() -> None:
    assert percent(None, "") == ""
