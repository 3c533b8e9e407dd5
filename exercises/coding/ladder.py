"""The ladder of a coding exercise on the site: worked example, faded
example, Parsons problem, implementation (engine.ladder builds the rungs
from the model solution; this module serves them to students).

A student may start on any rung. Each answer to a faded example or a Parsons
problem is a `RungAttempt`: its program is assembled here, in the web
process, with bounded work (`Ladder.fill`, `Ladder.assemble`: an answer
that cannot be run is refused with a message and is no attempt), then
graded by the engine in a worker (`exercises.coding.ladder_check`).

Variants: the seed of a rung is a hash of the student, the exercise, the
rung (and the faded level) and how many times they have passed that rung,
so a pass brings a new variant (new block ids and order, new cases) and a
failure keeps the same one. `is_first` marks the first answer to a variant.

Help on a Parsons problem (Runestone's rule, kept on the server): after 3
distinct wrong answers to a variant a distractor can be removed, after 6 a
second one, and so on; the help taken is recorded on each later attempt.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from exercises.coding import ladder_check
from exercises.models import CodingExercise, RungAttempt, Submission

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from engine.ladder import Ladder

Rung = RungAttempt.Rung
Status = RungAttempt.Status
WORKED, FADED, PARSONS, IMPLEMENT = "worked", "faded", "parsons", "implement"
RUNGS: tuple[tuple[str, str], ...] = (
    (WORKED, "Worked example"),
    (FADED, "Faded example"),
    (PARSONS, "Parsons problem"),
    (IMPLEMENT, "Implement"),
)
# Distinct wrong answers to a variant per distractor removed by "Help me".
WRONG_PER_HELP = 3
# A Parsons answer longer than this many blocks is refused before any work.
MAX_PLACED = 200
# The longest text a blank takes (Ladder.fill refuses longer ones too).
MAX_BLANK_CHARS = 200


class RungRejected(Exception):
    """An answer that cannot be taken, with the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def ladder_for(exercise: CodingExercise) -> Ladder | None:
    """The exercise's ladder, or None: an own exercise, a spec without a
    ladder, or an engine without ladders at all."""
    if not exercise.engine_spec:
        return None
    try:
        from engine.ladder import get_ladder, ladder_ids
    except ImportError:
        return None
    if exercise.engine_spec not in ladder_ids():
        return None
    return get_ladder(exercise.engine_spec)


def has_ladder(exercise: CodingExercise) -> bool:
    return ladder_for(exercise) is not None


def passes(*, user: User, exercise: CodingExercise, rung: str) -> int:
    return RungAttempt.objects.filter(
        user=user, exercise=exercise, rung=rung, passed=True
    ).count()


VARIANT_CHANGED = (
    "This puzzle has changed since the page was opened (you solved it in "
    "another tab?). Reload the page to get the current one."
)


def rung_seed(
    *, user: User, exercise: CodingExercise, rung: str, level: int = 0
) -> int:
    """The seed of the variant the student is on now (see the module's doc)."""
    done = passes(user=user, exercise=exercise, rung=rung)
    message = f"rung-seed:{user.pk}:{exercise.pk}:{rung}:{level}:{done}".encode()
    digest = hmac.new(_key(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:6], "big")


def variant_token(seed: int) -> str:
    """What the page carries to name the variant it showed. Not the seed: a
    Parsons problem's block ids follow from its seed, so a page that showed
    the seed would let a student work out the solution's order."""
    message = f"rung-variant:{seed}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()[:20]


def seed_of_variant(
    *, user: User, exercise: CodingExercise, rung: str, token: str
) -> int | None:
    """The student's current seed, if `token` names it; None for a variant
    that is no longer theirs (solved in another tab) or a made-up token."""
    current = rung_seed(user=user, exercise=exercise, rung=rung)
    return current if hmac.compare_digest(token, variant_token(current)) else None


def _key() -> bytes:
    return settings.SECRET_KEY.encode()


