"""Fixtures of the LTI tests: a simulated platform on the wire, our
registration with it, and a course with an assignment to launch."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from tests.factories.lti import (
    DeploymentFactory,
    RegistrationFactory,
    assignment_with_exercise,
)
from tests.lti.platform import Platform
from tutor.courses.models import Assignment
from tutor.lti.keys import published_jwks
from tutor.lti.models import Registration


@pytest.fixture(autouse=True)
def _lti_settings(settings: Settings, tmp_path: Path) -> None:
    """A cache of this test's own (nonces, tokens and key sets never leak
    between tests), and tool keys in a temporary directory."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "lti": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"lti-{uuid.uuid4().hex}",
        },
    }
    settings.LTI_KEYS_DIR = tmp_path / "lti-keys"
    settings.LTI_IFRAME_SESSIONS = False


def _platform(**options: bool) -> Iterator[Platform]:
    platform = Platform(**options)
    try:
        yield platform
    finally:
        platform.close()
    assert platform.problems == []


@pytest.fixture
def platform() -> Iterator[Platform]:
    yield from _platform()


@pytest.fixture
def moodle() -> Iterator[Platform]:
    yield from _platform(moodle=True)


def register(platform: Platform, **fields: object) -> Registration:
    """Our registration with the platform, its deployment active, and the
    platform told our public keys (as it would fetch them from /lti/jwks/)."""
    registration = RegistrationFactory(
        issuer=platform.issuer,
        client_id=platform.client_id,
        auth_login_url=platform.auth_login_url,
        auth_token_url=platform.token_url,
        key_set_url=platform.key_set_url,
        platform="moodle" if platform.moodle else "canvas",
        **fields,
    )
    DeploymentFactory(registration=registration, deployment_id=platform.deployment_id)
    platform.tool_jwks = published_jwks()
    return registration


@pytest.fixture
def registration(db: None, platform: Platform) -> Registration:
    return register(platform)


@pytest.fixture
def assignment(db: None) -> Assignment:
    """A published, open assignment of one coding exercise (IoU, 10 points)."""
    return assignment_with_exercise()
