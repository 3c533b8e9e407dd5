"""No input gives the course pages a 500: every route under /courses/ gets
the site fuzz test's fixed sweep and a few hypothesis examples, as a student
of a course and as its instructor, aimed at a course that exists (its code
and its assignment's slug are both "dl", the one slug the sweep fills in),
with its items, a submission, a member and a regrade run."""

from __future__ import annotations

import zlib

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import HealthCheck, given, seed, settings
from pytest_django.fixtures import Settings

from exercises.models import CodingExercise, Submission
from tests.factories import RegradeRunFactory, SubmissionFactory
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    CourseFactory,
    ExtensionFactory,
    MembershipFactory,
    WorkFactory,
)
from tests.tutor.fuzzing import Probe, World, input_routes, probes, sweep
from tests.tutor.test_fuzz_inputs import FIELDS, READABLE_ERRORS, _problem
from tutor.courses.items import next_seed
from tutor.courses.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
EXAMPLES = 4
EXTRA = ["invite_code", "code", "title", "term", "slug", "description", "opens_at",
         "due_at", "late_until", "late_penalty", "max_attempts", "scoring",
         "fresh_variants", "hidden_feedback", "exam_points", "question", "action",
         "points", "remove", "publish", "reason", "again", "is_active"]  # fmt: skip


@pytest.fixture
def world(
    student: User, instructor: User, course: None, monkeypatch: pytest.MonkeyPatch
) -> World:
    monkeypatch.setattr(
        "exercises.coding.regrade.runs.regrade_enqueue", lambda run_id: True
    )
    room = CourseFactory(code="dl", invite_code="FUZZFUZZ23")
    member = MembershipFactory(course=room, user=student)
    MembershipFactory(course=room, user=instructor, role=Membership.Role.INSTRUCTOR)
    assignment = AssignmentFactory(course=room, slug="dl", published=True)
    question = AssignmentItemFactory(assignment=assignment)
    coding = AssignmentItemFactory(
        assignment=assignment,
        question=None,
        exercise=CodingExercise.objects.get(slug="iou"),
    )
    submission = SubmissionFactory(
        user=student, exercise=coding.exercise, status=Submission.Status.ERROR
    )
    WorkFactory(
        assignment=assignment, item=coding, user=student, quiz_attempt=None,
        submission=submission,
    )  # fmt: skip
    ExtensionFactory(assignment=assignment, user=student)
    run = RegradeRunFactory(created_by=instructor, submission_ids=[submission.pk])
    seed_now = str(next_seed(assignment=assignment, item=question, user=student))
    member_ids = list(room.members.values_list("pk", flat=True))
    return World(
        ids={"item_id": [question.pk, coding.pk], "submission_id": [submission.pk],
             "membership_id": member_ids, "user_id": [student.pk],
             "run_id": [run.pk]},
        slugs={"courses": ["dl"]},
        fields=FIELDS + EXTRA + [f"m{member.pk}-role", f"item-{question.pk}-points"],
        values=[str(i) for i in (question.pk, coding.pk, student.pk, submission.pk)]
        + [seed_now, "dl", "FUZZFUZZ23", "2030-01-01T10:00", "add", "update", "1"],
    )  # fmt: skip


def _course_routes() -> list[str]:
    return [route for route in input_routes() if route.startswith("courses/")]


def _fuzz(client: Client, route: str, world: World, role: str) -> str | None:
    @seed(zlib.crc32(f"course {role} {route}".encode()))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(probe=probes(route, world))
    def check(probe: Probe) -> None:
        problem = _problem(client, probe)
        assert problem is None, f"{problem} for {probe}"

    try:
        check()
    except Exception as exc:  # one failure, or a group of distinct ones
        return str(exc).splitlines()[0]
    return None


@pytest.mark.parametrize("role", ["student", "instructor"])
def test_no_course_page_answers_malformed_input_with_a_500(
    role: str, world: World, student: User, instructor: User, settings: Settings
) -> None:
    if READABLE_ERRORS not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, READABLE_ERRORS]
    client = Client()
    client.force_login(student if role == "student" else instructor)
    failures: dict[tuple[str, str], list[Probe]] = {}
    for route in _course_routes():
        for probe in sweep(route, world):
            problem = _problem(client, probe)
            if problem:
                failures.setdefault((route, problem), []).append(probe)
        drawn = _fuzz(client, route, world, role)
        if drawn:
            failures.setdefault((route, drawn), [])
    assert not failures, f"{len(failures)} kinds of failure:\n" + "\n".join(
        f"/{route}: {problem}"
        + (f" ({len(found)}×, first for {found[0]})" if found else "")
        for (route, problem), found in failures.items()
    )


def test_the_course_routes_are_in_the_sites_fuzz_test_too() -> None:
    routes = _course_routes()
    assert (
        "courses/<slug:code>/assignments/<slug:slug>/items/<int:item_id>/answer"
        in routes
    )
    assert "courses/<slug:code>/staff/members/<int:membership_id>" in routes
    assert len(routes) > 30
