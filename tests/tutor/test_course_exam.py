"""An exam assignment: a mock exam started from the assignment page, timed
for the student (their accommodation, never past their window), limited in
papers, scored into the assignment when it is marked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.factories import ExamBlueprintFactory, QuestionFactory, TopicFactory
from tests.factories.courses import (
    AssignmentFactory,
    CourseFactory,
    ExtensionFactory,
    MembershipFactory,
)
from tutor.courses.events import work_scored
from tutor.courses.models import Assignment, Membership, Work
from tutor.courses.scoring import score_for
from tutor.models import MockExam

pytestmark = pytest.mark.django_db
START = "/courses/dl/assignments/exam/exam"


@pytest.fixture
def membership(student: User) -> Membership:
    return MembershipFactory(course=CourseFactory(code="dl"), user=student)


@pytest.fixture
def assignment(membership: Membership) -> Assignment:
    topic = TopicFactory(code="6.10")
    QuestionFactory(topic=topic)
    QuestionFactory(topic=topic)
    blueprint = ExamBlueprintFactory(
        duration_minutes=30, rules=[{"topic": "6.10", "count": 2}]
    )
    return AssignmentFactory(
        course=membership.course,
        slug="exam",
        published=True,
        blueprint=blueprint,
        exam_points=20,
        max_attempts=1,
    )


def test_the_paper_lasts_the_students_time_and_is_their_work(
    assignment: Assignment, membership: Membership, student_client: Client
) -> None:
    membership.time_multiplier = 1.5
    membership.save()
    before = timezone.now()
    response = student_client.post(START)
    after = timezone.now()
    exam = MockExam.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exams/{exam.pk}/"
    length = timedelta(minutes=45)  # 30 minutes × 1.5, from when it started
    assert before + length <= exam.deadline <= after + length
    assert exam.title == assignment.title and exam.items.count() == 2
    work = Work.objects.get()
    assert work.mock_exam == exam and work.item is None and not work.late


def test_the_paper_never_outlasts_the_window(
    assignment: Assignment, student: User, student_client: Client
) -> None:
    end = timezone.now() + timedelta(minutes=10)
    Assignment.objects.filter(pk=assignment.pk).update(due_at=end)
    student_client.post(START)
    assert abs((MockExam.objects.get().deadline - end).total_seconds()) < 1


def test_an_extension_gives_the_paper_its_time_back(
    assignment: Assignment, student: User, student_client: Client
) -> None:
    end = timezone.now() + timedelta(minutes=10)
    Assignment.objects.filter(pk=assignment.pk).update(due_at=end)
    assignment.refresh_from_db()
    ExtensionFactory(
        assignment=assignment, user=student, due_at=end + timedelta(days=1)
    )
    before = timezone.now()
    student_client.post(START)
    after = timezone.now()
    length = timedelta(minutes=30)
    assert before + length <= MockExam.objects.get().deadline <= after + length


def test_a_running_paper_is_given_back_and_the_limit_holds(
    assignment: Assignment, student_client: Client
) -> None:
    first = student_client.post(START)
    again = student_client.post(START)
    assert first["Location"] == again["Location"]
    assert MockExam.objects.count() == 1
    exam = MockExam.objects.get()
    exam.submitted_at = timezone.now()
    exam.score = 0.5
    exam.save()
    refused = student_client.post(START)
    assert refused.status_code == 409
    assert MockExam.objects.count() == 1


def test_submitting_the_paper_scores_the_assignment_and_announces_it(
    assignment: Assignment,
    student: User,
    student_client: Client,
    django_capture_on_commit_callbacks,
) -> None:
    student_client.post(START)
    exam = MockExam.objects.get()
    heard: list[object] = []

    def listen(sender: object, **kwargs: object) -> None:
        heard.append(kwargs["user_id"])

    work_scored.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = student_client.post(
                f"/exams/{exam.pk}/submit",
                {"items": ["0", "1"], "q0-value": "1", "q1-value": "0"},
            )
    finally:
        work_scored.disconnect(listen)
    assert response.status_code == 302
    assert heard == [student.pk]
    assert score_for(assignment, student).score == pytest.approx(10)
    page = student_client.get("/courses/dl/assignments/exam/").content.decode()
    assert "10 of 20 points" in page and "Start the paper" not in page


def test_a_paper_whose_time_ran_out_is_marked_when_the_course_is_read(
    assignment: Assignment,
    student: User,
    student_client: Client,
    django_capture_on_commit_callbacks,
) -> None:
    student_client.post(START)
    MockExam.objects.update(deadline=timezone.now() - timedelta(seconds=1))
    heard: list[object] = []

    def listen(sender: object, **kwargs: object) -> None:
        heard.append(kwargs["user_id"])

    work_scored.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            student_client.get("/courses/dl/")
    finally:
        work_scored.disconnect(listen)
    exam = MockExam.objects.get()
    assert exam.timed_out and exam.score == 0
    assert heard == [student.pk]
    assert score_for(assignment, student).items[0].graded == 1


def test_an_assignment_without_a_paper_has_nothing_to_start(
    membership: Membership, student_client: Client
) -> None:
    AssignmentFactory(course=membership.course, slug="exam", published=True)
    assert student_client.post(START).status_code == 404
