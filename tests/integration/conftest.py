"""Integration tests: real PostgreSQL, real Redis, real Celery worker processes.

`make integration` (part of `make test`) runs them with DATABASE_URL and
REDIS_URL pointing at PostgreSQL and Redis on 127.0.0.1. Without those
services they are skipped with a reason; with CI=true they fail instead, so
that CI can never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.workers import PrivateRedis, use_broker
from tutor.celery import app as celery_app

HOW_TO_RUN = (
    "integration tests need PostgreSQL and Redis: run `make integration` "
    "(DATABASE_URL=postgres://postgres@127.0.0.1:5432/tutor REDIS_URL=redis://127.0.0.1:6379/15)"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.integration)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} — and CI must not skip the integration tests")
    pytest.skip(f"{reason}; {HOW_TO_RUN}")


@pytest.fixture(scope="session")
def services() -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        _unavailable("DATABASE_URL does not point at PostgreSQL")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        _unavailable("REDIS_URL is not set")
    try:
        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2).ping()
    except redis.RedisError as exc:
        _unavailable(f"Redis at {settings.CELERY_BROKER_URL} is unreachable ({exc})")


@pytest.fixture
def live_db(services: None, transactional_db: None) -> None:
    """Committed data, visible to worker processes (and no leftover messages)."""
    assert connection.vendor == "postgresql"
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if not shutil.which("redis-server"):
        _unavailable("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def publish_to() -> Iterator[Callable[[str], None]]:
    """Point this process's Celery producer at another broker for one test."""
    original = (
        celery_app.conf.broker_url,
        dict(celery_app.conf.broker_transport_options),
    )
    yield use_broker
    use_broker(*original)
