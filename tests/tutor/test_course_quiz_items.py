"""Answering a question of an assignment: one variant an attempt, the window,
the attempt limit, the late penalty and extensions, recorded as Work and
announced."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.factories import StudentFactory
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    CourseFactory,
    ExtensionFactory,
    MembershipFactory,
)
from tutor.courses.events import work_scored
from tutor.courses.items import item_seed, next_seed
from tutor.courses.models import Assignment, AssignmentItem, Work
from tutor.courses.scoring import score_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(student: User) -> AssignmentItem:
    course = CourseFactory(code="dl")
    MembershipFactory(course=course, user=student)
    assignment = AssignmentFactory(course=course, slug="week", published=True)
    return AssignmentItemFactory(assignment=assignment, points=2)


def _url(item: AssignmentItem, tail: str = "") -> str:
    return f"/courses/dl/assignments/{item.assignment.slug}/items/{item.pk}/{tail}"


def _answer(
    client: Client, item: AssignmentItem, user: User, value: str = "1", **headers: str
) -> object:
    seed = next_seed(assignment=item.assignment, item=item, user=user)
    return client.post(
        _url(item, "answer"), {"value": value, "seed": str(seed)}, headers=headers
    )


def test_a_right_answer_is_recorded_scored_and_announced(
    item: AssignmentItem,
    student: User,
    student_client: Client,
    django_capture_on_commit_callbacks,
) -> None:
    heard: list[dict[str, object]] = []

    def listen(sender: object, **kwargs: object) -> None:
        heard.append(kwargs)

    work_scored.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = _answer(student_client, item, student)
    finally:
        work_scored.disconnect(listen)
    assert response.status_code == 302
    work = Work.objects.get(user=student)
    assert work.item == item and work.quiz_attempt.is_correct and not work.late
    assert score_for(item.assignment, student).score == 2
    assert heard == [{"assignment_id": item.assignment_id, "user_id": student.pk,
                      "signal": work_scored}]  # fmt: skip
    page = student_client.get(_url(item)).content.decode()
    assert "✓ Correct." in page


def test_htmx_gets_the_verdict_in_place(
    item: AssignmentItem, student: User, student_client: Client
) -> None:
    response = _answer(student_client, item, student, HX_Request="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="question-body">')
    assert "✓ Correct." in body


def test_an_answer_to_another_attempt_is_refused(
    item: AssignmentItem, student: User, student_client: Client
) -> None:
    seed = next_seed(assignment=item.assignment, item=item, user=student)
    first = student_client.post(_url(item, "answer"), {"value": "1", "seed": seed})
    again = student_client.post(_url(item, "answer"), {"value": "1", "seed": seed})
    assert first.status_code == 302 and again.status_code == 409
    assert "answered already" in again.content.decode()
    assert Work.objects.count() == 1


def test_an_unreadable_answer_costs_no_attempt(
    item: AssignmentItem, student: User, student_client: Client
) -> None:
    response = _answer(student_client, item, student, value="one and a bit")
    assert response.status_code == 422
    assert "did not count as an attempt" in response.content.decode()
    assert not Work.objects.exists()


def test_the_attempt_limit_holds(
    item: AssignmentItem, student: User, student_client: Client
) -> None:
    Assignment.objects.filter(pk=item.assignment_id).update(max_attempts=2)
    item.assignment.refresh_from_db()
    assert _answer(student_client, item, student, "3").status_code == 302
    assert _answer(student_client, item, student, "1").status_code == 302
    third = _answer(student_client, item, student, "1")
    assert third.status_code == 409
    assert "used all 2 attempts" in third.content.decode()
    assert Work.objects.count() == 2
    page = student_client.get(_url(item) + "?again=1").content.decode()
    assert "You have used every attempt" in page


def test_a_fixed_question_keeps_its_answer_until_no_attempt_is_left(
    item: AssignmentItem, student: User, student_client: Client
) -> None:
    Assignment.objects.filter(pk=item.assignment_id).update(max_attempts=2)
    item.assignment.refresh_from_db()
    _answer(student_client, item, student, "3")
    page = student_client.get(_url(item)).content.decode()
    assert "Not right" in page and "Correct answer" not in page
    assert "Another attempt" in page
    _answer(student_client, item, student, "4")
    page = student_client.get(_url(item)).content.decode()
    assert "Correct answer" in page and "Another attempt" not in page


def test_a_late_attempt_loses_the_penalty_and_an_extension_moves_the_window(
    item: AssignmentItem, student: User, student_client: Client
) -> None:
    now = timezone.now()
    Assignment.objects.filter(pk=item.assignment_id).update(
        opens_at=now - timedelta(days=3),
        due_at=now - timedelta(hours=1),
        late_until=now + timedelta(days=1),
        late_penalty=0.25,
    )
    item.assignment.refresh_from_db()
    _answer(student_client, item, student)
    work = Work.objects.get(user=student)
    assert work.late
    assert score_for(item.assignment, student).score == pytest.approx(1.5)
    other = StudentFactory()
    MembershipFactory(course=item.assignment.course, user=other)
    ExtensionFactory(
        assignment=item.assignment, user=other, due_at=now + timedelta(days=1)
    )
    client = Client()
    client.force_login(other)
    _answer(client, item, other)
    assert not Work.objects.get(user=other).late
    assert score_for(item.assignment, other).score == 2


def test_a_closed_or_upcoming_assignment_takes_no_answer(
    item: AssignmentItem, student: User, student_client: Client
) -> None:
    now = timezone.now()
    Assignment.objects.filter(pk=item.assignment_id).update(
        opens_at=now - timedelta(days=3), due_at=now - timedelta(hours=1)
    )
    closed = _answer(student_client, item, student)
    assert closed.status_code == 403 and "closed" in closed.content.decode()
    Assignment.objects.filter(pk=item.assignment_id).update(
        opens_at=now + timedelta(days=1), due_at=now + timedelta(days=3)
    )
    upcoming = _answer(student_client, item, student)
    assert upcoming.status_code == 403
    page = student_client.get(_url(item)).content.decode()
    assert "How many?" not in page and "opens on" in page
    assert not Work.objects.exists()


def test_an_unpublished_assignment_is_not_found(
    item: AssignmentItem, student: User, student_client: Client
) -> None:
    Assignment.objects.filter(pk=item.assignment_id).update(is_published=False)
    assert student_client.get(_url(item)).status_code == 404
    assert _answer(student_client, item, student).status_code == 404


def test_check_the_form_is_free(
    item: AssignmentItem, student: User, student_client: Client
) -> None:
    response = student_client.post(_url(item, "check"), {"value": "1/2"})
    assert (
        response.status_code == 200
        and "no attempt was used" in response.content.decode()
    )
    assert not Work.objects.exists()


def test_each_attempt_and_each_student_has_their_own_numbers(
    item: AssignmentItem,
) -> None:
    assignment = item.assignment
    mine = [
        item_seed(assignment=assignment, item=item, user_id=1, index=i)
        for i in range(3)
    ]
    theirs = item_seed(assignment=assignment, item=item, user_id=2, index=0)
    assert len(set(mine)) == 3 and theirs != mine[0]
    assignment.fresh_variants = False
    shared = [
        item_seed(assignment=assignment, item=item, user_id=u, index=0) for u in (1, 2)
    ]
    assert shared[0] == shared[1]
    assert item_seed(assignment=assignment, item=item, user_id=1, index=1) != shared[0]
