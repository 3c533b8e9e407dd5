"""No input gives a 500: every URL of the site (tutor/urls.py, the instructors'
pages and our admin views; not the Django admin's own) is sent malformed
requests as an anonymous visitor, a student and an instructor.

Each endpoint gets a fixed sweep (every malformation in tests/tutor/fuzzing.py
at least once, as the role whose pages they are) and a bounded number of
hypothesis examples per role, seeded by endpoint and role so that a run is
repeatable. Every response must be below 500 and, for a 4xx, readable: a page
with words on it or JSON with a message, never an empty body. A course of four
topics keeps each page cheap to render."""

from __future__ import annotations

import copy
import functools
import json
import logging
import zlib
from collections.abc import Iterator
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone
from django.utils.html import strip_tags
from hypothesis import HealthCheck, given, seed, settings
from pytest_django.fixtures import Settings

from exercises.bank import Course, course_load, course_read
from exercises.models import CodingExercise, Question, Submission, Topic
from exercises.presentation import current_seed
from tests.factories import (
    ExamBlueprintFactory,
    MockExamFactory,
    RegradeRunFactory,
    SubmissionFactory,
)
from tests.tutor.fuzzing import Probe, World, input_routes, probes, sweep
from tutor.personal_sheets import personal_sheet_create

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = 8  # hypothesis examples per endpoint and role
READABLE_ERRORS = "tutor.views.errors.ReadableErrorsMiddleware"
READABLE_ERRORS = "tutor.views.errors.ReadableErrorsMiddleware"
ROLES = ("anonymous", "student", "instructor")
TOPICS = {"6.05-adversarial-examples", "6.07-visualising-networks", "6.10-yolo", "7.08-lstm"}  # fmt: skip
QUESTIONS = ["visualising-ascent-step", "adversarial-linear-fool-by-hand",
             "lstm-step-by-hand"]  # fmt: skip
FIELDS = [
    "source", "file", "value", "choice", "choices", "order", "expression", "seed",
    "review", "blueprint", "items", "at", "clear", "q0-value", "q0-choice",
    "q0-choices", "q0-expression", "q0-order", "q1-value", "exercise", "submission",
    "query", "never_lower", "student", "status", "short_passes", "lecture", "topic",
    "start", "end", "sort", "page", "from", "format", "weakest", "title", "topics",
    "username", "password", "password1", "password2", "email", "next",
    "value-cell-0-0", "value-cell-x-1",
]  # fmt: skip


QUIET = ["django.request", "django.security", "axes", "exercises.checkers.multistep"]


@functools.cache
def _bank() -> Course:
    return course_read()


def _small_course() -> Course:
    bank = _bank()
    topics = [copy.deepcopy(t) for t in bank.topics if t.path.stem in TOPICS]
    return Course(lectures=copy.deepcopy(bank.lectures), topics=topics)


def _questions() -> list[Question]:
    """One published question of each kind, and the multi-step ones named above."""
    chosen = {q.kind: q for q in Question.objects.filter(is_published=True)}
    named = Question.objects.filter(slug__in=QUESTIONS)
    return list(chosen.values()) + [q for q in named if q not in chosen.values()]


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    """Thousands of refused requests are logged (a failure says what went wrong)."""
    loggers = [logging.getLogger(name) for name in QUIET]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def world(student: User, instructor: User, monkeypatch: pytest.MonkeyPatch) -> World:
    # Not what is fuzzed here: printing PDFs with Chromium, and grading.
    monkeypatch.setattr("tutor.views.sheets.html_to_pdf", lambda html: b"%PDF-1.4")
    monkeypatch.setattr(
        "exercises.coding.regrade.runs.regrade_enqueue", lambda run_id: True
    )
    course_load(_small_course())
    questions = _questions()
    exercise = CodingExercise.objects.get(slug="iou")
    submission = SubmissionFactory(
        user=student, exercise=exercise, source="def iou(a, b):\n    return 0\n",
        status=Submission.Status.ERROR, error_message="fuzz",
    )  # fmt: skip
    topic = Topic.objects.get(slug="yolo")
    sheet = personal_sheet_create(user=student, title="Mine", topics=[topic], notes={})
    exam = MockExamFactory(
        user=student,
        title="Fuzz paper",
        deadline=timezone.now() + timedelta(days=1),
        questions=questions,
    )
    blueprint = ExamBlueprintFactory(name="Fuzz", rules=[], random_count=3)
    run = RegradeRunFactory(created_by=instructor, submission_ids=[submission.pk])
    parts = [f"part-{p['name']}" for q in questions for p in q.spec.get("parts", [])]
    ids = [submission.pk, exercise.pk, blueprint.pk, student.pk, topic.pk, run.pk]
    ids += [question.pk for question in questions]
    return World(
        ids={"exam_id": [exam.pk], "position": [0, 1], "submission_id": [submission.pk],
             "pk": [sheet.pk], "user_id": [student.pk], "run_id": [run.pk],
             "object_id": [exercise.pk, questions[0].pk]},
        slugs={"questions": [q.slug for q in questions], "exercises": ["iou"],
               "topics": [t.slug for t in Topic.objects.all()],
               "lectures": ["lecture-6", "lecture-7"],
               "sheets": ["all", "lecture-6"]},
        fields=FIELDS + parts + [f"{p}-cell-0-1" for p in parts] + ["note-yolo"],
        values=[str(i) for i in ids] + [q.slug for q in questions]
        + [str(current_seed(student, q)) for q in questions] + ["A", "B", "iou", "on"],
        needs={q.slug: {"seed": str(current_seed(student, q))} for q in questions},
    )  # fmt: skip


