"""Writes to the course's content that instructors make outside a form."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from exercises import audit


@transaction.atomic
def content_publish(*, actor: Any, objects: QuerySet[Any], published: bool) -> int:
    """Publish (or unpublish) every object of `objects` not already so, each
    with an audit entry; return how many changed."""
    changing = list(objects.exclude(is_published=published))
    action = "publish" if published else "unpublish"
    for obj in changing:
        obj.is_published = published
        obj.save()
        audit.record(actor, action, obj, summary=f"{action.capitalize()}ed", bulk=True)
    return len(changing)
