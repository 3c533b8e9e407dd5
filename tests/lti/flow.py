"""The browser's side of a launch, with Django's test client over "https"
(pylti1p3 then sets its cookies SameSite=None; Secure, as in production):
the login redirect, then the id_token posted to the launch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.http import HttpResponse
from django.test import Client

from tests.lti.platform import LAUNCH_URL, Platform


@dataclass(frozen=True)
class LoginStep:
    state: str
    nonce: str
    redirect_uri: str
    query: dict[str, str]


def login(client: Client, platform: Platform, **params: str) -> LoginStep:
    """Step 1 → 2: the platform sends the browser to our login, we send it
    to the platform's authorisation URL."""
    query = {
        "iss": platform.issuer,
        "login_hint": "hint-42",
        "target_link_uri": LAUNCH_URL,
        "client_id": platform.client_id,
        "lti_deployment_id": platform.deployment_id,
        "lti_message_hint": "message-hint",
        **params,
    }
    response = client.get("/lti/login/", query, secure=True)
    assert response.status_code == 302, response.content[:500]
    location = urlsplit(response["Location"])
    assert (
        f"{location.scheme}://{location.netloc}{location.path}"
        == platform.auth_login_url
    )
    sent = {k: v[0] for k, v in parse_qs(location.query).items()}
    return LoginStep(sent["state"], sent["nonce"], sent["redirect_uri"], sent)


def post_launch(client: Client, state: str, id_token: str) -> HttpResponse:
    return client.post(
        "/lti/launch/", {"id_token": id_token, "state": state}, secure=True
    )


def launch(
    client: Client,
    platform: Platform,
    *,
    sign: dict[str, Any] | None = None,
    **claims: Any,
) -> HttpResponse:
    """A whole launch: login, then an id_token with these claims."""
    step = login(client, platform)
    token = platform.sign(platform.claims(step.nonce, **claims), **(sign or {}))
    return post_launch(client, step.state, token)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
