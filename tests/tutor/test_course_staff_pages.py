"""The course staff's pages: who reaches them (the course role decides),
creating a course, its invite code, members, and authoring an assignment
from the topic tree through to publishing it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from exercises.models import AuditEntry
from tests.factories import (
    CodingExerciseFactory,
    InstructorFactory,
    QuestionFactory,
    StudentFactory,
    TopicFactory,
    UserFactory,
)
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    CourseFactory,
    MembershipFactory,
    WorkFactory,
)
from tutor.courses.models import Assignment, Course, Membership

pytestmark = pytest.mark.django_db

Role = Membership.Role


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cast(db: None) -> dict[str, object]:
    """A course with a student, a TA and an instructor; an outsider; an assignment."""
    course = CourseFactory(code="dl-2026")
    people = {
        role: MembershipFactory(course=course, role=role).user
        for role in (Role.STUDENT, Role.TA, Role.INSTRUCTOR)
    }
    assignment = AssignmentFactory(course=course, slug="week-1", published=True)
    AssignmentItemFactory(assignment=assignment)
    return {
        "course": course,
        "assignment": assignment,
        "outsider": StudentFactory(),
        **people,
    }


STAFF_PAGES = [
    "/courses/dl-2026/staff/",
    "/courses/dl-2026/staff/members/",
    "/courses/dl-2026/staff/gradebook/",
    "/courses/dl-2026/staff/gradebook.csv",
    "/courses/dl-2026/staff/items/",
    "/courses/dl-2026/staff/regrade/",
    "/courses/dl-2026/staff/assignments/week-1/",
    "/courses/dl-2026/staff/assignments/week-1/preview",
]
INSTRUCTOR_PAGES = [
    "/courses/dl-2026/staff/edit",
    "/courses/dl-2026/staff/assignments/new",
    "/courses/dl-2026/staff/assignments/week-1/edit",
    "/courses/dl-2026/staff/assignments/week-1/items",
]


@pytest.mark.parametrize("url", STAFF_PAGES + INSTRUCTOR_PAGES)
def test_it_keeps_the_staff_pages_from_students_outsiders_and_strangers(
    cast: dict[str, object], url: str
) -> None:
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=")
    assert _client(cast["outsider"]).get(url).status_code == 404  # type: ignore[arg-type]
    assert _client(cast[Role.STUDENT]).get(url).status_code == 403  # type: ignore[arg-type]
    assert _client(cast[Role.INSTRUCTOR]).get(url).status_code == 200  # type: ignore[arg-type]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_it_lets_a_teaching_assistant_read(cast: dict[str, object], url: str) -> None:
    assert _client(cast[Role.TA]).get(url).status_code == 200  # type: ignore[arg-type]


@pytest.mark.parametrize("url", INSTRUCTOR_PAGES)
def test_it_keeps_a_teaching_assistant_from_editing(
    cast: dict[str, object], url: str
) -> None:
    assert _client(cast[Role.TA]).get(url).status_code == 403  # type: ignore[arg-type]


def test_it_lets_an_instructor_of_the_site_create_a_course_and_teach_it() -> None:
    teacher = InstructorFactory()
    topic = TopicFactory()
    client = _client(teacher)
    assert client.get("/courses/new/").status_code == 200
    response = client.post(
        "/courses/new/",
        {"code": "dl-spring", "title": "DL spring", "term": "", "topics": [topic.pk]},
    )
    assert response.status_code == 302
    course = Course.objects.get(code="dl-spring")
    assert list(course.topics.all()) == [topic]
    assert course.members.get().role == Role.INSTRUCTOR
    page = client.get(response["Location"]).content.decode()
    assert course.invite_code in page
    assert f"/courses/join/{course.invite_code}/" in page
    assert AuditEntry.objects.filter(action="course.create").exists()


def test_it_refuses_course_creation_to_students_and_reserved_codes() -> None:
    assert _client(StudentFactory()).get("/courses/new/").status_code == 403
    staff = _client(UserFactory(is_staff=True))
    response = staff.post("/courses/new/", {"code": "join", "title": "x"})
    assert response.status_code == 400
    assert "a word the site uses" in response.content.decode()
    assert not Course.objects.exists()


def test_it_makes_a_new_invite_code_that_replaces_the_old(
    cast: dict[str, object],
) -> None:
    course: Course = cast["course"]  # type: ignore[assignment]
    old = course.invite_code
    client = _client(cast[Role.INSTRUCTOR])  # type: ignore[arg-type]
    assert client.post("/courses/dl-2026/staff/invite").status_code == 302
    course.refresh_from_db()
    assert course.invite_code != old
    outsider = _client(cast["outsider"])  # type: ignore[arg-type]
    assert outsider.get(f"/courses/join/{old}/").status_code == 404
    assert outsider.get(f"/courses/join/{course.invite_code}/").status_code == 200


def test_it_changes_a_members_role_and_time_and_keeps_the_last_instructor(
    cast: dict[str, object],
) -> None:
    course: Course = cast["course"]  # type: ignore[assignment]
    client = _client(cast[Role.INSTRUCTOR])  # type: ignore[arg-type]
    student = course.members.get(role=Role.STUDENT)
    response = client.post(
        f"/courses/dl-2026/staff/members/{student.pk}",
        {f"m{student.pk}-role": "ta", f"m{student.pk}-time_multiplier": "1.5"},
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert (student.role, student.time_multiplier) == ("ta", 1.5)
    me = course.members.get(role=Role.INSTRUCTOR)
    demote = client.post(
        f"/courses/dl-2026/staff/members/{me.pk}",
        {f"m{me.pk}-role": "student", f"m{me.pk}-time_multiplier": "1.0"},
    )
    assert demote.status_code == 409
    assert "last instructor" in demote.content.decode()
    bad = client.post(
        f"/courses/dl-2026/staff/members/{student.pk}",
        {f"m{student.pk}-role": "admin", f"m{student.pk}-time_multiplier": "3"},
    )
    assert bad.status_code == 400


def test_it_removes_a_member_and_their_work_stays(cast: dict[str, object]) -> None:
    course: Course = cast["course"]  # type: ignore[assignment]
    student = course.members.get(role=Role.STUDENT)
    WorkFactory(assignment=cast["assignment"], user=student.user)
    client = _client(cast[Role.INSTRUCTOR])  # type: ignore[arg-type]
    response = client.post(
        f"/courses/dl-2026/staff/members/{student.pk}", {"remove": "1"}
    )
    assert response.status_code == 302
    assert not course.members.filter(pk=student.pk).exists()
    assert student.user.course_work.count() == 1


def test_an_instructor_builds_an_assignment_from_the_topic_tree_and_publishes_it(
    cast: dict[str, object],
) -> None:
    course: Course = cast["course"]  # type: ignore[assignment]
    topic = TopicFactory()
    course.topics.add(topic)
    question = QuestionFactory(topic=topic, slug="in-course")
    elsewhere = QuestionFactory(slug="not-in-course")
    exercise = CodingExerciseFactory(topic=topic, slug="centre-it")
    client = _client(cast[Role.INSTRUCTOR])  # type: ignore[arg-type]
    response = client.post(
        "/courses/dl-2026/staff/assignments/new",
        {
            "title": "Week two",
            "opens_at": "2026-03-01T09:00",
            "due_at": "2026-03-08T09:00",
            "late_until": "2026-03-09T09:00",
            "late_penalty": "20",
            "max_attempts": "3",
            "scoring": "best",
            "fresh_variants": "on",
            "hidden_feedback": "after_due",
            "blueprint": "",
            "exam_points": "10",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assignment = course.assignments.get(slug="week-two")
    assert assignment.late_penalty == pytest.approx(0.2)
    assert not assignment.is_published
    items_url = "/courses/dl-2026/staff/assignments/week-two/items"
    tree = client.get(items_url).content.decode()
    assert question.slug not in tree or f'value="{question.pk}"' in tree
    assert f'value="{elsewhere.pk}"' not in tree  # only the course's topics
    # Publishing an empty assignment is refused.
    publish = "/courses/dl-2026/staff/assignments/week-two/publish"
    assert client.post(publish, {"publish": "1"}).status_code == 409
    added = client.post(
        items_url,
        {
            "action": "add",
            "question": [question.pk, elsewhere.pk],
            "points": "2",
        },
    )
    assert added.status_code == 400  # a question from outside the course's topics
    added = client.post(
        items_url,
        {
            "action": "add",
            "question": [question.pk],
            "exercise": [exercise.pk],
            "points": "2",
        },
    )
    assert added.status_code == 302
    items = list(assignment.items.all())
    assert [(i.question, i.exercise, i.points) for i in items] == [
        (question, None, 2.0),
        (None, exercise, 2.0),
    ]
    first, second = items
    saved = client.post(
        items_url,
        {
            "action": "update",
            f"item-{first.pk}-points": "5",
            f"item-{first.pk}-order": "3",
            f"item-{second.pk}-points": "1",
            f"item-{second.pk}-order": "1",
        },
    )
    assert saved.status_code == 302
    assert [(i.pk, i.points) for i in assignment.items.all()] == [
        (second.pk, 1.0),
        (first.pk, 5.0),
    ]
    preview = client.get("/courses/dl-2026/staff/assignments/week-two/preview")
    assert "How many?" in preview.content.decode()
    assert client.post(publish, {"publish": "1"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.is_published
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"assignment.create", "assignment.items", "assignment.publish"} <= actions


def test_the_assignment_form_says_what_is_wrong_with_its_dates(
    cast: dict[str, object],
) -> None:
    client = _client(cast[Role.INSTRUCTOR])  # type: ignore[arg-type]
    response = client.post(
        "/courses/dl-2026/staff/assignments/new",
        {
            "title": "Backwards",
            "opens_at": "2026-03-08T09:00",
            "due_at": "2026-03-01T09:00",
            "late_penalty": "150",
            "scoring": "best",
            "hidden_feedback": "after_due",
            "exam_points": "10",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The due date must come after the opening." in page
    assert "less than or equal to 100" in page
    assert not Assignment.objects.filter(slug="backwards").exists()


def test_an_item_with_work_cannot_be_removed(cast: dict[str, object]) -> None:
    assignment: Assignment = cast["assignment"]  # type: ignore[assignment]
    item = assignment.items.get()
    WorkFactory(assignment=assignment, item=item, user=cast[Role.STUDENT])
    client = _client(cast[Role.INSTRUCTOR])  # type: ignore[arg-type]
    response = client.post(
        "/courses/dl-2026/staff/assignments/week-1/items",
        {
            "action": "update",
            f"item-{item.pk}-points": "1",
            f"item-{item.pk}-order": "0",
            f"item-{item.pk}-remove": "on",
        },
    )
    assert response.status_code == 409
    assert assignment.items.count() == 1
