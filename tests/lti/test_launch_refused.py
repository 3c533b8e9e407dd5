"""Launches and logins that are refused: each gets a clear page (a 4xx),
its reason in the log, and no session (nobody is signed in)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass

import pytest
from django.test import Client

from tests.factories.courses import CourseFactory
from tests.lti.flow import launch, login, post_launch, signed_in
from tests.lti.platform import (
    DL,
    INSTRUCTOR,
    LAUNCH_URL,
    LTI,
    Answer,
    Platform,
    rsa_key,
)
from tutor.lti.models import Deployment, LtiContext, LtiUser

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class FromNow:
    """A time claim this many seconds from when the test runs (not from when
    the parameters were collected, which can be minutes earlier)."""

    seconds: int

    def at(self, now: float) -> int:
        return int(now) + self.seconds


def _refused(response, caplog, reason: str, status: int = 400) -> None:
    assert response.status_code == status, response.content[:300]
    assert b"This link could not be opened" in response.content
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("tutor.lti")]
    assert any(reason in message for message in logged), logged


@pytest.fixture(autouse=True)
def _log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="tutor.lti")


def _launch_refused(
    platform: Platform, caplog, reason: str, status: int = 400, **claims
):
    client = Client()
    response = launch(client, platform, **claims)
    _refused(response, caplog, reason, status)
    assert not signed_in(client)
    assert not LtiUser.objects.exists()


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"aud": "someone-else"}, "Registration not found"),
        ({"aud": ["10000000000001", "untrusted"]}, "azp is missing"),
        (
            {"aud": ["10000000000001", "untrusted"], "azp": "untrusted"},
            "Registration not found",
        ),
        ({"azp": "other"}, "azp is not our client id"),
        ({"exp": FromNow(-120)}, "Signature has expired"),
        ({"iat": FromNow(120)}, "not yet valid"),
        ({"iss": "https://evil.example"}, "Registration not found"),
        ({LTI + "version": "1.1"}, "Incorrect version"),
        ({LTI + "message_type": "LtiUnknownRequest"}, "Unrecognized message type"),
        ({LTI + "roles": None}, "Missing Roles Claim"),
        ({LTI + "resource_link": None}, "Missing Resource Link Id"),
        (
            {LTI + "target_link_uri": "https://evil.example/lti/launch/"},
            "target_link_uri",
        ),
        ({LTI + "deployment_id": None}, "deployment_id"),
        ({"nonce": "never-issued"}, "Invalid Nonce"),
        ({LTI + "context": None}, "no course"),
    ],
)
def test_a_launch_with_bad_claims_is_refused(
    registration, platform: Platform, caplog, extra: dict, reason: str
) -> None:
    claims = {
        name: value.at(time.time()) if isinstance(value, FromNow) else value
        for name, value in extra.items()
    }
    _launch_refused(platform, caplog, reason, extra=claims)


def test_clock_skew_within_the_leeway_is_accepted(registration, platform) -> None:
    client = Client()
    response = launch(
        client, platform, roles=INSTRUCTOR, extra={"iat": int(time.time()) + 5}
    )
    assert response.status_code in (200, 302) and signed_in(client)


def test_an_unknown_deployment_is_recorded_inactive_and_refused(
    registration, platform: Platform, caplog
) -> None:
    _launch_refused(
        platform, caplog, "is not active", 403, extra={LTI + "deployment_id": "99:new"}
    )
    assert not Deployment.objects.get(deployment_id="99:new").is_active
    # Approved in the admin, the next launch goes through.
    Deployment.objects.filter(deployment_id="99:new").update(is_active=True)
    client = Client()
    launch(client, platform, roles=INSTRUCTOR, extra={LTI + "deployment_id": "99:new"})
    assert signed_in(client)


def test_an_inactive_deployment_is_refused(registration, platform, caplog) -> None:
    Deployment.objects.update(is_active=False)
    _launch_refused(platform, caplog, "is not active", 403)


def test_a_foreign_key_is_refused(registration, platform, caplog) -> None:
    pem, _ = rsa_key()
    _launch_refused(
        platform, caplog, "Signature verification failed", sign={"pem": pem}
    )


def test_an_unknown_kid_is_refused_after_one_refetch(
    registration, platform, caplog
) -> None:
    pem, jwk = rsa_key()
    _launch_refused(
        platform,
        caplog,
        "Unable to find public key",
        sign={"pem": pem, "kid": jwk["kid"]},
    )
    assert len(platform.requests_to("GET", "/jwks")) == 2


def test_a_rotated_platform_key_is_fetched_again(registration, platform) -> None:
    launch(Client(), platform, roles=INSTRUCTOR)  # the key set is cached now
    pem, jwk = rsa_key()
    platform.extra_keys.append(jwk)
    client = Client()
    response = launch(
        client, platform, roles=INSTRUCTOR, sign={"pem": pem, "kid": jwk["kid"]}
    )
    assert response.status_code == 302 and signed_in(client)
    assert len(platform.requests_to("GET", "/jwks")) == 2


def test_alg_none_is_refused(registration, platform, caplog) -> None:
    client = Client()
    step = login(client, platform)
    header = {"alg": "none", "kid": platform.jwk["kid"], "typ": "JWT"}
    body = platform.claims(step.nonce)
    token = (
        ".".join(
            base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()
            for part in (header, body)
        )
        + "."
    )
    _refused(post_launch(client, step.state, token), caplog, "not signed with RS256")
    assert not signed_in(client)


def test_hs256_signed_with_the_public_key_is_refused(
    registration, platform, caplog
) -> None:
    client = Client()
    step = login(client, platform)
    header = {"alg": "HS256", "kid": platform.jwk["kid"], "typ": "JWT"}
    segments = [
        base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=")
        for part in (header, platform.claims(step.nonce))
    ]
    secret = json.dumps(platform.jwk).encode()
    signature = hmac.new(secret, b".".join(segments), hashlib.sha256).digest()
    token = b".".join([*segments, base64.urlsafe_b64encode(signature).rstrip(b"=")])
    _refused(post_launch(client, step.state, token.decode()), caplog, "RS256")


@pytest.mark.parametrize(
    "answer", [Answer(500, {"error": "down"}), Answer(200, b"<html>not json</html>")]
)
def test_a_broken_key_set_endpoint_refuses_the_launch(
    registration, platform, caplog, answer: Answer
) -> None:
    platform.jwks_answer = answer
    _launch_refused(platform, caplog, "key set")


def test_a_replayed_id_token_is_refused_in_the_same_browser(
    registration, platform, caplog
) -> None:
    client = Client()
    step = login(client, platform)
    token = platform.id_token(step.nonce, roles=INSTRUCTOR)
    assert post_launch(client, step.state, token).status_code == 302
    del client.cookies["sessionid"]  # signed out; the LTI cookies stay
    _refused(post_launch(client, step.state, token), caplog, "Invalid Nonce")
    assert not signed_in(client)


def test_a_replayed_id_token_is_refused_in_another_browser(
    registration, platform, caplog
) -> None:
    client = Client()
    step = login(client, platform)
    token = platform.id_token(step.nonce, roles=INSTRUCTOR)
    assert post_launch(client, step.state, token).status_code == 302
    thief = Client()
    _refused(post_launch(thief, step.state, token), caplog, "cookie")
    assert not signed_in(thief)


def test_a_state_that_does_not_match_is_refused(registration, platform, caplog) -> None:
    client = Client()
    step = login(client, platform)
    response = post_launch(client, "state-forged", platform.id_token(step.nonce))
    _refused(response, caplog, "State not found")


def test_a_platform_error_is_shown(registration, platform, caplog) -> None:
    response = Client().post(
        "/lti/launch/",
        {"error": "login_required", "error_description": "No session"},
        secure=True,
    )
    _refused(response, caplog, "login_required")
    assert b"No session" in response.content


def test_deep_linking_by_a_student_is_refused(registration, platform, caplog) -> None:
    _launch_refused(
        platform,
        caplog,
        "deep linking by a student",
        403,
        message_type="LtiDeepLinkingRequest",
    )


def test_deep_linking_without_settings_is_refused(
    registration, platform, caplog
) -> None:
    _launch_refused(
        platform,
        caplog,
        "Deep Linking Settings",
        400,
        message_type="LtiDeepLinkingRequest",
        extra={DL: None},
    )


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"iss": "https://evil.example"}, "Could not find registration"),
        ({"login_hint": ""}, "Could not find login hint"),
        ({"target_link_uri": "https://evil.example/lti/launch/"}, "is not ours"),
        ({"target_link_uri": "https://testserver/admin/"}, "is not ours"),
        ({"client_id": "other"}, "Could not find registration"),
    ],
)
def test_a_bad_login_is_refused_without_a_redirect(
    registration, platform: Platform, caplog, params: dict, reason: str
) -> None:
    query = {
        "iss": platform.issuer,
        "login_hint": "h",
        "target_link_uri": LAUNCH_URL,
        "client_id": platform.client_id,
        **params,
    }
    response = Client().get("/lti/login/", query, secure=True)
    _refused(response, caplog, reason)
    assert "Location" not in response


def test_a_course_without_an_instructor_launch_yet_refuses_students(
    registration, platform, caplog
) -> None:
    _launch_refused(platform, caplog, "has no course yet", 409)


def test_a_link_to_another_course_s_assignment_is_refused(
    registration, platform, caplog, assignment
) -> None:
    LtiContext.objects.create(
        registration=registration, context_id="course-7", course=CourseFactory()
    )
    _launch_refused(
        platform,
        caplog,
        "is not in course",
        404,
        custom={"assignment": assignment.slug},
    )


def test_an_unpublished_assignment_is_refused_to_students_only(
    registration, platform, caplog, assignment
) -> None:
    assignment.is_published = False
    assignment.save()
    LtiContext.objects.create(
        registration=registration, context_id="course-7", course=assignment.course
    )
    custom = {"assignment": assignment.slug}
    _launch_refused(platform, caplog, "is not published", 403, custom=custom)
    teacher = Client()
    launch(teacher, platform, sub="t", roles=INSTRUCTOR, custom=custom)
    assert signed_in(teacher)
