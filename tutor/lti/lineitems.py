"""The gradebook column a link's scores go to, found or made once.

Cheapest first: the column the launch named (deep linking asked the platform
to make one, or the link is a platform assignment), the one stored for the
link, one the platform lists for the link (`resource_link_id` and our tag),
and last a new one. The link's row is locked while a column is made, so two
students finishing at the same moment make one column, not two."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException

from tutor.lti.connector import CachedConnector, PlatformError
from tutor.lti.models import LineItem, LtiResourceLink

TAG = "score"
LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
CONTAINER_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
MAX_PAGES = 50


def ags_service(
    link: LtiResourceLink, connector: CachedConnector
) -> AssignmentsGradesService:
    context = link.context
    data: Any = {"scope": list(context.ags_scopes), "lineitems": context.lineitems_url}
    if link.lineitem_id is not None:
        data["lineitem"] = link.lineitem.url  # type: ignore[union-attr]
    return AssignmentsGradesService(connector, data)


def resource_id(link: LtiResourceLink) -> str:
    if link.assignment_id is not None:
        return f"assignment:{link.assignment.slug}"  # type: ignore[union-attr]
    if link.exercise_id is not None:
        return f"exercise:{link.exercise.slug}"  # type: ignore[union-attr]
    return f"link:{link.resource_link_id}"


def lineitem_for(
    *, link: LtiResourceLink, connector: CachedConnector, label: str, maximum: float
) -> LineItem:
    if link.lineitem_id is not None:
        return link.lineitem  # type: ignore[return-value]
    with transaction.atomic():
        locked = (
            LtiResourceLink.objects.select_for_update()
            .select_related("context", "lineitem")
            .get(pk=link.pk)
        )
        if locked.lineitem is None:
            locked.lineitem = _find_or_make(locked, connector, label, maximum)
            locked.save(update_fields=["lineitem"])
    link.lineitem = locked.lineitem
    return locked.lineitem


def _find_or_make(
    link: LtiResourceLink, connector: CachedConnector, label: str, maximum: float
) -> LineItem:
    context = link.context
    if not context.lineitems_url:
        raise PlatformError(
            "the platform gave no gradebook service for this course (turn on "
            "Assignment and Grade Services for the tool)",
            status=400,
        )
    found = _listed(link, connector)
    if found is None:
        if LINEITEM not in context.ags_scopes:
            raise PlatformError(
                "no gradebook column for this link, and the tool may not make one "
                "(the lineitem scope is not granted)",
                status=403,
            )
        body = {
            "scoreMaximum": maximum,
            "label": label[:255] or "Score",
            "resourceLinkId": link.resource_link_id,
            "resourceId": resource_id(link),
            "tag": TAG,
        }
        made = connector.make_service_request(
            context.ags_scopes,
            context.lineitems_url,
            is_post=True,
            data=json.dumps(body),
            content_type=LINEITEM_TYPE,
            accept=LINEITEM_TYPE,
        )["body"]
        if not isinstance(made, dict) or not isinstance(made.get("id"), str):
            raise PlatformError("the new gradebook column has no id", status=502)
        found = made
    url = str(found["id"])
    item, _ = LineItem.objects.get_or_create(
        context=context,
        url=url[:500],
        defaults={
            "label": str(found.get("label") or "")[:255],
            "score_maximum": _number(found.get("scoreMaximum")),
            "resource_id": str(found.get("resourceId") or "")[:255],
            "tag": str(found.get("tag") or "")[:255],
        },
    )
    return item


def _listed(link: LtiResourceLink, connector: CachedConnector) -> dict[str, Any] | None:
    """The platform's column for this link, asked with the spec's filters
    (and checked here: a platform may ignore them), following the pages."""
    service = ags_service(link, connector)
    if not service.can_read_lineitem():
        return None
    url = _with_query(
        link.context.lineitems_url,
        {"resource_link_id": link.resource_link_id, "tag": TAG},
    )
    for _ in range(MAX_PAGES):
        try:
            items, next_url = service.get_lineitems_page(url)
        except LtiException as exc:  # not a list of columns
            raise PlatformError(f"the gradebook columns: {exc}", status=502) from None
        for item in items:
            if (
                isinstance(item, dict)
                and isinstance(item.get("id"), str)
                and item.get("resourceLinkId") == link.resource_link_id
            ):
                return item
        if not next_url:
            return None
        url = next_url
    return None


def _with_query(url: str, params: dict[str, str]) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(params)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None
