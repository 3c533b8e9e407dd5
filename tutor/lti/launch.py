"""The OIDC login and the launch's validation: pylti1p3's checks, plus the
ones it skips (see ../shared/LTI.md §1.5):

- the nonce is single-use (pylti1p3 only checks that it was issued, so the
  same id_token posted twice from one browser would be accepted);
- `aud` must contain our client id, and `azp` must be it when there are
  several audiences (pylti1p3 compares `aud[0]` only);
- only RS256, with a 60-second leeway on `exp` and `iat` (clock skew);
- the platform's key set is cached, and fetched again once when a token
  names a key it does not hold (key rotation); fetches time out;
- the deployment must be known and active: an unknown one is recorded
  inactive, for an admin to approve;
- `target_link_uri` must be our launch URL; only resource-link and deep-
  linking messages are accepted, from inside a course."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt
import requests
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from jwcrypto.common import JWException
from pylti1p3.contrib.django import (
    DjangoCacheDataStorage,
    DjangoMessageLaunch,
    DjangoOIDCLogin,
)
from pylti1p3.exception import LtiException, OIDCException

from tutor.lti.claims import DEEP_LINKING, DL_SETTINGS, RESOURCE_LINK, Claims
from tutor.lti.connector import HTTP_TIMEOUT
from tutor.lti.keys import KeyUnavailable
from tutor.lti.models import Deployment, Registration
from tutor.lti.toolconf import DbToolConf, usable_id

log = logging.getLogger(__name__)
LEEWAY_SECONDS = 60
JWKS_CACHE_SECONDS = 3600
CACHE = "lti"
UNVERIFIED = (
    "The learning platform's launch could not be verified, so you are not signed "
    "in. Go back to the platform and open the link again; if this keeps "
    "happening, tell your instructor."
)


class LaunchRefused(Exception):
    """A login or launch we do not accept: `reason` goes to the log, `message`
    to the person, with `status` (a 4xx)."""

    def __init__(self, reason: str, message: str = UNVERIFIED, status: int = 400):
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.status = status


@dataclass(frozen=True)
class ValidLaunch:
    claims: Claims
    registration: Registration
    deployment: Deployment
    launch_id: str


def launch_storage() -> DjangoCacheDataStorage:
    """State, nonces and launch data in a cache every web process shares (a
    session cookie would not survive the cross-site steps in a frame)."""
    return DjangoCacheDataStorage(cache_name=CACHE)


def launch_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("lti:launch"))


def is_our_launch_url(url: str, request: HttpRequest) -> bool:
    """Same scheme, host and path as our launch URL (a query is allowed)."""
    ours, theirs = urlsplit(launch_url(request)), urlsplit(url)
    return (
        theirs.scheme.lower() == ours.scheme
        and theirs.netloc.lower() == ours.netloc.lower()
        and theirs.path == ours.path
    )


def login_redirect(request: HttpRequest) -> HttpResponse:
    """Step 2 of the OIDC login: the redirect to the platform's authorisation
    URL, with a state cookie and a nonce stored for this browser."""
    target = request.GET.get("target_link_uri") or request.POST.get(
        "target_link_uri", ""
    )
    if not is_our_launch_url(target, request):
        raise LaunchRefused(f"login: target_link_uri {target[:200]!r} is not ours")
    try:
        login = DjangoOIDCLogin(
            request, DbToolConf(), launch_data_storage=launch_storage()
        )
        response: HttpResponse = login.redirect(launch_url(request))
    except (LtiException, OIDCException) as exc:
        raise LaunchRefused(f"login: {exc}") from None
    except KeyUnavailable as exc:
        raise LaunchRefused(f"login: {exc}", status=409) from None
    return response


def launch_validate(request: HttpRequest) -> ValidLaunch:
    """Step 3: the launch, validated, or LaunchRefused."""
    error = request.POST.get("error")
    if error:
        description = request.POST.get("error_description", "")[:300]
        raise LaunchRefused(
            f"the platform answered the login with {error[:100]!r}: {description}",
            "The learning platform could not sign you in"
            + (f": {description}" if description else ".")
            + " Open the link again from the platform.",
        )
    conf = DbToolConf()
    try:
        message = HardenedLaunch(request, conf)
        message.validate()
    except LaunchRefused:
        raise
    except (LtiException, OIDCException) as exc:
        raise LaunchRefused(str(exc)[:500]) from None
    except KeyUnavailable as exc:
        raise LaunchRefused(str(exc), status=409) from None
    assert conf.registration is not None and message.deployment is not None
    return ValidLaunch(
        claims=Claims(dict(message.get_launch_data())),
        registration=conf.registration,
        deployment=message.deployment,
        launch_id=message.get_launch_id(),
    )


class HardenedLaunch(DjangoMessageLaunch):
    def __init__(self, request: HttpRequest, tool_conf: DbToolConf) -> None:
        super().__init__(request, tool_conf, launch_data_storage=launch_storage())
        self.tool_conf = tool_conf
        self.deployment: Deployment | None = None
        self.launch_url = launch_url(request)
        self.http_request = request
        self._refetched = False

    def validate(self) -> HardenedLaunch:
        if self._restored:
            raise LtiException("Can't validate restored launch")
        self._validated = True
        try:
            self.validate_state()
            self.validate_jwt_format()
            self.validate_header()
            self.validate_nonce()
            self.validate_registration()
            self.validate_jwt_signature()
            self.consume_nonce()
            self.validate_deployment()
            self.validate_message()
            self.validate_claims()
            self.save_launch_data()
        except Exception:
            self._validated = False
            raise
        return self

    def body(self) -> dict[str, Any]:
        body: object = self._jwt.get("body")
        if not isinstance(body, dict):
            raise LtiException("The id_token's body is not a JSON object")
        return body

    def validate_header(self) -> None:
        """RS256 and a key id, and claims of the shapes the library reads."""
        header = self._jwt.get("header")
        if not isinstance(header, dict) or header.get("alg") != "RS256":
            raise LtiException("The id_token is not signed with RS256")
        if not usable_id(header.get("kid")):
            raise LtiException("The id_token names no key (kid)")
        body = self.body()
        if not isinstance(body.get("nonce"), str):
            raise LtiException("The id_token has no nonce")
        for name in (_claim("resource_link"), DL_SETTINGS, _claim("context")):
            if name in body and not isinstance(body[name], dict):
                raise LtiException(f"{name} is not a JSON object")

    def get_client_id(self) -> str:
        """The audience to look the registration up by: `azp` when `aud`
        lists several (the check that it is ours comes after)."""
        body = self.body()
        aud, azp = body.get("aud"), body.get("azp")
        if isinstance(aud, list):
            if len(aud) > 1 and isinstance(azp, str):
                return azp
            return aud[0] if aud and isinstance(aud[0], str) else ""
        return aud if isinstance(aud, str) else ""

    def validate_registration(self) -> HardenedLaunch:
        super().validate_registration()
        assert self.tool_conf.registration is not None
        client_id = self.tool_conf.registration.client_id
        body = self.body()
        aud = body.get("aud")
        audiences = aud if isinstance(aud, list) else [aud]
        if client_id not in audiences:
            raise LtiException("aud does not contain our client id")
        azp = body.get("azp")
        if len(audiences) > 1 and azp is None:
            raise LtiException("aud names several audiences and azp is missing")
        if azp is not None and azp != client_id:
            raise LtiException("azp is not our client id")
        return self

    def fetch_public_key(self, key_set_url: str) -> Any:
        """The platform's key set, cached for an hour, fetched with a timeout."""
        cache_key = "lti-jwks-" + hashlib.sha256(key_set_url.encode()).hexdigest()
        cached = caches[CACHE].get(cache_key)
        if cached:
            return cached
        try:
            response = self._requests_session.get(key_set_url, timeout=HTTP_TIMEOUT)
        except requests.RequestException as exc:
            raise LtiException(f"key set {key_set_url} unreachable: {exc}") from None
        if response.status_code != 200:
            raise LtiException(f"key set {key_set_url} answered {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            raise LtiException(f"key set {key_set_url} is not JSON") from None
        keys = data.get("keys") if isinstance(data, dict) else None
        if not isinstance(keys, list):
            raise LtiException(f"key set {key_set_url} has no list of keys")
        key_set = {"keys": [key for key in keys if isinstance(key, dict)]}
        caches[CACHE].set(cache_key, key_set, JWKS_CACHE_SECONDS)
        return key_set

    def get_public_key(self) -> tuple[str, str]:
        """The key the token names; on a miss, the key set fetched once more
        (the platform may have rotated its keys since we cached them)."""
        try:
            return super().get_public_key()
        except LtiException as exc:
            if self._refetched or "Unable to find public key" not in str(exc):
                raise
        self._refetched = True
        assert self._registration is not None
        url = self._registration.get_key_set_url() or ""
        caches[CACHE].delete("lti-jwks-" + hashlib.sha256(url.encode()).hexdigest())
        self._registration.set_key_set(None)
        return super().get_public_key()

    def validate_jwt_signature(self) -> HardenedLaunch:
        try:
            public_key, _ = self.get_public_key()
        except JWException as exc:  # a key in the platform's set we cannot read
            raise LtiException(f"Can't read the platform's key: {exc}") from None
        try:
            jwt.decode(
                self._get_id_token(),
                public_key,
                algorithms=["RS256"],
                leeway=LEEWAY_SECONDS,
                options={"verify_aud": False, "require": ["exp", "iat"]},
            )
        except jwt.InvalidTokenError as exc:
            raise LtiException(f"Can't decode id_token: {exc}") from None
        except (ValueError, TypeError) as exc:  # a key the library cannot use
            raise LtiException(f"Can't verify id_token: {exc}") from None
        return self

    def consume_nonce(self) -> None:
        """Delete the nonce stored at login: only the first delete succeeds,
        so a replayed id_token (same browser or not) is refused."""
        nonce = self.body().get("nonce")
        session = self._session_service
        storage: Any = session.data_storage
        key = storage._prepare_key(session._get_key("nonce", str(nonce)))
        if not caches[CACHE].delete(key):
            raise LtiException("nonce already used: a replayed launch")

    def validate_deployment(self) -> HardenedLaunch:
        registration = self.tool_conf.registration
        deployment_id = usable_id(self.body().get(_claim("deployment_id")))
        if registration is None or deployment_id is None:
            raise LtiException("deployment_id is missing or unusable")
        self.deployment = deployment_seen(registration, deployment_id)
        if not self.deployment.is_active:
            raise LaunchRefused(
                f"deployment {deployment_id!r} of {registration} is not active",
                "This installation of the tool in your learning platform is "
                "waiting for approval by this site's administrator. Try again once "
                "they have approved it.",
                status=403,
            )
        return self

    def validate_message(self) -> HardenedLaunch:
        super().validate_message()
        kind = self.body().get(_claim("message_type"))
        if kind not in (RESOURCE_LINK, DEEP_LINKING):
            raise LaunchRefused(
                f"message type {kind!r} is not supported",
                "This kind of launch is not supported by this tool.",
            )
        return self

    def validate_claims(self) -> None:
        claims = Claims(self.body())
        if not isinstance(self.body().get(_claim("roles")), list):
            raise LtiException("the roles claim is not a list")
        if not usable_id(self.body().get("sub")):
            raise LtiException("sub is missing or unusable")
        if not is_our_launch_url(claims.target_link_uri, self.http_request):
            raise LtiException(
                f"target_link_uri {claims.target_link_uri[:200]!r} is not our launch URL"
            )
        if not usable_id(claims.context.get("id")):
            raise LaunchRefused(
                "the launch has no course (context)",
                "Open this tool from inside a course of your learning platform.",
            )


def _claim(name: str) -> str:
    return "https://purl.imsglobal.org/spec/lti/claim/" + name


def deployment_seen(registration: Registration, deployment_id: str) -> Deployment:
    """The deployment, recorded (inactive, for approval) the first time it is seen."""
    try:
        with transaction.atomic():
            deployment, created = Deployment.objects.get_or_create(
                registration=registration, deployment_id=deployment_id
            )
    except IntegrityError:  # two first launches at once
        return Deployment.objects.get(
            registration=registration, deployment_id=deployment_id
        )
    if created:
        log.warning(
            "LTI: new deployment %r of %s recorded, waiting for approval in the admin",
            deployment_id,
            registration,
        )
    return deployment
