"""The hint ladder of a failed submission: which levels the student has
opened, which they may open now, and opening one.

The texts come from the engine (`engine.hints`); the pace is kept here, on
the server (TUTORING.md 3.2 and 3.3):

- level 1 (point) is shown at once: the first time the student sees the
  report of a diagnosed failure, it is recorded as revealed;
- level 2 (teach) opens on request after one more graded submission on the
  exercise, or 30 s after level 1 was revealed;
- level 3 (bottom-out) opens on request after level 2, once the student
  confirms that their next submission then counts as helped (for mastery;
  the grade is untouched).

Each level is recorded once per student, exercise and mistake (HintReveal),
with `hint_revealed` sent when it is. Time comes in as `now`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from engine.hints import LEVEL_NAMES, HintLadder, ladder_for
from engine.report import Report
from exercises.coding.grader import NotGradable, spec_for
from exercises.coding.signals import hint_revealed
from exercises.models import CodingExercise, HintReveal, Submission

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from django.contrib.auth.models import User

UNLOCK_AFTER = timedelta(seconds=30)
CLICK_THROUGH = timedelta(seconds=10)
# Failed submissions with one named mistake after which the ladder's lower
# rungs are offered.
RUNG_OFFER_AFTER = 2
RUNGS = (("parsons", "the Parsons problem"), ("faded", "the faded example"))


class HintRefused(Exception):
    """A level that cannot be opened now, with the HTTP status to answer."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message, self.status = message, status


@dataclass(frozen=True)
class Level:
    """One level as a viewer sees it. `text` is empty until it is revealed
    (staff see every text); `waiting` says in words why it is not open yet."""

    number: int
    name: str
    text: str
    revealed_at: datetime | None
    is_next: bool
    waiting: str
    confirm: bool
    seconds_after_previous: float | None = None


@dataclass(frozen=True)
class Rung:
    label: str
    url: str


@dataclass(frozen=True)
class LadderView:
    """The ladder shown under a report. `staff`: seen by course staff, not
    by the student who submitted: every text, which levels were opened and
    when, and whether they were clicked through; no control to open one."""

    submission_id: int
    mistake_id: str
    title: str
    named: bool
    levels: tuple[Level, ...]
    staff: bool
    click_through: bool
    rungs: tuple[Rung, ...]


def submission_ladder(
    submission: Submission, *, open_cases: Collection[str]
) -> HintLadder | None:
    """The engine's ladder for a graded submission; None when it passed, was
    not graded, or its exercise or report can no longer be read."""
    if submission.status != Submission.Status.DONE or not submission.report:
        return None
    try:
        spec = spec_for(submission.exercise)
        report = Report.from_dict(dict(submission.report))
    except (NotGradable, TypeError, ValueError, KeyError, AttributeError):
        return None
    return ladder_for(spec, report, seed=submission.pk, open_cases=open_cases)


LADDER_NOTE = (
    "The hints below explain this mistake one step at a time: where to look, "
    "the idea, then the fix."
)


def paced_report(
    view: dict[str, Any] | None, exercise: CodingExercise
) -> dict[str, Any] | None:
    """The student's report with a named mistake's explanation left to its
    ladder (it is level 2 there): the report names the mistake, the ladder
    paces the rest. A mistake the spec no longer names keeps its words."""
    mistake = (view or {}).get("mistake")
    if view is None or not isinstance(mistake, dict):
        return view
    try:
        named = {item.id for item in spec_for(exercise).mistakes}
    except NotGradable:
        return view
    if mistake.get("id") in named:
        view["mistake"] = {**mistake, "explanation": LADDER_NOTE}
    return view


def reveals_of(
    *, user_id: int, submission: Submission, mistake_id: str
) -> dict[int, HintReveal]:
    """The levels `user_id` has opened of this mistake on this exercise."""
    rows = HintReveal.objects.filter(
        user_id=user_id, exercise_id=submission.exercise_id, mistake_id=mistake_id
    )
    return {row.level: row for row in rows}


