"""The tool's RSA keys: the private halves are files in LTI_KEYS_DIR (never in
the repository, the database or a response), the public halves and their
states are ToolKey rows, and /lti/jwks/ publishes the next, current and
previous keys. `kid` is the key's RFC 7638 thumbprint, the value pylti1p3
derives from the same key, so the kid we publish is the one we sign with.

On a first run, with no key at all, one is generated into LTI_KEYS_DIR (the
var directory by default) so that a newcomer's site works at once; rotation
is `manage.py lti_key` (add, activate, retire)."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from jwcrypto.jwk import JWK

from tutor.lti.models import ToolKey

log = logging.getLogger(__name__)
State = ToolKey.State
PUBLISHED = (State.NEXT, State.CURRENT, State.PREVIOUS)
# Platforms cache a tool's key set (Canvas for hours): a key signs only after
# it has been published this long, unless the command is forced.
PUBLISH_BEFORE_SIGNING = timedelta(hours=24)
PRIVATE_PARTS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")


class KeyUnavailable(Exception):
    """No key can sign: the message says what to run or where to look."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: str
    public_pem: str


def keys_dir() -> Path:
    return Path(settings.LTI_KEYS_DIR)


def _pem_path(kid: str) -> Path:
    if not kid or "/" in kid or kid.startswith("."):
        raise KeyUnavailable(f"Not a key id: {kid!r}")
    return keys_dir() / f"{kid}.pem"


def public_jwk(public_pem: bytes) -> dict[str, Any]:
    jwk = JWK.from_pem(public_pem)
    data: dict[str, Any] = json.loads(jwk.export_public())
    data.update(kid=jwk.thumbprint(), alg="RS256", use="sig")
    return {k: v for k, v in data.items() if k not in PRIVATE_PARTS}


def key_add(*, state: str = State.NEXT) -> ToolKey:
    """A new 2048-bit RSA key: its private half written to LTI_KEYS_DIR
    (mode 0600, never overwritten), its public half stored as a row."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    jwk = public_jwk(public)
    directory = keys_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(_pem_path(jwk["kid"]), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return ToolKey.objects.create(kid=jwk["kid"], state=state, public_jwk=jwk)


def private_pem(key: ToolKey) -> str:
    path = _pem_path(key.kid)
    try:
        return path.read_text(encoding="ascii")
    except OSError:
        raise KeyUnavailable(
            f"The private key of tool key {key.kid} is not in LTI_KEYS_DIR "
            f"({keys_dir()}): restore the file {path.name}, or add and activate "
            "a new key with `manage.py lti_key add --activate`."
        ) from None


def signing_key() -> SigningKey:
    """The current key with its private half. With no key at all (a first
    run), one is generated and made current."""
    key = ToolKey.objects.filter(state=State.CURRENT).first()
    if key is None:
        key = _first_key()
    pem = private_pem(key)
    loaded = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    public_pem = loaded.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return SigningKey(kid=key.kid, private_pem=pem, public_pem=public_pem.decode())


def _first_key() -> ToolKey:
    if ToolKey.objects.exclude(state=State.RETIRED).exists():
        raise KeyUnavailable(
            "No tool key is current: activate one with `manage.py lti_key activate KID`."
        )
    try:
        with transaction.atomic():
            key = key_add(state=State.CURRENT)
    except IntegrityError:  # another process made the first key at the same time
        return ToolKey.objects.get(state=State.CURRENT)
    log.warning(
        "LTI: generated the tool's first signing key %s into %s; keep that "
        "directory on persistent storage (LTI_KEYS_DIR)",
        key.kid,
        keys_dir(),
    )
    return key


def published_jwks() -> dict[str, list[dict[str, Any]]]:
    """The key set platforms verify our signatures with: public parts only."""
    if not ToolKey.objects.filter(state=State.CURRENT).exists():
        try:
            signing_key()
        except KeyUnavailable as exc:
            log.error("LTI: %s", exc)
    keys = ToolKey.objects.filter(state__in=PUBLISHED).order_by("created_at")
    return {
        "keys": [
            {k: v for k, v in key.public_jwk.items() if k not in PRIVATE_PARTS}
            for key in keys
        ]
    }


@transaction.atomic
def key_activate(*, kid: str, force: bool = False) -> ToolKey:
    """Make a published key the one that signs; the key it replaces stays
    published as `previous` until it is retired."""
    key = ToolKey.objects.select_for_update().filter(kid=kid).first()
    if key is None:
        raise KeyUnavailable(f"No tool key {kid}.")
    if key.state == State.CURRENT:
        return key
    if key.state == State.RETIRED:
        raise KeyUnavailable(f"Key {kid} is retired; add a new key instead.")
    private_pem(key)  # it can sign
    young = timezone.now() - key.created_at < PUBLISH_BEFORE_SIGNING
    if young and not force and ToolKey.objects.filter(state=State.CURRENT).exists():
        raise KeyUnavailable(
            f"Key {kid} was published less than 24 hours ago; platforms may not "
            "have fetched it yet. Wait, or pass --force."
        )
    ToolKey.objects.filter(state=State.CURRENT).update(
        state=State.PREVIOUS, changed_at=timezone.now()
    )
    key.state = State.CURRENT
    key.save(update_fields=["state", "changed_at"])
    return key


def key_retire(*, kid: str) -> ToolKey:
    """Stop publishing a key that no longer signs (its file is left in place)."""
    key = ToolKey.objects.filter(kid=kid).first()
    if key is None:
        raise KeyUnavailable(f"No tool key {kid}.")
    if key.state == State.CURRENT:
        raise KeyUnavailable(
            f"Key {kid} is the one that signs: activate another key first."
        )
    key.state = State.RETIRED
    key.save(update_fields=["state", "changed_at"])
    return key