def rung_states(*, user: User, exercise: CodingExercise) -> dict[str, str]:
    """Each answerable rung's state in words: "not tried", "tried" or "passed"."""
    states = {FADED: "not tried", PARSONS: "not tried", IMPLEMENT: "not tried"}
    attempts = RungAttempt.objects.filter(user=user, exercise=exercise)
    for rung, passed in attempts.order_by().values_list("rung", "passed").distinct():
        if states.get(rung) != "passed":
            states[rung] = "passed" if passed else "tried"
    submissions = Submission.objects.filter(user=user, exercise=exercise)
    if submissions.filter(status=Submission.Status.DONE, score__gte=1.0).exists():
        states[IMPLEMENT] = "passed"
    elif submissions.exists():
        states[IMPLEMENT] = "tried"
    return states


def faded_next_level(*, user: User, exercise: CodingExercise, levels: int) -> int:
    """The level after the highest one the student has passed (capped)."""
    answers = RungAttempt.objects.filter(
        user=user, exercise=exercise, rung=Rung.FADED, passed=True
    ).values_list("answer", flat=True)
    passed = [a.get("level") for a in answers if isinstance(a, dict)]
    highest = max((n for n in passed if isinstance(n, int)), default=0)
    return max(1, min(highest + 1, levels))


def last_attempt(
    *, user: User, exercise: CodingExercise, rung: str, seed: int
) -> RungAttempt | None:
    """The student's latest answer to this variant, if any."""
    return (
        RungAttempt.objects.filter(user=user, exercise=exercise, rung=rung, seed=seed)
        .order_by("-created_at", "-pk")
        .first()
    )


def mistake_text(exercise: CodingExercise, mistake_id: str) -> dict[str, str] | None:
    """The named mistake's title and explanation, from the exercise's spec."""
    if not mistake_id or not exercise.engine_spec:
        return None
    import engine

    try:
        spec = engine.get_spec(exercise.engine_spec)
    except KeyError:
        return None
    for mistake in spec.mistakes:
        if mistake.id == mistake_id:
            return {"title": mistake.title, "explanation": mistake.explanation}
    return None


def distinct_wrong(*, user: User, exercise: CodingExercise, seed: int) -> int:
    """How many different wrong programs the student checked on this variant."""
    return (
        RungAttempt.objects.filter(
            user=user, exercise=exercise, rung=Rung.PARSONS, seed=seed, passed=False
        )
        .order_by()
        .values("source")
        .distinct()
        .count()
    )


