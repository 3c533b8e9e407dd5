"""Extensions: a later due date (and late window) for one student on one
assignment, granted, changed or taken back by the course staff, each an
audit entry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from exercises import audit
from tutor.courses.models import Assignment, Extension


class ExtensionRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def extension_grant(
    *,
    actor: Any,
    assignment: Assignment,
    student: Any,
    due_at: datetime,
    late_until: datetime | None,
    reason: str,
) -> Extension:
    """Grant an extension, or change the student's one."""
    if due_at <= assignment.opens_at:
        raise ExtensionRefused("The new due date must come after the assignment opens.")
    if late_until is not None and late_until < due_at:
        raise ExtensionRefused("The late window cannot end before the new due date.")
    with transaction.atomic():
        old = (
            Extension.objects.select_for_update()
            .filter(assignment=assignment, user=student)
            .first()
        )
        previous = (
            {"due_at": _when(old.due_at), "late_until": _when(old.late_until)}
            if old
            else None
        )
        extension, _ = Extension.objects.update_or_create(
            assignment=assignment,
            user=student,
            defaults={
                "due_at": due_at,
                "late_until": late_until,
                "reason": reason[:200],
                "granted_by": actor,
            },
        )
    audit.record(
        actor,
        "extension.change" if previous else "extension.grant",
        extension,
        f"{student.get_username()}: due {due_at:%Y-%m-%d %H:%M}",
        old=previous,
        new={"due_at": _when(due_at), "late_until": _when(late_until)},
        reason=reason[:200],
    )
    return extension


def extension_remove(*, actor: Any, extension: Extension) -> None:
    """Take an extension back: the assignment's own dates apply again."""
    label = str(extension)
    details = {
        "due_at": _when(extension.due_at),
        "late_until": _when(extension.late_until),
    }
    assignment = extension.assignment
    extension.delete()
    audit.record(actor, "extension.remove", assignment, f"removed {label}", old=details)