def ladder_view(
    *,
    submission: Submission,
    user: User,
    open_cases: Collection[str],
    now: datetime | None = None,
) -> LadderView | None:
    """The ladder under this submission's report for `user`: its owner (who
    sees level 1 at once, recorded as revealed) or course staff."""
    owner = submission.user_id == user.pk
    if not owner and not user.is_staff:
        return None
    ladder = submission_ladder(submission, open_cases=open_cases)
    if ladder is None:
        return None
    now = now or timezone.now()
    if owner:
        _record(submission, ladder, level=1, now=now)
    reveals = reveals_of(
        user_id=submission.user_id, submission=submission, mistake_id=ladder.mistake_id
    )
    levels = tuple(
        _level(submission, ladder, number, reveals, now, staff=not owner)
        for number in range(1, len(ladder.hints) + 1)
    )
    return LadderView(
        submission_id=submission.pk,
        mistake_id=ladder.mistake_id,
        title=ladder.title,
        named=ladder.named,
        levels=levels,
        staff=not owner,
        click_through=clicked_through(reveals.values()),
        rungs=_rungs(submission, ladder) if owner else (),
    )


def hint_reveal(
    *,
    submission: Submission,
    user: User,
    level: int,
    open_cases: Collection[str],
    confirmed: bool = False,
    now: datetime | None = None,
) -> HintReveal:
    """Open `level` of the submission's ladder for its owner. Raises
    HintRefused (403, 409, 400) when it may not be opened now; opening a
    level already opened returns the row recorded then."""
    if submission.user_id != user.pk:
        raise HintRefused(
            "Only the student who submitted can open these hints; staff see "
            "which levels the student opened.",
            403,
        )
    ladder = submission_ladder(submission, open_cases=open_cases)
    if ladder is None:
        raise HintRefused(_no_ladder(submission), 409)
    if not 1 <= level <= len(ladder.hints):
        raise HintRefused(
            f"There is no hint {level} for this submission: it has "
            f"{len(ladder.hints)}.",
            400,
        )
    now = now or timezone.now()
    reveals = reveals_of(
        user_id=user.pk, submission=submission, mistake_id=ladder.mistake_id
    )
    if level in reveals:
        return reveals[level]
    waiting = _waiting(submission, level, reveals, now)
    if waiting:
        raise HintRefused(waiting, 409)
    if level == 3 and not confirmed:
        raise HintRefused(
            "Confirm first: after hint 3, your next submission on this exercise "
            "counts as helped (your grade does not change).",
            400,
        )
    return _record(submission, ladder, level=level, now=now)


def _no_ladder(submission: Submission) -> str:
    if submission.is_active:
        return "This submission is still being graded: its hints come with its report."
    return (
        "This submission has no hints: it passed, or it could not be graded "
        "(a syntax error, a forbidden call, a missing function)."
    )


def _record(
    submission: Submission, ladder: HintLadder, *, level: int, now: datetime
) -> HintReveal:
    """Store the reveal once; `hint_revealed` is sent after the commit of the
    row that created it, never for a level opened before."""
    key = {
        "user_id": submission.user_id,
        "exercise_id": submission.exercise_id,
        "mistake_id": ladder.mistake_id,
        "level": level,
    }
    existing = HintReveal.objects.filter(**key).first()
    if existing is not None:
        return existing
    since = seconds_since_last_action(submission, now)
    try:
        with transaction.atomic():
            reveal = HintReveal.objects.create(
                **key, submission=submission, seconds_since_last_action=since
            )
    except IntegrityError:  # a second request recorded it first
        return HintReveal.objects.get(**key)
    transaction.on_commit(
        lambda: hint_revealed.send(sender=HintReveal, reveal_id=reveal.pk)
    )
    return reveal