def help_unlocked(
    *, user: User, exercise: CodingExercise, ladder: Ladder, seed: int
) -> int:
    """How many distractors the student may have removed from this variant."""
    wrong = distinct_wrong(user=user, exercise=exercise, seed=seed)
    return min(wrong // WRONG_PER_HELP, len(ladder.distractors))


def help_taken(*, user: User, exercise: CodingExercise, seed: int) -> int:
    """The help used by the student's last answer to this variant (0 if none)."""
    last = (
        RungAttempt.objects.filter(
            user=user, exercise=exercise, rung=Rung.PARSONS, seed=seed
        )
        .order_by("-created_at", "-pk")
        .values_list("help_used", flat=True)
        .first()
    )
    return last or 0


def block_indents(ladder: Ladder, seed: int, *, without: int = 0) -> dict[str, int]:
    """Each Parsons block's indent, for "supply indentation": a solution
    line's own, a distractor's that of the line it pairs with."""
    by_text: dict[str, int] = {}
    for line in ladder.lines:
        by_text.setdefault(line.text, line.indent)
    for distractor in ladder.distractors:
        by_text.setdefault(distractor.text, ladder.lines[distractor.pairs_with].indent)
    view = ladder.parsons(seed, without=without)
    return {block.id: by_text.get(block.text, 0) for block in view.blocks}


@dataclass(frozen=True)
class Answerer:
    """Who answers which exercise, and whether as a spaced review."""

    user: User
    exercise: CodingExercise
    for_review: bool = False


def faded_check(
    who: Answerer, *, ladder: Ladder, level: int, blanks: Mapping[str, str]
) -> RungAttempt:
    """Fill the level's blanks with the student's texts and queue the program."""
    from engine.ladder import AnswerRejected

    view = ladder.faded(level)
    texts = {slot.id: str(blanks.get(slot.id, "")) for slot in _slots(view.rows)}
    for number, text in enumerate(texts.values(), start=1):
        if not text.strip():
            raise RungRejected(f"Blank {number} is empty: fill in every blank.")
        if len(text) > MAX_BLANK_CHARS:
            raise RungRejected(
                f"Blank {number} is {len(text)} characters long; a blank takes at "
                f"most {MAX_BLANK_CHARS}."
            )
    try:
        source = ladder.fill(level, texts)
    except AnswerRejected as exc:
        raise RungRejected(str(exc)) from None
    seed = rung_seed(user=who.user, exercise=who.exercise, rung=FADED, level=level)
    stored = {"level": level, "blanks": texts}
    return _attempt_create(who, rung=FADED, seed=seed, answer=stored, source=source)


def _slots(rows: Sequence[Any]) -> list[Any]:
    return [part for row in rows for part in row.parts if not isinstance(part, str)]


def parsons_check(
    who: Answerer,
    *,
    ladder: Ladder,
    seed: int,
    placed: Sequence[tuple[str, int]],
    help_used: int = 0,
    indent_given: bool = False,
) -> RungAttempt:
    """Assemble the placed blocks into a program and queue it; `seed` is the
    variant the page showed, which must still be the student's."""
    from engine.ladder import AnswerRejected

    current = rung_seed(user=who.user, exercise=who.exercise, rung=PARSONS)
    if seed != current:
        raise RungRejected(VARIANT_CHANGED, 409)
    if not placed:
        raise RungRejected("Your program is empty: add blocks to it, then check.")
    if len(placed) > MAX_PLACED:
        raise RungRejected("Your program has more blocks than the puzzle.")
    unlocked = help_unlocked(
        user=who.user, exercise=who.exercise, ladder=ladder, seed=seed
    )
    if not 0 <= help_used <= unlocked:
        raise RungRejected("That help is not unlocked yet for this puzzle.", 403)
    try:
        assembled = ladder.assemble(seed, list(placed), without=help_used)
    except AnswerRejected as exc:
        raise RungRejected(str(exc)) from None
    stored = {
        "blocks": [[block_id, indent] for block_id, indent in placed],
        "indent_given": indent_given,
        "order_ok": assembled.order_ok,
        "first_wrong": assembled.first_wrong,
        "distractors_used": list(assembled.distractors_used),
    }
    return _attempt_create(
        who,
        rung=PARSONS,
        seed=seed,
        answer=stored,
        source=assembled.source,
        help_used=help_used,
    )


def _attempt_create(
    who: Answerer,
    *,
    rung: str,
    seed: int,
    answer: dict[str, Any],
    source: str,
    help_used: int = 0,
) -> RungAttempt:
    """Store the attempt (first to its variant or not) and queue its check
    once the row is committed."""
    _check_rate(who.user)
    with transaction.atomic():
        # One answer of a student at a time: `is_first` and "one check at a
        # time" are decided under the lock of the student's row.
        User.objects.select_for_update().filter(pk=who.user.pk).first()
        mine = RungAttempt.objects.filter(
            user=who.user, exercise=who.exercise, rung=rung
        )
        if mine.filter(status__in=[Status.QUEUED, Status.RUNNING]).exists():
            raise RungRejected(
                "Your last answer is still being checked. Wait for its verdict "
                "before checking again.",
                409,
            )
        attempt = RungAttempt.objects.create(
            user=who.user,
            exercise=who.exercise,
            rung=rung,
            seed=seed,
            answer=answer,
            source=source,
            is_first=not mine.filter(seed=seed).exists(),
            help_used=help_used,
            for_review=who.for_review,
        )
        transaction.on_commit(lambda: ladder_check.rung_enqueue(attempt_id=attempt.pk))
    return attempt


def _check_rate(user: User) -> None:
    """At most GRADING_SUBMISSIONS_PER_MINUTE checks a minute per student,
    the bound of code submissions (both run the sandbox)."""
    limit = settings.GRADING_SUBMISSIONS_PER_MINUTE
    recent = RungAttempt.objects.filter(
        user=user, created_at__gte=timezone.now() - timedelta(minutes=1)
    ).count()
    if recent >= limit:
        raise RungRejected(
            f"You have checked {recent} answers in the last minute; the limit is "
            f"{limit}. Read the last verdict, then try again in a moment.",
            429,
        )
