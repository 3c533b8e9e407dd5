"""The claims of a validated launch, read defensively (a platform may send
any JSON shape), and the course role its roles map to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutor.courses.models import Membership

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
LIS = "http://purl.imsglobal.org/vocab/lis/v2/"
RESOURCE_LINK = "LtiResourceLinkRequest"
DEEP_LINKING = "LtiDeepLinkingRequest"
STAFF_ROLES = {"instructor", "administrator", "contentdeveloper"}


def _text(value: object, limit: int = 255) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _context_role_names(roles: list[str]) -> list[str]:
    """The role names of the context (membership) roles, lower-cased: the
    short forms ("Instructor") and the full URIs, sub-roles included
    (…/membership/Instructor#TeachingAssistant → "teachingassistant").
    Institution and system roles say what a person is at the institution,
    not in this course: they are left out."""
    names = []
    for role in roles:
        lowered = role.strip().lower()
        if lowered.startswith(LIS + "membership"):
            names.append(lowered.rsplit("#", 1)[-1])
        elif "/" not in lowered and ":" not in lowered and "#" not in lowered:
            names.append(lowered)
    return names


def course_role(roles: list[str]) -> str:
    """Our course role for the launch's roles: teaching assistant first (a TA
    may also be sent as Instructor), then instructor (Instructor,
    Administrator or ContentDeveloper of the course), else student: the least
    privilege, whatever the institution or system roles say. A launch never
    makes anyone site staff."""
    names = _context_role_names(roles)
    if "teachingassistant" in names:
        return Membership.Role.TA
    if STAFF_ROLES & set(names):
        return Membership.Role.INSTRUCTOR
    return Membership.Role.STUDENT


@dataclass(frozen=True)
class Claims:
    """A validated launch's body."""

    body: dict[str, Any]

    def claim(self, name: str) -> object:
        return self.body.get(LTI + name)

    @property
    def issuer(self) -> str:
        return _text(self.body.get("iss"))

    @property
    def sub(self) -> str:
        return _text(self.body.get("sub"))

    @property
    def message_type(self) -> str:
        return _text(self.claim("message_type"))

    @property
    def deployment_id(self) -> str:
        return _text(self.claim("deployment_id"))

    @property
    def target_link_uri(self) -> str:
        return _text(self.claim("target_link_uri"), 2000)

    @property
    def roles(self) -> list[str]:
        roles = self.claim("roles")
        if not isinstance(roles, list):
            return []
        return [role for role in roles if isinstance(role, str)]

    @property
    def role(self) -> str:
        return course_role(self.roles)

    @property
    def context(self) -> dict[str, Any]:
        return _dict(self.claim("context"))

    @property
    def context_id(self) -> str:
        return _text(self.context.get("id"))

    @property
    def context_title(self) -> str:
        return _text(self.context.get("title")) or _text(self.context.get("label"))

    @property
    def resource_link(self) -> dict[str, Any]:
        return _dict(self.claim("resource_link"))

    @property
    def custom(self) -> dict[str, str]:
        """Custom parameters: strings only (a platform substitutes variables
        into them, and they always arrive as strings)."""
        return {
            key: value
            for key, value in _dict(self.claim("custom")).items()
            if isinstance(key, str) and isinstance(value, str)
        }

    @property
    def presentation(self) -> dict[str, Any]:
        return _dict(self.claim("launch_presentation"))

    @property
    def in_frame(self) -> bool:
        """The platform shows the launch in a frame (its default), not a window."""
        return self.presentation.get("document_target") not in ("window", "popup")

    @property
    def return_url(self) -> str:
        return _text(self.presentation.get("return_url"), 2000)

    @property
    def ags(self) -> dict[str, Any]:
        return _dict(self.body.get(AGS))

    @property
    def ags_scopes(self) -> list[str]:
        scopes = self.ags.get("scope")
        if not isinstance(scopes, list):
            return []
        return [scope for scope in scopes if isinstance(scope, str)]

    @property
    def lineitems_url(self) -> str:
        return _text(self.ags.get("lineitems"), 500)

    @property
    def lineitem_url(self) -> str:
        return _text(self.ags.get("lineitem"), 500)

    @property
    def memberships_url(self) -> str:
        return _text(_dict(self.body.get(NRPS)).get("context_memberships_url"), 500)

    @property
    def deep_linking(self) -> dict[str, Any]:
        return _dict(self.body.get(DL_SETTINGS))

    @property
    def name(self) -> str:
        given, family = (
            _text(self.body.get("given_name")),
            _text(self.body.get("family_name")),
        )
        return _text(self.body.get("name")) or f"{given} {family}".strip()

    @property
    def given_name(self) -> str:
        return _text(self.body.get("given_name"), 150)

    @property
    def family_name(self) -> str:
        return _text(self.body.get("family_name"), 150)

    @property
    def email(self) -> str:
        """For display only: accounts are never matched by e-mail."""
        return _text(self.body.get("email"), 254)
