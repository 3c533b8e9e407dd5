"""The audit log: every instructor action that changes content or scores."""

from __future__ import annotations

from typing import Any

from django.db import models

from exercises.models import AuditEntry


def record(
    actor: Any,
    action: str,
    target: models.Model | None = None,
    summary: str = "",
    **details: Any,
) -> AuditEntry:
    """Write one entry. `actor` is the user who acted (None for the system);
    `details` must be JSON-serialisable (old and new values, counts, ids)."""
    name = getattr(actor, "get_username", lambda: "")() if actor is not None else ""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=name or "system",
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        summary=summary,
        details=details,
    )
