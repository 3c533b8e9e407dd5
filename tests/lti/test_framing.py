"""Framing: the site's pages stay unframeable, except the LTI steps; with
LTI_IFRAME_SESSIONS, a launched session's pages are framed by its platform
(and the flag needs secure cookies)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.lti.flow import launch
from tests.lti.platform import INSTRUCTOR, Platform
from tests.tutor.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


def test_pages_after_a_launch_stay_unframeable_without_the_flag(
    registration, platform: Platform
) -> None:
    client = Client()
    launch(client, platform, roles=INSTRUCTOR)
    page = client.get("/", secure=True)
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_with_the_flag_a_launched_session_is_framed_by_its_platform(
    registration, platform: Platform, settings
) -> None:
    settings.LTI_IFRAME_SESSIONS = True
    registration.frame_origins = "https://school.instructure.com\nnot a url"
    registration.save()
    client = Client()
    response = launch(client, platform, roles=INSTRUCTOR, target="iframe")
    assert response.status_code == 302  # no new window needed
    page = client.get("/", secure=True)
    assert "X-Frame-Options" not in page
    policy = page["Content-Security-Policy"]
    ancestors = policy.split("frame-ancestors")[1].split(";")[0].split()
    assert sorted(ancestors) == sorted(
        ["https://school.instructure.com", platform.issuer]
    )
    assert Client().get("/")["X-Frame-Options"] == "DENY"  # others: unchanged


def test_refused_pages_can_be_shown_in_the_platform_s_frame(db: None) -> None:
    response = Client().post("/lti/launch/", {"id_token": "x", "state": "y"})
    assert response.status_code == 400
    assert "X-Frame-Options" not in response
    assert "frame-ancestors https:" in response["Content-Security-Policy"]


def test_the_flag_needs_secure_cookies() -> None:
    result = manage(
        "check", LTI_IFRAME_SESSIONS="True", SESSION_COOKIE_SECURE="False", **PRODUCTION
    )
    assert result.returncode != 0 and "LTI_IFRAME_SESSIONS needs" in result.stderr
    result = manage("check", "--deploy", LTI_IFRAME_SESSIONS="True", **PRODUCTION)
    assert result.returncode == 0, result.stderr
