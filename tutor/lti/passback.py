"""Scores passed back to the platforms (Assignment and Grade Services).

A platform keeps the *latest* score it is sent, so the score is computed
here, by the assignment's rule (best attempt by default, late penalty
included: tutor.courses.scoring), and sent only when it differs from what
the platform last accepted. Each (link, student) has a GradePassback row;
the row is the truth and a Celery task only a nudge:

- refresh: after a grading, the row's score is recomputed; a change makes it
  pending with a new timestamp, and its id is returned to be sent on commit;
- send: a worker claims the row (a conditional UPDATE with a lease), posts
  the score with the row's timestamp (a retry sends the same one) and
  records the answer: 2xx sent; 429, 5xx or no answer retried with
  exponential back-off (Retry-After honoured) until LTI_PASSBACK_MAX_TRIES;
  401 retried once with a new token (connector.py); a 400 about the
  timestamp superseded (the platform holds a newer score); other 4xx
  (422: not a student there) stored as failed, for the grade sync page;
- sweep: a periodic task sends again the pending rows whose time has come.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem as LibLineItem

from exercises.models import Submission
from tutor.courses.models import Course, Membership
from tutor.courses.scoring import score_for
from tutor.lti.connector import CachedConnector, PlatformError
from tutor.lti.keys import KeyUnavailable
from tutor.lti.lineitems import ags_service, lineitem_for
from tutor.lti.models import (
    GradePassback,
    LineItem,
    LtiResourceLink,
    LtiUser,
    Registration,
)

log = logging.getLogger(__name__)
Status = GradePassback.Status
LEASE = timedelta(seconds=120)
FIRST_DELAY_SECONDS = 60
MAX_DELAY_SECONDS = 3600
MAX_RETRY_AFTER_SECONDS = 6 * 3600
CANVAS_SUBMISSION = "https://canvas.instructure.com/lti/submission"


@dataclass(frozen=True)
class Score:
    given: float
    maximum: float


def score_of(link: LtiResourceLink, user: User) -> Score | None:
    """The student's score on what the link opens, None before any graded attempt."""
    if link.assignment is not None:
        result = score_for(link.assignment, user)
        if result.points <= 0 or not any(item.graded for item in result.items):
            return None
        return Score(round(result.score, 6), round(result.points, 6))
    if link.exercise_id is not None:
        best = Submission.objects.filter(
            user=user, exercise_id=link.exercise_id, status=Submission.Status.DONE
        ).aggregate(best=Max("score"))["best"]
        return None if best is None else Score(round(best, 6), 1.0)
    return None


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) < 1e-6


def _next_timestamp(row: GradePassback) -> datetime:
    """Now, but always after the row's earlier timestamps (a platform refuses
    a score older than the one it holds)."""
    earlier = [t for t in (row.timestamp, row.last_posted_at) if t is not None]
    floor = max(earlier) + timedelta(milliseconds=1) if earlier else None
    now = timezone.now()
    return max(now, floor) if floor else now


def passback_refresh(
    *, link: LtiResourceLink, lti_user: LtiUser, force: bool = False
) -> int | None:
    """Recompute the row's score; its id when it is to be sent now. `force`
    sends it again even if the platform has it (the sync page's resend)."""
    score = score_of(link, lti_user.user)
    if score is None:
        return None
    with transaction.atomic():
        row, _ = GradePassback.objects.select_for_update().get_or_create(
            link=link, lti_user=lti_user
        )
        if not force:
            if row.status == Status.PENDING and _same(score.given, row.score):
                return None  # already on its way
            if row.status == Status.FAILED and _same(score.given, row.score):
                return None  # the platform refused this very score
            if _same(score.given, row.last_posted_score):
                if row.status == Status.PENDING:  # back to what the platform has
                    row.score, row.status, row.attempts = score.given, Status.SENT, 0
                    row.save()
                return None
        row.score, row.score_maximum = score.given, score.maximum
        row.timestamp = _next_timestamp(row)
        row.status, row.attempts, row.last_error = Status.PENDING, 0, ""
        row.next_try_at = timezone.now()
        row.save()
    return row.pk


def _pairs(
    links: list[LtiResourceLink], user_id: int
) -> list[tuple[LtiResourceLink, LtiUser]]:
    if not links:  # nothing to pair: no query
        return []
    accounts = list(LtiUser.objects.filter(user_id=user_id).select_related("user"))
    return [
        (link, account)
        for link in links
        for account in accounts
        if account.registration_id == link.context.registration_id
    ]


def passback_for_work(*, assignment_id: int, user_id: int) -> list[int]:
    """After a grading of assignment work: the rows to send."""
    links = list(
        LtiResourceLink.objects.filter(assignment_id=assignment_id)
        .filter(context__course_id=F("assignment__course_id"))
        .select_related("context", "assignment")
    )
    found = [
        passback_refresh(link=link, lti_user=u) for link, u in _pairs(links, user_id)
    ]
    return [pk for pk in found if pk is not None]


def passback_for_submission(*, submission_id: int) -> list[int]:
    """After a grading of a submission, for links that open its exercise."""
    row = (
        Submission.objects.filter(pk=submission_id)
        .values_list("exercise_id", "user_id")
        .first()
    )  # not its code and report: most exercises have no link
    if row is None:
        return []
    exercise_id, user_id = row
    links = list(
        LtiResourceLink.objects.filter(exercise_id=exercise_id).select_related(
            "context", "exercise"
        )
    )
    pairs = _pairs(links, user_id)
    found = [passback_refresh(link=link, lti_user=u) for link, u in pairs]
    return [pk for pk in found if pk is not None]


