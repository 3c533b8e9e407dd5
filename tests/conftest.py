"""Fixtures shared by every test: a fixed cast of users and the loaded course."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

# One torch thread per test process: pytest-xdist already runs a process per
# core, and two threads each on two cores made every small tensor operation
# of the references ~50 times slower on a busy machine.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
if "torch" in sys.modules:
    sys.modules["torch"].set_num_threads(1)

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from exercises.bank import course_load, course_read
from tests.factories import InstructorFactory, StudentFactory
from tests.workers import Worker, worker_environment
from tutor.celery import app as celery_app


@pytest.fixture(autouse=True)
def _eager_celery(request: pytest.FixtureRequest) -> Iterator[None]:
    """Outside the integration tests, the grading task runs in-process (still
    the same Celery task and the same grader); integration tests use a real
    worker process and broker."""
    if request.node.get_closest_marker(
        "integration"
    ) or request.node.get_closest_marker("real_worker"):
        yield
        return
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = False


@pytest.fixture
def unhurried_symbolic(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests that judge whether the bank's symbolic answers are decided:
    the child keeps its 3 s of CPU (what "too hard to check" means) but a
    loaded test machine may schedule it late, so its wall clock is wide."""
    from exercises.checkers import symbolic

    monkeypatch.setattr(symbolic, "DECIDE_WALL_SECONDS", 120.0)
    symbolic.equivalent.cache_clear()


@pytest.fixture
def student(db: None) -> User:
    return StudentFactory(username="alice")


@pytest.fixture
def other_student(db: None) -> User:
    return StudentFactory(username="bob")


@pytest.fixture
def instructor(db: None) -> User:
    return InstructorFactory(username="carol")


@pytest.fixture
def course(db: None) -> None:
    course_load(course_read())


@pytest.fixture
def student_client(student: User) -> Client:
    client = Client()
    client.force_login(student)
    return client


@pytest.fixture
def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def start(broker_url: str | None = None, **overrides: str) -> Worker:
        env = worker_environment(
            broker_url or celery_app.conf.broker_url, tmp_path, **overrides
        )
        worker = Worker(env, tmp_path / f"worker-{len(started)}.log")
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()
    # Workers must be gone before the test database is flushed or dropped.
    connection.close()
