"""Deep linking from the platform's side: an instructor's deep-linking
launch, the choice on our picker, and the signed answer read back."""

from __future__ import annotations

from typing import Any

import jwt
from django.test import Client
from jwt.algorithms import RSAAlgorithm

from tests.lti.flow import launch
from tests.lti.platform import DL, INSTRUCTOR, Platform

CONTENT_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data"


def open_picker(client: Client, platform: Platform, **claims: Any):
    response = launch(
        client,
        platform,
        sub="teacher-1",
        roles=INSTRUCTOR,
        message_type="LtiDeepLinkingRequest",
        **claims,
    )
    assert response.status_code == 200, response.content[:500]
    return response


def choose(client: Client, picker, choice: str | None):
    data = {"token": picker.context["token"]}
    if choice is None:
        data["cancel"] = "1"
    else:
        data["choice"] = choice
    return client.post("/lti/deep-link/", data, secure=True)


def read_answer(answer, platform: Platform) -> dict[str, Any]:
    """The response JWT, verified with our published key set as the
    platform would (issuer: our client id; audience: the platform)."""
    assert answer.status_code == 200, answer.content[:500]
    assert answer.context["return_url"] == platform.issuer + "/deep_link_return"
    token = answer.context["jwt"]
    jwks = Client().get("/lti/jwks/").json()
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = next(k for k in jwks["keys"] if k["kid"] == kid)
    key: Any = RSAAlgorithm.from_jwk(jwk)
    claims = jwt.decode(token, key, algorithms=["RS256"], audience=platform.issuer)
    assert claims["iss"] == platform.client_id
    assert claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] == (
        "LtiDeepLinkingResponse"
    )
    return claims


def link_from(platform: Platform, claims: dict[str, Any]) -> tuple[dict, str | None]:
    """What the platform does with the answer: the link's custom parameters,
    and the gradebook column it makes when the item asks for one."""
    item = claims[CONTENT_ITEMS][0]
    column = None
    if "lineItem" in item:
        column = platform.add_lineitem(
            **item["lineItem"], resourceLinkId="link-from-dl"
        )["id"]
    return item["custom"], column


__all__ = ["DATA", "DL", "choose", "link_from", "open_picker", "read_answer"]
