"""Calls to a platform's services (AGS, NRPS) through pylti1p3's connector,
with what it lacks: access tokens cached in the Django cache per
(registration, scopes) until shortly before they expire, a timeout on every
request, one retry with a fresh token after a 401, errors that carry the
status and Retry-After, and `Link: <…>; rel="next"` read without lowering
the URL's case (pylti1p3 2.0.0 lowercases the whole header)."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Sequence
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from django.core.cache import caches
from django.utils import timezone
from pylti1p3.service_connector import (
    REQUESTS_USER_AGENT,
    ServiceConnector,
    TServiceConnectorResponse,
)

from tutor.lti.models import Registration
from tutor.lti.toolconf import lib_registration

CACHE = "lti"
# Seconds to wait for a platform's answer (key set, token, grades, roster).
HTTP_TIMEOUT = 10.0
# A token is dropped this long before the platform says it expires.
TOKEN_MARGIN_SECONDS = 60


class PlatformError(Exception):
    """A service call that failed: `status` None for no answer (timeout,
    connection refused), `retry_after` in seconds when the platform said."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        body: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after
        self.body = body

    @property
    def retryable(self) -> bool:
        """Worth trying again later: no answer, rate limited or a server error."""
        return self.status is None or self.status in (408, 429) or self.status >= 500


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


def _error(response: requests.Response, what: str) -> PlatformError:
    body = response.text[:1000]
    return PlatformError(
        f"{what}: HTTP {response.status_code} {body[:300]}".strip(),
        status=response.status_code,
        retry_after=retry_after_seconds(response.headers.get("Retry-After")),
        body=body,
    )


class CachedConnector(ServiceConnector):
    def __init__(self, registration: Registration) -> None:
        session = requests.Session()
        session.headers["User-Agent"] = REQUESTS_USER_AGENT
        super().__init__(lib_registration(registration), session)
        self.row = registration

    def _token_key(self, scopes: Sequence[str]) -> str:
        who = f"{self.row.pk}\n{self.row.issuer}\n{self.row.client_id}"
        what = "|".join(sorted(scopes))
        digest = hashlib.sha256(f"{who}\n{what}".encode()).hexdigest()
        return f"lti-token-{digest}"

    def drop_token(self, scopes: Sequence[str]) -> None:
        caches[CACHE].delete(self._token_key(scopes))

    def get_access_token(self, scopes: Sequence[str]) -> str:
        key = self._token_key(scopes)
        cached = caches[CACHE].get(key)
        if isinstance(cached, str):
            return cached
        registration = self._registration
        url = registration.get_auth_token_url() or ""
        now = int(time.time())
        assertion = self.encode_jwt(
            {
                "iss": self.row.client_id,
                "sub": self.row.client_id,
                "aud": registration.get_auth_audience() or url,
                "iat": now - 5,
                "exp": now + 60,
                "jti": f"lti-service-token-{uuid.uuid4()}",
            },
            registration.get_tool_private_key() or "",
            {"kid": registration.get_kid() or ""},
        )
        form = {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
            "scope": " ".join(sorted(scopes)),
        }
        response = self._send("POST", url, data=form)
        if not response.ok:
            raise _error(response, "access token refused")
        try:
            body = response.json()
            token, lifetime = body["access_token"], int(body.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError):
            raise PlatformError(
                "the token endpoint's answer has no access_token", status=502
            ) from None
        if not isinstance(token, str) or not token:
            raise PlatformError("the token endpoint gave an empty token", status=502)
        if lifetime > TOKEN_MARGIN_SECONDS:
            caches[CACHE].set(key, token, lifetime - TOKEN_MARGIN_SECONDS)
        return token

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            return self._requests_session.request(
                method, url, timeout=HTTP_TIMEOUT, **kwargs
            )
        except requests.RequestException as exc:
            raise PlatformError(f"{method} {url}: no answer ({exc})") from None

    def make_service_request(
        self,
        scopes: Sequence[str],
        url: str,
        is_post: bool = False,
        data: str | None = None,
        content_type: str = "application/json",
        accept: str = "application/json",
        case_insensitive_headers: bool = False,
    ) -> TServiceConnectorResponse:
        method = "POST" if is_post else "GET"
        for attempt in (1, 2):
            headers = {
                "Authorization": "Bearer " + self.get_access_token(scopes),
                "Accept": accept,
            }
            if is_post:
                headers["Content-Type"] = content_type
            response = self._send(method, url, data=data or None, headers=headers)
            if response.status_code != 401 or attempt == 2:
                break
            self.drop_token(scopes)  # expired or revoked: one more try, new token
        if not response.ok:
            raise _error(response, f"{method} {url}")
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        next_url = response.links.get("next", {}).get("url")
        return {
            "headers": response.headers
            if case_insensitive_headers
            else dict(response.headers),
            "body": body,
            "next_page_url": next_url or None,
        }