def passback_resend_course(*, course: Course) -> list[int]:
    """Every student's score on every link of the course, sent again with a
    fresh timestamp (whatever the platform holds)."""
    links = list(
        LtiResourceLink.objects.filter(context__course=course)
        .filter(Q(assignment__isnull=False) | Q(exercise__isnull=False))
        .select_related("context", "assignment", "exercise")
    )
    students = Membership.objects.filter(
        course=course, role=Membership.Role.STUDENT
    ).values_list("user_id", flat=True)
    accounts = list(LtiUser.objects.filter(user_id__in=students).select_related("user"))
    found = [
        passback_refresh(link=link, lti_user=account, force=True)
        for link in links
        for account in accounts
        if account.registration_id == link.context.registration_id
    ]
    return [pk for pk in found if pk is not None]


def due_ids(limit: int = 500) -> list[int]:
    """Pending rows whose next try has come and that no worker holds."""
    now = timezone.now()
    return list(
        GradePassback.objects.filter(status=Status.PENDING)
        .filter(Q(next_try_at__isnull=True) | Q(next_try_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_try_at")
        .values_list("pk", flat=True)[:limit]
    )


def passback_send(*, passback_id: int) -> str:
    """Post the row's score: "sent", "retry", "failed", "superseded",
    "skipped" (not pending, or another worker holds it) or "again" (a newer
    score arrived meanwhile: send once more)."""
    now = timezone.now()
    claimed = (
        GradePassback.objects.filter(pk=passback_id, status=Status.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + LEASE)
    )
    if not claimed:
        return "skipped"
    row = GradePassback.objects.select_related(
        "link__context__registration",
        "link__assignment",
        "link__exercise",
        "link__lineitem",
        "lti_user",
    ).get(pk=passback_id)
    registration = row.link.context.registration
    try:
        if not registration.is_active:
            raise PlatformError(
                f"the registration {registration} is not active", status=403
            )
        connector = CachedConnector(registration)
        item = lineitem_for(
            link=row.link,
            connector=connector,
            label=_label(row.link),
            maximum=row.score_maximum,
        )
        _post(row, item, connector, registration)
    except PlatformError as exc:
        return _after_error(row, exc)
    except KeyUnavailable as exc:
        return _after_error(row, PlatformError(str(exc)))
    return _after_success(row)


def _label(link: LtiResourceLink) -> str:
    target = link.assignment or link.exercise
    return link.title or (getattr(target, "title", "") if target else "") or "Score"


def _post(
    row: GradePassback,
    item: LineItem,
    connector: CachedConnector,
    registration: Registration,
) -> None:
    assert row.score is not None and row.timestamp is not None
    grade = (
        Grade()
        .set_score_given(row.score)
        .set_score_maximum(row.score_maximum)
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_timestamp(row.timestamp.isoformat(timespec="milliseconds"))
        .set_user_id(row.lti_user.sub)
    )
    if registration.platform == Registration.Platform.CANVAS and row.last_posted_at:
        # A re-post is not a new attempt (Canvas would count it against the
        # assignment's attempt limit).
        grade.set_extra_claims({CANVAS_SUBMISSION: {"new_submission": False}})
    service = ags_service(row.link, connector)
    if not service.can_put_grade():
        raise PlatformError("the platform did not grant the score scope", status=403)
    service.put_grade(grade, LibLineItem({"id": item.url}))


def _after_success(row: GradePassback) -> str:
    GradePassback.objects.filter(pk=row.pk).update(
        last_posted_score=row.score, last_posted_at=row.timestamp, claimed_until=None
    )
    done = GradePassback.objects.filter(pk=row.pk, timestamp=row.timestamp).update(
        status=Status.SENT, attempts=F("attempts") + 1, last_error="", next_try_at=None
    )
    log.info("LTI passback %s: sent %s/%s", row.pk, row.score, row.score_maximum)
    return "sent" if done else "again"


def _after_error(row: GradePassback, exc: PlatformError) -> str:
    attempts = row.attempts + 1
    now = timezone.now()
    update: dict[str, object] = {
        "attempts": attempts,
        "last_error": exc.message[:1000],
        "claimed_until": None,
        "next_try_at": None,
    }
    if exc.status == 400 and "timestamp" in exc.body.lower():
        outcome, update["status"] = "superseded", Status.SUPERSEDED
    elif exc.retryable and attempts < settings.LTI_PASSBACK_MAX_TRIES:
        delay = min(FIRST_DELAY_SECONDS * 2 ** (attempts - 1), MAX_DELAY_SECONDS)
        if exc.retry_after is not None:
            delay = max(delay, min(exc.retry_after, MAX_RETRY_AFTER_SECONDS))
        outcome, update["next_try_at"] = "retry", now + timedelta(seconds=delay)
    else:
        outcome, update["status"] = "failed", Status.FAILED
        if exc.retryable:
            update["last_error"] = f"gave up after {attempts} tries: {exc.message}"[
                :1000
            ]
    changed = GradePassback.objects.filter(pk=row.pk, timestamp=row.timestamp).update(
        **update
    )
    if not changed:  # a newer score replaced this one meanwhile
        GradePassback.objects.filter(pk=row.pk).update(claimed_until=None)
        return "again"
    log.warning("LTI passback %s: %s (%s)", row.pk, outcome, exc.message[:300])
    return outcome
