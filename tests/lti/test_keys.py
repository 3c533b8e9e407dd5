"""The tool's keys: the JWKS endpoint (public parts only), the private keys
outside the database, and rotation with `manage.py lti_key`."""

from __future__ import annotations

import json
import stat
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from jwcrypto.jwk import JWK

from tutor.lti import keys
from tutor.lti.models import ToolKey

pytestmark = pytest.mark.django_db
PRIVATE = {"d", "p", "q", "dp", "dq", "qi"}


def _jwks() -> dict:
    response = Client().get("/lti/jwks/")
    assert response.status_code == 200
    assert "max-age=300" in response["Cache-Control"]
    return response.json()


def test_the_first_request_makes_a_key_and_publishes_its_public_half(settings) -> None:
    published = _jwks()["keys"]
    assert len(published) == 1
    key = published[0]
    assert not PRIVATE & key.keys()
    assert key["alg"] == "RS256" and key["use"] == "sig" and key["kty"] == "RSA"
    assert key["kid"] == JWK(**{k: key[k] for k in ("kty", "n", "e")}).thumbprint()
    row = ToolKey.objects.get()
    assert row.state == "current" and not PRIVATE & row.public_jwk.keys()
    assert "PRIVATE" not in json.dumps(row.public_jwk)
    pem = settings.LTI_KEYS_DIR / f"{row.kid}.pem"
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600


def test_the_signing_key_matches_the_published_kid() -> None:
    signing = keys.signing_key()
    assert JWK.from_pem(signing.public_pem.encode()).thumbprint() == signing.kid
    assert [k["kid"] for k in _jwks()["keys"]] == [signing.kid]


def test_rotation_publishes_first_then_signs_then_retires() -> None:
    first = keys.signing_key().kid
    call_command("lti_key", "add")
    second = ToolKey.objects.get(state="next").kid
    assert {k["kid"] for k in _jwks()["keys"]} == {first, second}
    assert keys.signing_key().kid == first  # published, not signing yet
    with pytest.raises(CommandError, match="less than 24 hours"):
        call_command("lti_key", "activate", "--", second)
    ToolKey.objects.filter(kid=second).update(
        created_at=ToolKey.objects.get(kid=second).created_at - timedelta(days=2)
    )
    call_command("lti_key", "activate", "--", second)
    assert keys.signing_key().kid == second
    assert ToolKey.objects.get(kid=first).state == "previous"
    assert {k["kid"] for k in _jwks()["keys"]} == {first, second}
    with pytest.raises(CommandError, match="the one that signs"):
        call_command("lti_key", "retire", "--", second)
    call_command("lti_key", "retire", "--", first)
    assert [k["kid"] for k in _jwks()["keys"]] == [second]


def test_a_kid_that_begins_with_a_dash_is_taken_after_two_dashes() -> None:
    """A kid is a base64url thumbprint: one in 64 begins with "-", which
    argparse reads as an option unless it follows "--"."""
    with pytest.raises(CommandError, match="required: kid"):
        call_command("lti_key", "retire", "-AbC")
    with pytest.raises(CommandError) as refused:
        call_command("lti_key", "retire", "--", "-AbC")
    assert "-AbC" in str(refused.value) and "required" not in str(refused.value)


def test_add_activate_signs_at_once(capsys) -> None:
    first = keys.signing_key().kid
    call_command("lti_key", "add", "--activate")
    assert keys.signing_key().kid != first
    call_command("lti_key", "list")
    assert "previous" in capsys.readouterr().out


def test_a_missing_private_key_file_is_a_clear_refusal_not_a_500(
    registration, platform, settings
) -> None:
    kid = keys.signing_key().kid
    (settings.LTI_KEYS_DIR / f"{kid}.pem").unlink()
    with pytest.raises(keys.KeyUnavailable, match="not in LTI_KEYS_DIR"):
        keys.signing_key()
    response = Client().get(
        "/lti/login/",
        {
            "iss": platform.issuer,
            "login_hint": "h",
            "client_id": platform.client_id,
            "target_link_uri": "https://testserver/lti/launch/",
        },
        secure=True,
    )
    assert response.status_code == 409
