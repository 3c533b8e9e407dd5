"""Spaced review of code: a card at the first pass, the form by stability,
the rating by the first response, two coding reviews a day in the queue."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from fsrs import Card

from engine.ladder import get_ladder
from exercises.coding.ladder import Answerer, parsons_check, rung_seed
from exercises.coding.signals import rung_checked, submission_scored
from exercises.coding.submissions import submission_create
from exercises.models import CodingExercise, HintReveal, RungAttempt, Submission
from tests.factories import (
    IOU_SOURCE,
    CodingExerciseFactory,
    ReviewCardFactory,
    SubmissionFactory,
    TopicFactory,
)
from tests.factories.ladder import RungAttemptFactory, solution_blocks
from tests.factories.mastery import code_card
from tutor.code_review import (
    form_for,
    has_ladder,
    review_item,
    review_queue,
)
from tutor.models import MasteryEvent, ReviewCard

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)


def scored(submission: Submission) -> None:
    submission_scored.send(sender=Submission, submission_id=submission.pk)


def checked(attempt: RungAttempt) -> None:
    rung_checked.send(sender=RungAttempt, attempt_id=attempt.pk)


def card_of(user: User, exercise: CodingExercise) -> ReviewCard:
    return ReviewCard.objects.get(user=user, exercise=exercise)


def stability(card: ReviewCard) -> float:
    return float(Card.from_dict(card.state).stability or 0)


# --- The card and its form --------------------------------------------------------


def test_a_first_pass_makes_a_card_rated_good(student: User) -> None:
    submission = SubmissionFactory(user=student, graded=True)
    scored(submission)
    scored(submission)
    card = card_of(student, submission.exercise)
    assert (card.reviews, card.last_rating) == (1, "good")
    assert card.question is None and card.due > timezone.now()
    assert card.form_served == "parsons"  # a new skill: supported retrieval


def test_a_pass_after_a_failure_makes_a_card_rated_hard(student: User) -> None:
    exercise = CodingExerciseFactory()
    failed = SubmissionFactory(
        user=student, exercise=exercise, graded=True, verdict="failed"
    )
    scored(failed)
    assert not ReviewCard.objects.filter(user=student).exists()
    scored(SubmissionFactory(user=student, exercise=exercise, graded=True))
    assert card_of(student, exercise).last_rating == "hard"


@pytest.mark.parametrize(
    ("days", "form"),
    [
        (0.5, "parsons"),
        (2.99, "parsons"),
        (3.0, "faded"),
        (9.9, "faded"),
        (10.0, "implement"),
        (60.0, "implement"),
    ],
)
def test_the_form_follows_the_stability(days: float, form: str) -> None:
    assert form_for(stability=days, ladder=True) == form


def test_an_exercise_without_a_ladder_always_comes_back_to_implement(
    student: User,
) -> None:
    exercise = CodingExerciseFactory(engine_spec="yolo_decode")
    assert not has_ladder(exercise)
    assert form_for(stability=1.0, ladder=False) == "implement"
    item = review_item(code_card(student, exercise, stability=1.0))
    assert (item.form, item.url) == (
        "implement",
        f"/exercises/{exercise.slug}/?review=1",
    )


def test_a_due_card_links_to_its_form_marked_as_a_review(student: User) -> None:
    exercise = CodingExerciseFactory()
    urls = {
        days: review_item(code_card(student, exercise, stability=days)).url
        for days in (1.0,)
    }
    ReviewCard.objects.all().delete()
    urls[5.0] = review_item(code_card(student, exercise, stability=5.0)).url
    ReviewCard.objects.all().delete()
    urls[20.0] = review_item(code_card(student, exercise, stability=20.0)).url
    base = exercise.get_absolute_url()
    assert urls == {
        1.0: f"{base}ladder/parsons?review=1",
        5.0: f"{base}ladder/faded?review=1",
        20.0: f"{base}?review=1",
    }


def test_serving_records_the_form(student: User) -> None:
    exercise = CodingExerciseFactory()
    card = code_card(student, exercise, stability=5.0, form="implement")
    [item] = review_queue(user=student)
    assert item.form == "faded"
    card.refresh_from_db()
    assert card.form_served == "faded"


# --- Rating from the first response -------------------------------------------------


def due_card(user: User, exercise: CodingExercise, days: float) -> ReviewCard:
    return code_card(user, exercise, stability=days, due=timezone.now() - HOUR)


@pytest.mark.parametrize(
    ("passed", "help_used", "rating"),
    [(True, 0, "good"), (True, 1, "hard"), (False, 0, "again")],
)
def test_a_parsons_review_is_rated_by_its_outcome(
    student: User, passed: bool, help_used: int, rating: str
) -> None:
    exercise = CodingExerciseFactory()
    card = due_card(student, exercise, days=2.0)
    attempt = RungAttemptFactory(
        user=student,
        exercise=exercise,
        checked=True,
        passed=passed,
        help_used=help_used,
        for_review=True,
        is_first=True,
    )
    checked(attempt)
    checked(attempt)  # delivered twice: rated once
    card.refresh_from_db()
    assert (card.last_rating, card.reviews) == (rating, 2)
    assert card.due > timezone.now()
    event = MasteryEvent.objects.get(user=student)
    assert (event.source, event.kind) == ("review", "parsons")
    assert event.correct is (passed and not help_used)


def test_again_brings_a_long_interval_back_to_parsons(student: User) -> None:
    exercise = CodingExerciseFactory()
    card = due_card(student, exercise, days=40.0)
    assert card.form_served == "implement"
    checked(
        RungAttemptFactory(
            user=student,
            exercise=exercise,
            checked=True,
            passed=False,
            for_review=True,
        )
    )
    card.refresh_from_db()
    assert card.last_rating == "again"
    assert stability(card) < 3 and card.form_served == "parsons"


def test_a_lower_rung_than_the_one_served_is_rated_hard(student: User) -> None:
    exercise = CodingExerciseFactory()
    card = due_card(student, exercise, days=5.0)  # served as a faded example
    checked(
        RungAttemptFactory(
            user=student, exercise=exercise, checked=True, for_review=True
        )
    )  # a Parsons problem instead, passed
    card.refresh_from_db()
    assert card.last_rating == "hard"


def test_only_the_first_response_rates_the_card(student: User) -> None:
    exercise = CodingExerciseFactory()
    card = due_card(student, exercise, days=2.0)
    first = RungAttemptFactory(
        user=student, exercise=exercise, checked=True, passed=False, for_review=True
    )
    second = RungAttemptFactory(
        user=student, exercise=exercise, checked=True, for_review=True
    )
    checked(second)  # its signal arrives first
    checked(first)
    card.refresh_from_db()
    assert (card.last_rating, card.reviews) == ("again", 2)


def test_a_card_not_due_is_not_rated(student: User) -> None:
    exercise = CodingExerciseFactory()
    card = code_card(student, exercise, stability=2.0, due=timezone.now() + HOUR)
    checked(
        RungAttemptFactory(
            user=student, exercise=exercise, checked=True, for_review=True
        )
    )
    card.refresh_from_db()
    assert card.reviews == 1


@pytest.mark.parametrize(
    ("verdict", "hint", "rating"),
    [("passed", False, "good"), ("passed", True, "hard"), ("failed", False, "again")],
)
def test_a_reimplementation_is_rated_by_the_first_submission_after_it_fell_due(
    student: User, verdict: str, hint: bool, rating: str
) -> None:
    exercise = CodingExerciseFactory()
    card = due_card(student, exercise, days=20.0)
    if hint:
        HintReveal.objects.create(
            user=student, exercise=exercise, mistake_id="iou-plus-one", level=1
        )
    first = SubmissionFactory(
        user=student, exercise=exercise, graded=True, verdict=verdict
    )
    later = SubmissionFactory(user=student, exercise=exercise, graded=True)
    scored(later)  # not the first response: ignored
    scored(first)
    scored(first)
    card.refresh_from_db()
    assert (card.last_rating, card.reviews) == (rating, 2)
    event = MasteryEvent.objects.get(user=student, source="review")
    assert event.correct is (verdict == "passed" and not hint)


def test_a_submission_does_not_rate_a_card_served_as_parsons(student: User) -> None:
    exercise = CodingExerciseFactory()
    card = due_card(student, exercise, days=1.0)
    scored(SubmissionFactory(user=student, exercise=exercise, graded=True))
    card.refresh_from_db()
    assert card.reviews == 1


# --- The queue ---------------------------------------------------------------------


def test_at_most_two_coding_reviews_a_day_one_per_topic(student: User) -> None:
    topics = [TopicFactory() for _ in range(3)]
    exercises = [CodingExerciseFactory(topic=topic) for topic in topics]
    exercises.append(CodingExerciseFactory(topic=topics[0]))
    for exercise in exercises:
        due_card(student, exercise, days=2.0)
    queue = review_queue(user=student)
    assert len(queue) == 2
    assert len({item.topic.pk for item in queue}) == 2
    first = queue[0].card.exercise
    checked(
        RungAttemptFactory(user=student, exercise=first, checked=True, for_review=True)
    )
    assert len(review_queue(user=student)) == 1  # one done today, one left
    second = review_queue(user=student)[0].card.exercise
    checked(
        RungAttemptFactory(user=student, exercise=second, checked=True, for_review=True)
    )
    assert review_queue(user=student) == []


def test_coding_reviews_are_spread_between_quiz_cards(student: User) -> None:
    past = timezone.now() - HOUR
    for _ in range(4):
        ReviewCardFactory(user=student, due=past)
    for _ in range(2):
        due_card(student, CodingExerciseFactory(topic=TopicFactory()), days=2.0)
    kinds = ["code" if item.is_code else "quiz" for item in review_queue(user=student)]
    assert kinds == ["quiz", "code", "quiz", "quiz", "code", "quiz"]


def test_the_review_page_lists_coding_reviews_with_their_form(
    student: User, student_client: Client
) -> None:
    exercise = CodingExerciseFactory(title="IoU of two boxes")
    due_card(student, exercise, days=5.0)
    ReviewCardFactory(user=student, due=timezone.now() - HOUR)
    upcoming = CodingExerciseFactory(title="Later exercise")
    code_card(student, upcoming, stability=5.0, due=timezone.now() + 3 * HOUR * 24)
    page = student_client.get("/review/").content.decode()
    assert f'href="{exercise.get_absolute_url()}ladder/faded?review=1"' in page
    assert "Faded example" in page and "Later exercise" in page
    assert "Start: 2 due" in page
    dashboard = student_client.get("/").content.decode()
    assert "IoU of two boxes" in dashboard and "(as a faded example)" in dashboard


# --- Graded for real ----------------------------------------------------------------


@pytest.mark.slow
def test_a_pass_then_a_parsons_review_graded_by_the_engine(
    student: User, django_capture_on_commit_callbacks: Any
) -> None:
    """The grading queue's signals, for real: the first pass makes the card,
    a Parsons review answered as the model solution rates it Good."""
    exercise = CodingExerciseFactory(iou=True)
    with django_capture_on_commit_callbacks(execute=True):
        submission_create(user=student, exercise=exercise, source=IOU_SOURCE)
    card = card_of(student, exercise)
    assert (card.last_rating, card.form_served) == ("good", "parsons")
    ReviewCard.objects.filter(pk=card.pk).update(due=timezone.now() - HOUR)
    ladder = get_ladder("iou")
    seed = rung_seed(user=student, exercise=exercise, rung="parsons")
    with django_capture_on_commit_callbacks(execute=True):
        attempt = parsons_check(
            Answerer(student, exercise, for_review=True),
            ladder=ladder,
            seed=seed,
            placed=solution_blocks(ladder, seed),
        )
    attempt.refresh_from_db()
    assert attempt.passed and attempt.for_review
    card.refresh_from_db()
    assert (card.reviews, card.last_rating) == (2, "good")
    assert [(e.source, e.kind, e.correct) for e in MasteryEvent.objects.all()] == [
        ("code", "implement", True),
        ("review", "parsons", True),
    ]
