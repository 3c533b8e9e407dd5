"""Deep Linking 2.0: an instructor, inside the platform, picks an assignment
of the linked course or a coding exercise; we answer with a signed
LtiDeepLinkingResponse carrying one `ltiResourceLink` whose custom parameter
names the choice (the link's id changes when a course is copied, the custom
parameter travels with it) and a `lineItem`, so that the platform makes the
gradebook column itself.

Between the picker page and its answer, the launch waits in the cache under
a random single-use token: the form needs no CSRF cookie (which a browser
may not send inside the platform's frame), and a token cannot be guessed."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db.models import Q
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource

from exercises.models import CodingExercise
from tutor.courses.models import Assignment, Course
from tutor.courses.scoring import assignment_score
from tutor.lti.models import Registration
from tutor.lti.toolconf import lib_registration

CACHE = "lti"
TOKEN = re.compile(r"[-\w]{20,100}", re.ASCII)
TOKEN_SECONDS = 3600
DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data"
LINEITEM_TAG = "score"


@dataclass(frozen=True)
class Pending:
    """A deep-linking launch waiting for the instructor's choice."""

    registration_id: int
    course_id: int
    deployment_id: str
    settings: dict[str, Any]
    launch_url: str

    @property
    def return_url(self) -> str:
        return str(self.settings.get("deep_link_return_url") or "")

    @property
    def accepts_lineitem(self) -> bool:
        return self.settings.get("accept_lineitem") not in (False, "false")


def pending_save(pending: Pending) -> str:
    token = secrets.token_urlsafe(32)
    caches[CACHE].set(f"lti-dl-{token}", pending.__dict__, TOKEN_SECONDS)
    return token


def pending_get(token: str) -> Pending | None:
    if not TOKEN.fullmatch(token):
        return None
    data = caches[CACHE].get(f"lti-dl-{token}")
    return Pending(**data) if isinstance(data, dict) else None


def pending_use(token: str) -> bool:
    """Spend the token: only the first answer counts."""
    return bool(caches[CACHE].delete(f"lti-dl-{token}"))


@dataclass(frozen=True)
class Choice:
    key: str  # "assignment:<pk>" or "exercise:<pk>"
    title: str
    detail: str


def assignment_points(assignment: Assignment) -> float:
    return assignment_score(assignment, []).points


def choices(course: Course) -> tuple[list[Choice], list[Choice]]:
    """The course's assignments (with items) and the coding exercises of its
    topics (all published ones when it lists no topics)."""
    assignments = [
        Choice(
            f"assignment:{a.pk}",
            a.title,
            f"{points:g} points · due {a.due_at:%d %b %Y}"
            + ("" if a.is_published else " · not published yet"),
        )
        for a in course.assignments.all()
        if (points := assignment_points(a)) > 0
    ]
    exercises = CodingExercise.objects.filter(is_published=True)
    topics = list(course.topics.all())
    if topics:
        exercises = exercises.filter(Q(topic__in=topics))
    return assignments, [
        Choice(f"exercise:{e.pk}", e.title, f"coding exercise · {e.topic.title}")
        for e in exercises.select_related("topic").order_by("topic__code", "title")
    ]


class Resource(DeepLinkResource):
    """pylti1p3's resource with the fields it leaves out (text, the window,
    availability dates) and without an empty `custom`."""

    def __init__(self, item: dict[str, Any]) -> None:
        self.item = item

    def to_dict(self) -> dict[str, object]:
        return self.item


class Response(DeepLink):
    def get_message_jwt(self, resources: Any) -> dict[str, object]:
        message = super().get_message_jwt(resources)
        if message.get(DATA) is None:  # echo `data` only when it was sent
            message.pop(DATA, None)
        return message


def content_item(pending: Pending, key: str, course: Course) -> dict[str, Any] | None:
    """The content item for a choice, None when the choice is not one."""
    kind, _, pk = key.partition(":")
    if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
        return None
    item: dict[str, Any] = {"type": "ltiResourceLink", "url": pending.launch_url}
    if kind == "assignment":
        assignment = course.assignments.filter(pk=int(pk)).first()
        points = assignment_points(assignment) if assignment else 0
        if assignment is None or points <= 0:
            return None
        item.update(
            title=assignment.title,
            custom={"assignment": assignment.slug},
            available={"startDateTime": assignment.opens_at.isoformat()},
            # The platform's due date (Canvas sets its assignment's from it).
            submission={"endDateTime": assignment.due_at.isoformat()},
        )
        resource = (f"assignment:{assignment.slug}", points, assignment.title)
    elif kind == "exercise":
        exercise = CodingExercise.objects.filter(pk=int(pk), is_published=True).first()
        if exercise is None:
            return None
        item.update(title=exercise.title, custom={"exercise": exercise.slug})
        resource = (f"exercise:{exercise.slug}", 1.0, exercise.title)
    else:
        return None
    if pending.accepts_lineitem:
        resource_id, points, label = resource
        item["lineItem"] = {
            "scoreMaximum": points,
            "label": label[:255],
            "resourceId": resource_id,
            "tag": LINEITEM_TAG,
        }
    return item


def response_jwt(pending: Pending, items: list[dict[str, Any]]) -> str:
    """The signed LtiDeepLinkingResponse (an empty list cancels)."""
    registration = Registration.objects.get(pk=pending.registration_id)
    link = Response(
        lib_registration(registration),
        pending.deployment_id,
        pending.settings,  # type: ignore[arg-type]
    )
    return link.get_response_jwt([Resource(item) for item in items])
