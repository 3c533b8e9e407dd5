"""A learning platform inside the test suite, real on the wire.

It has its own RSA key and signs RS256 id_tokens with it, and serves, over
HTTP on 127.0.0.1 (an ephemeral port: each xdist worker has its own), what
the tool calls server to server: its key set, the OAuth2 token endpoint
(checking our client assertion against our published keys), line items,
scores and the roster, paged with `Link: <…>; rel="next"`. Every request is
recorded; the next N answers to a path can be scripted to fail (401, 429
with Retry-After, 500, 400, 422). `problems` lists what the tool sent wrong.

`moodle=True` gives Moodle's shapes: line item URLs with a query string, an
integer deployment id, 200 (not 204) for a score."""

from __future__ import annotations

import json
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK

from tests.lti.platform_wire import Answer, Recorded, Services, serve

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
LIS = "http://purl.imsglobal.org/vocab/lis/v2/"
LEARNER = [LIS + "membership#Learner"]
INSTRUCTOR = [LIS + "membership#Instructor", LIS + "institution/person#Faculty"]
TA = [LIS + "membership/Instructor#TeachingAssistant", LIS + "membership#Instructor"]
SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
]
LAUNCH_URL = "https://testserver/lti/launch/"


def rsa_key() -> tuple[bytes, dict[str, Any]]:
    """A private key (PEM) and its public JWK (kid = RFC 7638 thumbprint)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = JWK.from_pem(pem).public()
    jwk = json.loads(public.export_public())
    jwk.update(kid=public.thumbprint(), alg="RS256", use="sig")
    return pem, jwk


class Platform(Services):
    def __init__(self, *, moodle: bool = False, page_size: int = 2) -> None:
        self.moodle = moodle
        self.page_size = page_size
        self.pem, self.jwk = rsa_key()
        self.extra_keys: list[dict[str, Any]] = []
        self.jwks_answer: Answer | None = None
        self.tool_jwks: dict[str, Any] = {"keys": []}
        self.client_id = "10000000000001" if not moodle else "zTn6FWnZ4W21zmS"
        self.deployment_id = "2" if moodle else "10408:7db4a1c2"
        self.requests: list[Recorded] = []
        self.problems: list[str] = []
        self.scripted: dict[tuple[str, str], list[Answer]] = {}
        self.tokens: set[str] = set()
        self.lineitems: list[dict[str, Any]] = []
        self.scores: list[dict[str, Any]] = []  # each body, plus "_lineitem"
        self.members: list[dict[str, Any]] = []
        self.latest: dict[tuple[str, str], str] = {}  # (line item, user) → timestamp
        self.lock = threading.Lock()
        self.server = serve(self)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------ addresses
    @property
    def auth_login_url(self) -> str:
        return self.issuer + ("/mod/lti/auth.php" if self.moodle else "/auth")

    @property
    def token_url(self) -> str:
        return self.issuer + ("/mod/lti/token.php" if self.moodle else "/token")

    @property
    def key_set_url(self) -> str:
        return self.issuer + ("/mod/lti/certs.php" if self.moodle else "/jwks")

    @property
    def lineitems_url(self) -> str:
        if self.moodle:
            return self.issuer + "/mod/lti/services.php/7/lineitems?type_id=2"
        return self.issuer + "/api/lti/courses/7/line_items"

    @property
    def memberships_url(self) -> str:
        return self.issuer + "/api/lti/courses/7/names_and_roles"

    # ------------------------------------------------------------ scripting
    def fail_next(
        self,
        method: str,
        path_part: str,
        status: int,
        *,
        times: int = 1,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """The next `times` requests whose path contains `path_part` fail."""
        answers = self.scripted.setdefault((method, path_part), [])
        answers += [
            Answer(status, body or {"error": f"scripted {status}"}, headers or {})
        ] * times

    def add_lineitem(self, **fields: Any) -> dict[str, Any]:
        """A column made by the platform (as deep linking asks it to)."""
        with self.lock:
            return self._add_lineitem(fields)

    def _add_lineitem(self, fields: dict[str, Any]) -> dict[str, Any]:
        number = len(self.lineitems) + 1
        container = urlsplit(self.lineitems_url)
        path = f"{container.path}/{number}" + ("/lineitem" if self.moodle else "")
        query = f"?{container.query}" if container.query else ""
        item = {"id": f"{self.issuer}{path}{query}", **fields}
        self.lineitems.append(item)
        return item

    def requests_to(self, method: str, path_part: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and path_part in r.path]

    # ------------------------------------------------------------ id tokens
    def claims(
        self,
        nonce: str,
        *,
        sub: str = "student-1",
        roles: list[str] | None = None,
        custom: dict[str, str] | None = None,
        message_type: str = "LtiResourceLinkRequest",
        link_id: str = "link-1",
        lineitem: str | None = None,
        deep_linking: dict[str, Any] | None = None,
        target: str = "window",
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A launch's claims; `extra` replaces claims (None removes one)."""
        now = int(time.time())
        ags: dict[str, Any] = {"scope": SCOPES, "lineitems": self.lineitems_url}
        if lineitem:
            ags["lineitem"] = lineitem
        body: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": sub,
            "nonce": nonce,
            "iat": now,
            "exp": now + 300,
            "name": f"Person {sub}",
            "given_name": "Person",
            "family_name": sub,
            "email": f"{sub}@school.example",
            LTI + "message_type": message_type,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "target_link_uri": LAUNCH_URL,
            LTI + "roles": LEARNER if roles is None else roles,
            LTI + "context": {
                "id": "course-7",
                "label": "DL101",
                "title": "Deep learning",
            },
            LTI + "launch_presentation": {
                "document_target": target,
                "return_url": self.issuer + "/return",
            },
            LTI + "tool_platform": {
                "product_family_code": "moodle" if self.moodle else "canvas"
            },
            AGS: ags,
            NRPS: {
                "context_memberships_url": self.memberships_url,
                "service_versions": ["2.0"],
            },
        }
        if message_type == "LtiResourceLinkRequest":
            body[LTI + "resource_link"] = {"id": link_id, "title": "Week 1 work"}
        if custom is not None:
            body[LTI + "custom"] = custom
        if deep_linking is not None or message_type == "LtiDeepLinkingRequest":
            body[DL] = deep_linking or {
                "deep_link_return_url": self.issuer + "/deep_link_return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": False,
                "data": "opaque-csrf-of-the-platform",
            }
        for name, value in (extra or {}).items():
            if value is None:
                body.pop(name, None)
            else:
                body[name] = value
        return body

    def sign(
        self,
        claims: dict[str, Any],
        *,
        pem: bytes | None = None,
        kid: str | None = None,
        alg: str = "RS256",
    ) -> str:
        headers = {"kid": self.jwk["kid"] if kid is None else kid}
        key: Any = self.pem if pem is None else pem
        return jwt.encode(claims, key, algorithm=alg, headers=headers)

    def id_token(self, nonce: str, **named: Any) -> str:
        return self.sign(self.claims(nonce, **named))

    def revoke_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def gradebook(self, user_id: str) -> list[float]:
        """The scores the platform received for one user, in order."""
        return [s["scoreGiven"] for s in self.scores if s["userId"] == user_id]
