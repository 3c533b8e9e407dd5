"""What next: due reviews first, then the weakest open topic at the right
difficulty, never the same topic twice in a row; the rung below after a
failed implementation; the /next/ link after an answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from exercises.models import Question, Topic
from tests.factories import (
    CodingExerciseFactory,
    QuestionFactory,
    ReviewCardFactory,
    SubmissionFactory,
    TopicFactory,
)
from tests.factories.ladder import RungAttemptFactory
from tests.factories.mastery import MasteryFactory, answered
from tutor.next_item import REVIEWS_PER_SESSION, best_item, next_item

pytestmark = pytest.mark.django_db
PAST = timedelta(hours=1)


def test_a_due_review_comes_before_new_learning(student: User) -> None:
    topic = TopicFactory()
    QuestionFactory(topic=topic)
    card = ReviewCardFactory(user=student, due=timezone.now() - PAST)
    found = next_item(user=student)
    assert found is not None
    assert (found.kind, found.reason) == ("review", "due for review")
    assert found.url == f"{card.question.get_absolute_url()}?review=1"


def test_reviews_give_way_after_five_today(student: User) -> None:
    new = QuestionFactory(topic=TopicFactory())
    ReviewCardFactory(user=student, due=timezone.now() - PAST)
    for _ in range(REVIEWS_PER_SESSION):
        ReviewCardFactory(user=student, due=timezone.now() + PAST, reviews=3)
    found = next_item(user=student)
    assert found is not None and found.kind == "question"
    assert found.url == new.get_absolute_url()


def test_the_weakest_open_topic_comes_next(student: User) -> None:
    strong, weak = TopicFactory(order=1), TopicFactory(order=2)
    for topic in (strong, weak):
        QuestionFactory(topic=topic)
    answered(student, QuestionFactory(topic=strong), correct=True)
    answered(student, QuestionFactory(topic=weak), correct=False)
    answered(student, QuestionFactory(topic=TopicFactory(order=3)), correct=True)
    found = next_item(user=student)
    assert found is not None and found.topic == weak
    assert found.reason == f"weakest open topic: {weak.code} {weak.title}"


def test_a_topic_opens_when_its_prerequisites_are_well_on_the_way(
    student: User,
) -> None:
    rnn, lstm = TopicFactory(order=1), TopicFactory(order=2)
    lstm.prerequisites.add(rnn)
    MasteryFactory(user=student, topic=rnn, p_learned=0.79, observations=3)
    MasteryFactory(user=student, topic=lstm, p_learned=0.05, observations=3)
    QuestionFactory(topic=rnn)
    QuestionFactory(topic=lstm)
    found = next_item(user=student)
    assert found is not None and found.topic == rnn  # LSTM, weaker, is closed
    rnn_row = rnn.mastery.get(user=student)
    rnn_row.p_learned = 0.8
    rnn_row.save()
    found = next_item(user=student)
    assert found is not None and found.topic == lstm


def test_never_the_same_topic_twice_in_a_row(student: User) -> None:
    weak, other = TopicFactory(order=1), TopicFactory(order=2)
    just_done = QuestionFactory(topic=weak)
    QuestionFactory(topic=weak)
    QuestionFactory(topic=other)
    answered(student, just_done, correct=False)
    found = next_item(user=student, after=just_done)
    assert found is not None and found.topic == other
    found = next_item(user=student)  # the last answer is known from the records
    assert found is not None and found.topic == other


def test_the_same_topic_again_when_nothing_else_is_left(student: User) -> None:
    topic = TopicFactory()
    just_done, left = QuestionFactory(topic=topic), QuestionFactory(topic=topic)
    answered(student, just_done, correct=False)
    found = next_item(user=student, after=just_done)
    assert found is not None and found.url == left.get_absolute_url()


def test_items_answered_or_passed_are_not_suggested_again(student: User) -> None:
    topic = TopicFactory()
    question = QuestionFactory(topic=topic)
    exercise = CodingExerciseFactory(topic=topic)
    answered(student, question)
    ReviewCardFactory(user=student, question=question, due=timezone.now() + PAST)
    found = next_item(user=student)
    assert found is not None and found.kind == "exercise"
    assert found.url == exercise.get_absolute_url()
    ReviewCardFactory(
        user=student, question=None, exercise=exercise, due=timezone.now() + PAST
    )
    assert next_item(user=student) is None


def test_the_item_nearest_three_in_four_right_is_picked() -> None:
    topic = Topic(code="1.1")
    easy, medium, hard = (
        Question(topic=topic, slug=f"q{d}", difficulty=d) for d in (1, 2, 3)
    )
    # P(L) 0.2: the easiest is nearest 0.75; P(L) 0.95: the hardest.
    assert best_item([hard, medium, easy], 0.2) is easy
    assert best_item([easy, medium, hard], 0.95) is hard
    assert best_item([], 0.5) is None


def test_the_rung_below_follows_a_failed_implementation(student: User) -> None:
    exercise = CodingExerciseFactory(title="IoU")  # the iou spec has a ladder
    SubmissionFactory(user=student, exercise=exercise, graded=True, verdict="failed")
    found = next_item(user=student)
    assert found is not None and found.kind == "ladder"
    assert found.url == f"{exercise.get_absolute_url()}ladder/faded"
    assert found.reason == (
        "next: the faded example for IoU (your last submission did not pass)"
    )
    RungAttemptFactory(
        user=student, exercise=exercise, faded=True, checked=True, passed=False
    )
    found = next_item(user=student)
    assert found is not None
    assert found.reason == (
        "next: the Parsons problem for IoU (your last faded example did not pass)"
    )
    assert found.url.endswith("/ladder/parsons")


def test_no_rung_is_suggested_without_a_ladder_or_after_a_pass(
    student: User,
) -> None:
    no_ladder = CodingExerciseFactory(engine_spec="yolo_decode")
    SubmissionFactory(user=student, exercise=no_ladder, graded=True, verdict="failed")
    found = next_item(user=student)
    assert found is None or found.kind != "ladder"
    SubmissionFactory(user=student, graded=True)
    found = next_item(user=student)
    assert found is None or found.kind != "ladder"


# --- The pages --------------------------------------------------------------------


def test_the_next_link_names_the_suggestion_and_its_reason(
    student: User, student_client: Client
) -> None:
    just_done = QuestionFactory(topic=TopicFactory(order=1))
    other = QuestionFactory(topic=TopicFactory(order=2, title="Cosine"), title="Cos")
    response = student_client.get(
        "/next/", {"after": f"question:{just_done.slug}"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{other.get_absolute_url()}"' in html and "Next: Cos" in html
    assert f"Not started yet: {other.topic.code} Cosine." in html
    redirect = student_client.get("/next/", {"after": f"question:{just_done.slug}"})
    assert redirect.status_code == 302
    assert redirect["Location"] == other.get_absolute_url()


@pytest.mark.parametrize(
    ("after", "status"),
    [
        ("question", 400),
        ("topic:yolo", 400),
        ("question:" + "x" * 200, 400),
        ("question:no-such-question", 404),
        ("exercise:nope", 404),
    ],
)
def test_bad_input_to_next_is_a_clear_4xx(
    student_client: Client, after: str, status: int
) -> None:
    response = student_client.get("/next/", {"after": after}, HTTP_HX_REQUEST="true")
    assert response.status_code == status
    assert "question:&lt;slug&gt;" in response.content.decode() or status == 404


def test_with_nothing_left_next_goes_to_the_progress_page(
    student_client: Client,
) -> None:
    response = student_client.get("/next/")
    assert (response.status_code, response["Location"]) == (302, "/progress/")
    partial = student_client.get("/next/", HTTP_HX_REQUEST="true").content.decode()
    assert "Nothing new to suggest" in partial


def test_next_is_for_signed_in_students(client: Client) -> None:
    response = client.get("/next/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_answered_question_offers_what_next(
    student: User, student_client: Client
) -> None:
    question = QuestionFactory()
    seed_page = student_client.get(question.get_absolute_url())
    seed = seed_page.context["shown"].seed
    response = student_client.post(
        f"{question.get_absolute_url()}answer",
        {"value": "1", "seed": seed},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert f'hx-get="/next/?after=question%3A{question.slug}"' in html
    assert f'href="/next/?after=question%3A{question.slug}">What next?' in html


def test_a_passed_submission_offers_what_next(
    student: User, student_client: Client
) -> None:
    passed = SubmissionFactory(user=student, graded=True)
    failed = SubmissionFactory(user=student, graded=True, verdict="failed")
    html = student_client.get(f"/submissions/{passed.pk}/status").content.decode()
    assert f"/next/?after=exercise%3A{passed.exercise.slug}" in html
    html = student_client.get(f"/submissions/{failed.pk}/status").content.decode()
    assert "/next/?after=" not in html


def test_the_dashboard_starts_here_with_a_reason(
    student: User, student_client: Client
) -> None:
    topic = TopicFactory(title="Word2Vec")
    question = QuestionFactory(topic=topic, title="Skip-gram pairs")
    html = student_client.get("/").content.decode()
    assert "Start here" in html
    assert f'href="{question.get_absolute_url()}"' in html
    assert f"Why: not started yet: {topic.code} Word2Vec." in html
