"""The LTI app's models: the platforms and what their launches told us
(platform.py), and what we owe them: scores and rosters (grades.py)."""

from tutor.lti.models.grades import GradePassback, RosterMember
from tutor.lti.models.platform import (
    Deployment,
    LineItem,
    LtiContext,
    LtiResourceLink,
    LtiUser,
    Registration,
    ToolKey,
    origin_of,
)

__all__ = [
    "Deployment",
    "GradePassback",
    "LineItem",
    "LtiContext",
    "LtiResourceLink",
    "LtiUser",
    "Registration",
    "RosterMember",
    "ToolKey",
    "origin_of",
]
