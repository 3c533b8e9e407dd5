"""Spaced review of coding exercises, beside the quiz cards (TUTORING.md 6.2).

A passed exercise gets an FSRS card (the scheduler of tutor.services). When
it is due it comes back in a form chosen by the card's stability S in days:
a Parsons problem while S < 3 (supported retrieval of a skill still forming),
a faded example while S < 10, then a full re-implementation; an exercise
whose spec has no ladder always comes back as a re-implementation. The
card's `form_served` records the form it is served in.

The rating comes from the first response to the due card: a rung attempt
made for the review (`RungAttempt.for_review`), or, for a re-implementation,
the first graded submission after the card fell due. Passed without help →
Good; passed after help (a hint, Parsons help, or a lower rung than the one
served) → Hard; failed → Again, which brings the stability (and so the form)
back down. The response also counts for mastery, as a review.

At most CODING_REVIEWS_PER_DAY coding reviews a day (one per topic) enter the
review queue, spread between the quiz cards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from fsrs import Card, Rating

from exercises.models import (
    CodingExercise,
    HintReveal,
    Question,
    RungAttempt,
    Submission,
    Topic,
)
from exercises.services.attempts import session_start
from tutor import mastery
from tutor import selectors as journey
from tutor.models import MasteryEvent, ReviewCard
from tutor.services import SCHEDULER, rating_for

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Form = ReviewCard.Form
PARSONS_BELOW = 3.0  # days of stability
FADED_BELOW = 10.0
CODING_REVIEWS_PER_DAY = 2
# The rungs from most to least support: a response on a rung below the one
# served was helped.
SUPPORT_ORDER = (Form.PARSONS, Form.FADED, Form.IMPLEMENT)
FORM_PHRASES: dict[str, str] = {
    Form.QUIZ: "a quiz question",
    Form.PARSONS: "a Parsons problem",
    Form.FADED: "a faded example",
    Form.IMPLEMENT: "a re-implementation",
}


def _support(form: str) -> int:
    """How far from most support a form is (Parsons 0, faded 1, implement 2)."""
    return SUPPORT_ORDER.index(Form(form)) if form in SUPPORT_ORDER else 0


def ladder_ids() -> tuple[str, ...]:
    """The engine specs that have a ladder (none while engine.ladder is absent)."""
    try:
        from engine.ladder import ladder_ids as engine_ladder_ids
    except ImportError:
        return ()
    return tuple(engine_ladder_ids())


def has_ladder(exercise: CodingExercise) -> bool:
    return bool(exercise.engine_spec) and exercise.engine_spec in ladder_ids()


def form_for(*, stability: float | None, ladder: bool) -> str:
    """The form a due coding card is served in, from its stability (days)."""
    if not ladder:
        return Form.IMPLEMENT
    if stability is None or stability < PARSONS_BELOW:
        return Form.PARSONS
    return Form.FADED if stability < FADED_BELOW else Form.IMPLEMENT


def card_form(card: ReviewCard) -> str:
    if card.exercise is None:
        return Form.QUIZ
    stability = card.state.get("stability") if isinstance(card.state, dict) else None
    return form_for(stability=stability, ladder=has_ladder(card.exercise))


def form_url(exercise: CodingExercise, form: str) -> str:
    """Where a form of the exercise is answered, marked as a review."""
    base = exercise.get_absolute_url()
    if form in (Form.PARSONS, Form.FADED):
        return f"{base}ladder/{form}?review=1"
    return f"{base}?review=1"


# ------------------------------------------------------------ the queue


@dataclass(frozen=True)
class ReviewItem:
    """A due (or upcoming) card as the pages show it."""

    card: ReviewCard
    title: str
    url: str
    topic: Topic
    form: str

    @property
    def form_label(self) -> str:
        return str(Form(self.form).label)

    @property
    def form_phrase(self) -> str:
        """The form inside a sentence: "a Parsons problem", "a faded example"."""
        return FORM_PHRASES[self.form]

    @property
    def is_code(self) -> bool:
        return self.card.exercise_id is not None


def review_item(card: ReviewCard) -> ReviewItem:
    if card.question is not None:
        question: Question = card.question
        return ReviewItem(
            card,
            question.label,
            f"{question.get_absolute_url()}?review=1",
            question.topic,
            Form.QUIZ,
        )
    exercise = card.exercise
    assert exercise is not None  # a card is for a question or an exercise
    form = card_form(card)
    return ReviewItem(
        card, exercise.title, form_url(exercise, form), exercise.topic, form
    )


def coding_reviews_today(*, user: User, now: datetime | None = None) -> int:
    return MasteryEvent.objects.filter(
        user=user,
        source=MasteryEvent.Source.REVIEW,
        exercise__isnull=False,
        created_at__gte=session_start(now),
    ).count()


def review_queue(*, user: User, now: datetime | None = None) -> list[ReviewItem]:
    """The due quiz cards, with today's coding reviews spread between them."""
    now = now or timezone.now()
    due = list(journey.reviews_due(user=user, now=now))
    quiz = [review_item(card) for card in due if card.question_id is not None]
    budget = CODING_REVIEWS_PER_DAY - coding_reviews_today(user=user, now=now)
    code: list[ReviewItem] = []
    topics: set[int] = set()
    for card in (card for card in due if card.exercise is not None):
        if len(code) >= budget:
            break
        if card.exercise.topic_id in topics:  # type: ignore[union-attr]
            continue  # one algorithm of a topic at a time: the pattern is trained
        item = review_serve(card=card)
        topics.add(item.topic.pk)
        code.append(item)
    return interleave(quiz, code)


