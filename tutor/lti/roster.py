"""The platform course's roster (Names and Role Provisioning Services): who
is in it, and whether they have launched the tool yet."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from pylti1p3.names_roles import NamesRolesProvisioningService

from tutor.courses.models import Course
from tutor.lti.claims import course_role
from tutor.lti.connector import CachedConnector, PlatformError
from tutor.lti.keys import KeyUnavailable
from tutor.lti.models import LtiContext, LtiUser, RosterMember

log = logging.getLogger(__name__)
MAX_PAGES = 200
# A sync asked for sooner than this after the last one is not started.
MIN_INTERVAL = timedelta(seconds=60)


class RosterUnavailable(Exception):
    pass


def roster_sync(*, context_id: int) -> int | None:
    """Fetch every page of the roster and store it; how many members (None,
    with the error stored on the context, when the platform did not give it).
    The members the platform no longer lists are kept, marked not listed."""
    context = LtiContext.objects.select_related("registration").get(pk=context_id)
    try:
        members = _fetch(context)
    except (PlatformError, KeyUnavailable, RosterUnavailable) as exc:
        LtiContext.objects.filter(pk=context.pk).update(roster_error=str(exc)[:1000])
        log.warning("LTI roster of %s: %s", context, exc)
        return None
    now = timezone.now()
    with transaction.atomic():
        for member in members:
            RosterMember.objects.update_or_create(
                context=context,
                user_id=member["user_id"],
                defaults={
                    "name": _text(member.get("name"))
                    or f"{_text(member.get('given_name'))} {_text(member.get('family_name'))}".strip(),
                    "email": _text(member.get("email")),
                    "roles": [
                        r for r in member.get("roles") or [] if isinstance(r, str)
                    ],
                    "status": _text(member.get("status")) or "Active",
                    "listed": True,
                    "synced_at": now,
                },
            )
        context.roster.exclude(synced_at=now).update(listed=False)
        LtiContext.objects.filter(pk=context.pk).update(
            roster_synced_at=now, roster_error=""
        )
    return len(members)


def _text(value: object) -> str:
    return value[:255] if isinstance(value, str) else ""


def _fetch(context: LtiContext) -> list[dict[str, Any]]:
    if not context.memberships_url:
        raise RosterUnavailable(
            "The platform gave no roster service for this course (turn on Names "
            "and Role Provisioning for the tool, then launch it again)."
        )
    service = NamesRolesProvisioningService(
        CachedConnector(context.registration),
        {"context_memberships_url": context.memberships_url},
    )
    found: list[dict[str, Any]] = []
    url: str | None = context.memberships_url
    for _ in range(MAX_PAGES):
        if not url:
            break
        page, url = service.get_members_page(url)
        if not isinstance(page, list):
            raise RosterUnavailable("the roster's members are not a list")
        found += [
            dict(m) for m in page if isinstance(m, dict) and _text(m.get("user_id"))
        ]
    return found


def roster_sync_allowed(context: LtiContext) -> bool:
    synced = context.roster_synced_at
    return synced is None or timezone.now() - synced >= MIN_INTERVAL


@dataclass(frozen=True)
class RosterRow:
    name: str
    email: str
    role: str
    status: str
    listed: bool
    launched: LtiUser | None


@dataclass(frozen=True)
class Roster:
    context: LtiContext
    rows: list[RosterRow]

    @property
    def never_launched(self) -> int:
        return sum(1 for row in self.rows if row.launched is None and row.listed)


def rosters_of(course: Course) -> list[Roster]:
    """Per platform course linked to ours: its members, launched or not."""
    rosters = []
    for context in LtiContext.objects.filter(course=course).select_related(
        "registration"
    ):
        accounts = {
            account.sub: account
            for account in LtiUser.objects.filter(
                registration=context.registration
            ).select_related("user")
        }
        rows = [
            RosterRow(
                name=member.name or member.user_id,
                email=member.email,
                role=course_role(member.roles),
                status=member.status,
                listed=member.listed,
                launched=accounts.get(member.user_id),
            )
            for member in context.roster.all()
        ]
        rosters.append(Roster(context, rows))
    return rosters
