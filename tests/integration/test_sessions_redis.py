"""Sessions with Redis: read from the shared cache, written through to the
database, which stays the record (tutor/settings.py)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client

from tests.factories import StudentFactory
from tests.factories.users import PASSWORD

pytestmark = pytest.mark.django_db

SIGNED_IN_ONLY = "/progress/"


@pytest.fixture
def signed_in(services: None) -> tuple[Client, str]:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    student = StudentFactory()
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": student.username, "password": PASSWORD},
    )
    assert response.status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return client, key


def test_a_session_is_read_from_redis_and_kept_in_the_database(signed_in) -> None:
    client, key = signed_in
    assert caches["sessions"].get(KEY_PREFIX + key) is not None
    assert Session.objects.filter(session_key=key).exists()
    assert client.get(SIGNED_IN_ONLY).status_code == 200


def test_a_session_outlives_a_redis_flush(signed_in) -> None:
    client, key = signed_in
    caches["sessions"].clear()
    assert client.get(SIGNED_IN_ONLY).status_code == 200
    assert caches["sessions"].get(KEY_PREFIX + key) is not None  # read back in


def test_a_session_ended_is_refused_everywhere(signed_in) -> None:
    client, key = signed_in
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post("/accounts/logout/").status_code in (200, 302)
    assert caches["sessions"].get(KEY_PREFIX + key) is None
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get(SIGNED_IN_ONLY)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