def seconds_since_last_action(submission: Submission, now: datetime) -> float:
    """Seconds from the student's last action on the exercise (a submission
    or a hint opened) to `now`."""
    submitted = Submission.objects.filter(
        user_id=submission.user_id,
        exercise_id=submission.exercise_id,
        created_at__lte=now,
    ).aggregate(last=Max("created_at"))["last"]
    revealed = HintReveal.objects.filter(
        user_id=submission.user_id,
        exercise_id=submission.exercise_id,
        created_at__lte=now,
    ).aggregate(last=Max("created_at"))["last"]
    moments = [moment for moment in (submitted, revealed) if moment is not None]
    if not moments:
        return 0.0
    return round(max(0.0, (now - max(moments)).total_seconds()), 3)


def _waiting(
    submission: Submission, level: int, reveals: dict[int, HintReveal], now: datetime
) -> str:
    """Why `level` cannot be opened at `now`, in words; "" when it can."""
    previous = reveals.get(level - 1)
    if level > 1 and previous is None:
        return f"Hint {level} opens after hint {level - 1}."
    if level != 2 or previous is None:
        return ""
    if _submitted_since(submission, previous.created_at):
        return ""
    # A reveal stamped a moment after `now` (just recorded) waits the full time.
    left = min(UNLOCK_AFTER, UNLOCK_AFTER - (now - previous.created_at))
    if left <= timedelta(0):
        return ""
    seconds = math.ceil(left.total_seconds())
    return f"Hint 2 opens after your next submission or in {seconds} s."


def _submitted_since(submission: Submission, moment: datetime) -> bool:
    """Whether the student has had another submission graded since `moment`."""
    return Submission.objects.filter(
        user_id=submission.user_id,
        exercise_id=submission.exercise_id,
        status=Submission.Status.DONE,
        report__gradable=True,
        created_at__gt=moment,
    ).exists()


def _level(
    submission: Submission,
    ladder: HintLadder,
    number: int,
    reveals: dict[int, HintReveal],
    now: datetime,
    *,
    staff: bool,
) -> Level:
    reveal = reveals.get(number)
    below = reveals.get(number - 1)
    first_closed = next(
        (n for n in range(1, len(ladder.hints) + 1) if n not in reveals), None
    )
    return Level(
        number=number,
        name=LEVEL_NAMES[number - 1],
        text=ladder.hints[number - 1] if reveal is not None or staff else "",
        revealed_at=reveal.created_at if reveal else None,
        is_next=number == first_closed and not staff,
        waiting="" if reveal else _waiting(submission, number, reveals, now),
        confirm=number == 3,
        seconds_after_previous=(
            (reveal.created_at - below.created_at).total_seconds()
            if reveal is not None and below is not None
            else None
        ),
    )


def clicked_through(reveals: Iterable[HintReveal]) -> bool:
    """Two levels opened within CLICK_THROUGH of each other: what the
    instructor is told (never the student)."""
    moments = sorted(reveal.created_at for reveal in reveals)
    return any(later - earlier < CLICK_THROUGH for earlier, later in pairwise(moments))


def _rungs(submission: Submission, ladder: HintLadder) -> tuple[Rung, ...]:
    """Links to the ladder's lower rungs once the student has failed twice
    with this named mistake, when the exercise's spec has a ladder."""
    spec_id = submission.exercise.engine_spec
    if not ladder.named or not spec_id or spec_id not in _ladder_ids():
        return ()
    same = Submission.objects.filter(
        user_id=submission.user_id,
        exercise_id=submission.exercise_id,
        status=Submission.Status.DONE,
        report__mistake__id=ladder.mistake_id,
        created_at__lte=submission.created_at,
    ).count()
    if same < RUNG_OFFER_AFTER:
        return ()
    rungs = []
    for rung, label in RUNGS:
        try:
            url = reverse(f"ladder-{rung}", args=[submission.exercise.slug])
        except NoReverseMatch:  # that rung's page is not part of the site
            continue
        rungs.append(Rung(label, url))
    return tuple(rungs)


def _ladder_ids() -> tuple[str, ...]:
    """The specs with a ladder (engine.ladder, built alongside; none until
    it exists)."""
    try:
        from engine.ladder import ladder_ids
    except ImportError:
        return ()
    return tuple(ladder_ids())