def _readable(response: HttpResponse) -> bool:
    """A page with words on it, or JSON carrying a message."""
    if response.streaming:
        return True
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.loads(response.content)
        return isinstance(body, dict) and bool(body.get("message") or body.get("error"))
    return any(ch.isalnum() for ch in strip_tags(response.content.decode()))


def _problem(client: Client, probe: Probe) -> str | None:
    """What is wrong with the response to `probe`, or None. Every write the
    request makes is rolled back, so probes do not disturb each other."""
    cookies = SimpleCookie(client.cookies)
    url = f"{probe.path}?{probe.query}" if probe.query else probe.path
    try:
        with transaction.atomic():
            response = client.generic(
                probe.method,
                url,
                probe.body,
                content_type=probe.content_type,
                headers=probe.headers,
            )
            transaction.set_rollback(True)
    except Exception as exc:  # the test client re-raises what became a 500
        return f"500 ({type(exc).__name__}: {str(exc)[:200]})"
    finally:
        client.cookies = cookies  # a sign-out in one probe must not sign out the next
    if response.status_code >= 500:
        return f"{response.status_code}"
    if response.status_code >= 400 and not _readable(response):
        return f"{response.status_code} without a readable body"
    return None


def _sweep_role(route: str) -> str:
    """Whose requests reach the view behind each route's gate."""
    if route.startswith(("instructor/", "admin/")):
        return "instructor"
    return "anonymous" if route.startswith("accounts/") else "student"


def _fuzz(client: Client, route: str, world: World, role: str) -> str | None:
    """Hypothesis examples for one endpoint; the shrunk failure, if any."""

    @seed(zlib.crc32(f"{role} {route}".encode()))
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
        return str(exc).splitlines()[0] + "".join(
            f"\n    {str(sub).splitlines()[0]}"
            for sub in getattr(exc, "exceptions", [])
        )
    return None


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_it_never_answers_malformed_input_with_a_500_or_an_empty_error(
    role: str, world: World, student: User, instructor: User, settings: Settings
) -> None:
    # Sign-in attempts are fuzzed too: a fast hasher keeps each one cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if READABLE_ERRORS not in settings.MIDDLEWARE:
        # Until tutor/settings.py lists it (test_error_pages checks that it does):
        # without it the 405s of require_POST and of Django's views have no body.
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, READABLE_ERRORS]
    client = _client(
        {"anonymous": None, "student": student, "instructor": instructor}[role]
    )
    failures: dict[tuple[str, str], list[Probe]] = {}
    for route in input_routes():
        for probe in sweep(route, world) if _sweep_role(route) == role else []:
            problem = _problem(client, probe)
            if problem:
                failures.setdefault((route, problem), []).append(probe)
        drawn = _fuzz(client, route, world, role)
        if drawn:
            failures.setdefault((route, drawn), [])
    assert not failures, f"{len(failures)} kinds of failure:\n" + "\n".join(
        f"/{route}: {problem}"
        + (f" ({len(probes)}×, first for {probes[0]})" if probes else "")
        for (route, problem), probes in failures.items()
    )


def test_it_fuzzes_every_route_of_the_site_but_the_django_admins_own() -> None:
    routes = input_routes()
    assert "exercises/<slug:slug>/submit" in routes
    assert "instructor/regrade/start" in routes
    assert "admin/exercises/question/<path:object_id>/preview/" in routes
    assert "accounts/login/" in routes
    assert not [r for r in routes if r.startswith("admin/") and "preview" not in r
                and "validation" not in r]  # fmt: skip
