"""Issue 15's "done when", end to end against the simulated platform: an
instructor launches the tool, deep-links an assignment with a coding
exercise, a student launches that link, submits twice (graded in-process by
the real grader), and the platform's gradebook gets the best of the two."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from exercises.coding.submissions import submission_create
from exercises.models import Submission
from tests.factories import CodingExerciseFactory
from tests.factories.courses import AssignmentFactory, AssignmentItemFactory
from tests.factories.records import IOU_SOURCE
from tests.lti.deep_linking import choose, link_from, open_picker, read_answer
from tests.lti.flow import launch, signed_in
from tests.lti.platform import INSTRUCTOR, Platform
from tutor.courses.models import Assignment, Course, Membership
from tutor.courses.work import check_accepts, record
from tutor.lti.models import GradePassback, LtiUser

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
WRONG = "def iou(a, b):\n    return 0.25\n"


def _author_assignment(course: Course) -> Assignment:
    """What the instructor does on the course pages: an assignment with the
    IoU exercise, 10 points, best attempt counts, published."""
    assignment = AssignmentFactory(
        course=course,
        slug="iou-week",
        title="IoU, week 1",
        published=True,
        due_at=timezone.now() + timedelta(days=3),
    )
    AssignmentItemFactory(
        assignment=assignment,
        question=None,
        exercise=CodingExerciseFactory(iou=True),
        points=10.0,
    )
    return assignment


def _submit(assignment: Assignment, user, source: str, commit) -> Submission:
    """Hand in code for the assignment's item as the item page does (the
    window and attempt checks, the submission, its Work, in one
    transaction); the grading runs on commit, in-process."""
    item = assignment.items.get()
    with commit(), transaction.atomic():
        late = check_accepts(assignment, item, user)
        submission = submission_create(user=user, exercise=item.exercise, source=source)
        record(
            assignment=assignment,
            item=item,
            user=user,
            submission=submission,
            late=late,
        )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DONE, submission.error_message
    return submission


def test_launch_deep_link_student_launch_two_submissions_best_score_passed_back(
    registration, platform: Platform, django_capture_on_commit_callbacks
) -> None:
    commit = lambda: django_capture_on_commit_callbacks(execute=True)  # noqa: E731

    # 1. The instructor opens the tool from the platform's course: our course
    #    is made and they are its instructor; they author an assignment.
    teacher = Client()
    assert (
        launch(teacher, platform, sub="teacher-1", roles=INSTRUCTOR).status_code == 302
    )
    course = Course.objects.get()
    assert Membership.objects.get(course=course).role == "instructor"
    assignment = _author_assignment(course)

    # 2. Deep linking: they pick the assignment; the platform makes the link
    #    and, from the answer's lineItem, its gradebook column.
    picker = open_picker(teacher, platform)
    answer = read_answer(
        choose(teacher, picker, f"assignment:{assignment.pk}"), platform
    )
    custom, column = link_from(platform, answer)
    assert custom == {"assignment": "iou-week"} and column is not None

    # 3. A student opens the link: signed in, a student of the course, at the
    #    assignment.
    browser = Client()
    opened = launch(
        browser,
        platform,
        sub="student-9",
        custom=custom,
        lineitem=column,
        link_id="link-from-dl",
    )
    assert opened.status_code == 302 and signed_in(browser)
    assert opened["Location"] == assignment.get_absolute_url()
    assert browser.get(opened["Location"], secure=True).status_code == 200
    student = LtiUser.objects.get(sub="student-9").user
    assert Membership.objects.get(course=course, user=student).role == "student"

    # 4. Two submissions, graded by the real grader: a correct one, then a
    #    worse one.
    good = _submit(assignment, student, IOU_SOURCE, commit)
    worse = _submit(assignment, student, WRONG, commit)
    assert good.score == 1.0 and worse.score < 1.0

    # 5. The platform's gradebook holds the best of the two: 10 of 10, posted
    #    once (the worse one never is), to the column deep linking made.
    assert platform.gradebook("student-9") == [10.0]
    [score] = platform.scores
    assert score["scoreMaximum"] == 10.0 and score["_lineitem"] == column
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    row = GradePassback.objects.get()
    assert row.status == "sent" and row.last_posted_score == 10.0