def interleave(quiz: list[ReviewItem], code: list[ReviewItem]) -> list[ReviewItem]:
    """The coding items spread evenly between the quiz items."""
    slots = [round((i + 1) * len(quiz) / (len(code) + 1)) for i in range(len(code))]
    pending = list(zip(slots, code, strict=True))
    result: list[ReviewItem] = []
    for index, item in enumerate(quiz):
        while pending and pending[0][0] <= index:
            result.append(pending.pop(0)[1])
        result.append(item)
    result.extend(item for _, item in pending)
    return result


def review_serve(*, card: ReviewCard) -> ReviewItem:
    """The card as served now; the form it is served in is recorded."""
    item = review_item(card)
    if item.is_code and card.form_served != item.form:
        ReviewCard.objects.filter(pk=card.pk).update(form_served=item.form)
        card.form_served = item.form
    return item


def review_next(
    *, user: User, after: Question | None = None, now: datetime | None = None
) -> ReviewItem | None:
    """The first item of the review queue other than `after`."""
    for item in review_queue(user=user, now=now):
        if after is None or item.card.question_id != after.pk:
            return item
    return None


def reviews_upcoming(
    *, user: User, now: datetime | None = None, limit: int = 20
) -> list[ReviewItem]:
    cards = journey.reviews_upcoming(user=user, now=now)[:limit]
    return [review_item(card) for card in cards]


# ------------------------------------------------------------ rating


def _schedule(
    card_row: ReviewCard, *, exercise: CodingExercise, rating: Rating
) -> ReviewCard:
    card = Card.from_dict(card_row.state) if card_row.state else Card()
    card, _ = SCHEDULER.review_card(card, rating, review_datetime=timezone.now())
    card_row.state = card.to_dict()
    card_row.due = card.due
    card_row.reviews += 1
    card_row.last_rating = rating.name.lower()
    card_row.form_served = form_for(
        stability=card.stability, ladder=has_ladder(exercise)
    )
    card_row.save()
    return card_row


def code_card_for_pass(*, submission: Submission) -> ReviewCard | None:
    """The exercise's card, made at the student's first pass: Good when the
    pass was their first graded submission without the corrected formula,
    else Hard. None when it is not a pass or the card exists."""
    if not (
        mastery.submission_gradable(submission)
        and mastery.submission_passed(submission)
    ):
        return None
    user, exercise = submission.user, submission.exercise
    if ReviewCard.objects.filter(user=user, exercise=exercise).exists():
        return None
    first = next(iter(mastery.gradable_submissions(user=user, exercise=exercise)), None)
    helped = mastery.bottom_out_before(
        user=user, exercise=exercise, before=submission.created_at
    )
    first_try = first is not None and first.pk == submission.pk and not helped
    try:
        with transaction.atomic():
            card = ReviewCard(user=user, exercise=exercise, state={})
            return _schedule(
                card,
                exercise=exercise,
                rating=Rating.Good if first_try else Rating.Hard,
            )
    except IntegrityError:  # made by a concurrent delivery of the same signal
        return None


def _due_card(user: User, exercise: CodingExercise, at: datetime) -> ReviewCard | None:
    """The exercise's card, locked, if it was due at `at`."""
    return (
        ReviewCard.objects.select_for_update()
        .filter(user=user, exercise=exercise, due__lte=at)
        .first()
    )


def review_from_submission(*, submission: Submission) -> bool:
    """Rate a due re-implementation card from the first graded submission
    after it fell due; False when the submission is not that response."""
    if not mastery.submission_gradable(submission):
        return False
    user, exercise = submission.user, submission.exercise
    with transaction.atomic():
        card = _due_card(user, exercise, submission.created_at)
        if card is None or card.form_served != Form.IMPLEMENT:
            return False
        first = next(
            iter(
                mastery.gradable_submissions(
                    user=user, exercise=exercise, since=card.due
                )
            ),
            None,
        )
        if first is None or first.pk != submission.pk:
            return False
        passed = mastery.submission_passed(submission)
        helped = HintReveal.objects.filter(
            user=user,
            exercise=exercise,
            created_at__gte=card.due,
            created_at__lt=submission.created_at,
        ).exists()
        _schedule(
            card,
            exercise=exercise,
            rating=rating_for(correct=passed, hints_used=int(helped)),
        )
        mastery.mastery_observe(
            user=user,
            topic_id=exercise.topic_id,
            source=MasteryEvent.Source.REVIEW,
            key=f"submission:{submission.pk}",
            kind="implement",
            guess=mastery.guess_rate("implement"),
            correct=passed and not helped,
            exercise=exercise,
        )
    return True


def review_from_rung(*, attempt: RungAttempt) -> bool:
    """Rate a due card from the first rung attempt made for its review; False
    when the attempt is not that response."""
    if (
        not attempt.for_review
        or attempt.status != RungAttempt.Status.DONE
        or attempt.passed is None
    ):
        return False
    user, exercise = attempt.user, attempt.exercise
    with transaction.atomic():
        card = _due_card(user, exercise, attempt.created_at)
        if card is None:
            return False
        earlier = RungAttempt.objects.filter(
            Q(created_at__lt=attempt.created_at)
            | Q(created_at=attempt.created_at, pk__lt=attempt.pk),
            user=user,
            exercise=exercise,
            for_review=True,
            status=RungAttempt.Status.DONE,
            passed__isnull=False,
            created_at__gte=card.due,
        )
        if earlier.exists():
            return False
        dropped = _support(attempt.rung) < _support(card.form_served)
        helped = attempt.help_used > 0 or dropped
        _schedule(
            card,
            exercise=exercise,
            rating=rating_for(correct=bool(attempt.passed), hints_used=int(helped)),
        )
        mastery.mastery_record_rung(attempt=attempt, source=MasteryEvent.Source.REVIEW)
    return True
