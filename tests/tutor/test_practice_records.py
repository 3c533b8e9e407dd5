"""Practice records what the student really knew: a variant is answered once
(its feedback closes it), only the first answer of the day moves mastery and
the review card, the feedback echoes the student's answer, and a variant stays
until the student asks for another. Over HTTP, on a small course built here."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db.models import F
from django.test import Client
from django.utils import timezone

from exercises.checkers import CheckResult
from exercises.models import HintUse, Question, QuestionProgress, QuizAttempt
from exercises.presentation import answer_review, present
from exercises.variants import variant_for
from tests.factories import QuestionFactory, TopicFactory
from tutor.models import ReviewCard

pytestmark = pytest.mark.django_db

CHOICES = [
    {"text": "IoU below 0.5", "explanation": "Those boxes are kept."},
    {"text": "IoU above 0.5", "correct": True, "explanation": "A duplicate goes."},
    {"text": "Another cell", "explanation": "Cells play no part."},
]
PICKS = [
    {"text": "Alpha pick", "correct": True},
    {"text": "Beta pick"},
    {"text": "Gamma pick", "correct": True},
]
TFIDF = {
    "generator": "tfidf_by_hand",
    "parts": [
        {"name": "tf", "label": "TF", "kind": "numeric", "tolerance": {"abs": 1e-4}},
        {"name": "idf", "label": "IDF", "kind": "numeric", "tolerance": {"abs": 1e-4}},
        {"name": "tfidf", "label": "TF-IDF", "kind": "numeric"},
    ],
}


@pytest.fixture
def small_course(db: None) -> None:
    """One topic with a question of each kind; the multi-step one draws its
    numbers from a generator (a parameterised question)."""
    topic = TopicFactory(yolo=True)
    for slug, kind, spec, prompt in [
        ("nms-rule", "single", {"options": CHOICES}, "Which box goes?"),
        ("two-picks", "multiple", {"options": PICKS}, "Pick the right ones."),
        ("iou-half", "numeric", {"answer": 0.5}, "The IoU?"),
        ("double", "symbolic", {"answer": "2*x", "variables": ["x"]}, "Twice x?"),
        ("tfidf-steps", "multistep", TFIDF, "TF-IDF of *{{ word }}*, step by step."),
    ]:
        QuestionFactory(
            topic=topic, slug=slug, kind=kind, spec=spec, prompt=prompt,
            hints=["Think first."],
        )  # fmt: skip


def shown_seed(client: Client, slug: str, query: str = "") -> int | None:
    """The seed the page's answer form carries, or None when it has no form."""
    page = client.get(f"/questions/{slug}/{query}").content.decode()
    found = re.search(r'name="seed" value="(\d+)"', _answer_area(page))
    return int(found.group(1)) if found else None


def _answer_area(page: str) -> str:
    return page.split('id="answer-area"', 1)[-1].split('id="feedback"', 1)[0]


def post_answer(client: Client, slug: str, seed: int | None, data: dict, **extra):
    return client.post(f"/questions/{slug}/answer", {**data, "seed": seed}, **extra)


def answer_now(client: Client, slug: str, data: dict, **extra):
    """Open the question as a browser does and answer the variant it shows."""
    return post_answer(client, slug, shown_seed(client, slug), data, **extra)


def another_try(client: Client, slug: str, **data: str):
    return client.post(f"/questions/{slug}/", data)


def progress(user: User, slug: str) -> tuple[int, int, bool]:
    row = QuestionProgress.objects.get(user=user, question__slug=slug)
    return (row.attempts, row.correct, row.last_correct)


def to_yesterday() -> None:
    QuizAttempt.objects.update(created_at=F("created_at") - timedelta(days=1))


def test_it_refuses_a_second_answer_to_a_variant_whose_feedback_was_shown(
    student_client: Client, student: User, small_course: None
) -> None:
    seed = shown_seed(student_client, "iou-half")
    wrong = post_answer(student_client, "iou-half", seed, {"value": "0.375"})
    assert wrong.status_code == 200 and "Correct answer: 0.5" in wrong.content.decode()
    replayed = post_answer(student_client, "iou-half", seed, {"value": "1/2"})
    second_tab = post_answer(
        student_client, "iou-half", seed, {"value": "1/2"}, HTTP_HX_REQUEST="true"
    )
    for refused in (replayed, second_tab):
        body = refused.content.decode()
        assert refused.status_code == 409 and "already answered" in body
        assert "not recorded" in body and "✓ Correct" not in body
    assert list(QuizAttempt.objects.values_list("is_correct", flat=True)) == [False]
    assert progress(student, "iou-half") == (1, 0, False)
    card = ReviewCard.objects.get(user=student)
    assert (card.reviews, card.last_rating) == (1, "again")


def test_it_closes_the_form_once_the_feedback_is_shown(
    student_client: Client, small_course: None
) -> None:
    answer_url = 'action="/questions/iou-half/answer"'
    assert answer_url in student_client.get("/questions/iou-half/").content.decode()
    page = answer_now(student_client, "iou-half", {"value": "0.375"}).content.decode()
    assert answer_url not in page and "You have answered this question" in page
    assert "Try again" in page and "New numbers" not in page
    reloaded = student_client.get("/questions/iou-half/").content.decode()
    assert answer_url not in reloaded and "Your answer: <code>0.375</code>" in reloaded
    assert "Try again" in reloaded and "Show a hint" not in reloaded
    another_try(student_client, "iou-half")
    htmx = answer_now(
        student_client, "iou-half", {"value": "0.375"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    closed = htmx.split('id="answer-area" hx-swap-oob="true"', 1)[1]
    assert answer_url not in closed and "You have answered this question" in closed


def test_it_counts_only_the_first_answer_of_the_day_for_mastery_and_review(
    student_client: Client, student: User, small_course: None
) -> None:
    answer_now(student_client, "iou-half", {"value": "0.375"})
    due = ReviewCard.objects.get(user=student).due
    another_try(student_client, "iou-half")
    retry = answer_now(student_client, "iou-half", {"value": "1/2"})
    assert retry.status_code == 200 and "✓ Correct." in retry.content.decode()
    assert QuizAttempt.objects.filter(user=student).count() == 2  # both kept
    assert progress(student, "iou-half") == (1, 0, False)
    card = ReviewCard.objects.get(user=student)
    assert (card.reviews, card.last_rating, card.due) == (1, "again", due)
    body = retry.content.decode()
    assert "A practice try" in body and "Next review of this question" in body
    # A third variant the same day: the day's first answer lies two variants
    # back, and still this one does not count.
    another_try(student_client, "iou-half")
    third = answer_now(student_client, "iou-half", {"value": "0.5"})
    assert "A practice try" in third.content.decode()
    assert QuizAttempt.objects.filter(user=student).count() == 3
    assert progress(student, "iou-half") == (1, 0, False)
    assert ReviewCard.objects.get(user=student).reviews == 1


def test_an_unreadable_first_answer_records_nothing_and_leaves_the_variant_open(
    student_client: Client, student: User, small_course: None
) -> None:
    seed = shown_seed(student_client, "iou-half")
    unreadable = post_answer(student_client, "iou-half", seed, {"value": "half"})
    assert unreadable.status_code == 422
    assert not QuestionProgress.objects.filter(user=student).exists()
    assert not QuizAttempt.objects.filter(user=student).exists()
    assert not ReviewCard.objects.filter(user=student).exists()
    assert shown_seed(student_client, "iou-half") == seed
    read = post_answer(student_client, "iou-half", seed, {"value": "0.5"})
    assert read.status_code == 200 and "✓ Correct." in read.content.decode()
    assert progress(student, "iou-half") == (1, 1, True)


def test_it_counts_the_first_answer_of_the_next_day_on_fresh_numbers(
    student_client: Client, student: User, small_course: None
) -> None:
    first = shown_seed(student_client, "tfidf-steps")
    answer_now(student_client, "tfidf-steps", _tfidf_parts(first, right=False))
    to_yesterday()
    today = shown_seed(student_client, "tfidf-steps")
    assert today is not None and today != first  # yesterday's answer stays shut
    right = post_answer(
        student_client, "tfidf-steps", today, _tfidf_parts(today, right=True)
    )
    assert "✓ Correct." in right.content.decode()
    assert "A practice try" not in right.content.decode()
    assert progress(student, "tfidf-steps") == (2, 1, True)
    card = ReviewCard.objects.get(user=student)
    assert (card.reviews, card.last_rating) == (2, "good")


def _tfidf_parts(seed: int | None, *, right: bool) -> dict[str, str]:
    spec = Question.objects.get(slug="tfidf-steps").spec
    values = variant_for(spec, seed or 0).answer
    slip = 1 if right else 2
    return {
        "part-tf": repr(values["tf"] * slip),
        "part-idf": repr(values["idf"]),
        "part-tfidf": repr(values["tfidf"]),
    }


@pytest.mark.parametrize(
    ("slug", "data", "echoes"),
    [
        ("nms-rule", {"choice": "0"}, ['IoU below 0.5 <strong class="your-answer">']),
        (
            "two-picks",
            {"choices": ["0", "1"]},
            [
                'Alpha pick <strong class="your-answer">',
                'Beta pick <strong class="your-answer">',
            ],
        ),
        ("iou-half", {"value": "3/8"}, ["Your answer: <code>3/8</code>"]),
        ("double", {"expression": "x*x"}, ["Your answer: <code>x*x</code>"]),
    ],
)
def test_it_echoes_your_answer_beside_the_correct_one(
    student_client: Client, small_course: None, slug: str, data: dict, echoes: list
) -> None:
    body = answer_now(student_client, slug, data).content.decode()
    flat = re.sub(r"\s+", " ", body)
    for echo in echoes:
        assert echo in flat, echo
    assert flat.count('class="your-answer"') == len(echoes)
    if slug in ("iou-half", "double"):
        assert "Correct answer: " in flat
    else:  # the right options are marked beside the chosen ones
        assert flat.count('<span class="ok">✓</span>') == (
            1 if slug == "nms-rule" else 2
        )
    reloaded = re.sub(
        r"\s+", " ", student_client.get(f"/questions/{slug}/").content.decode()
    )
    assert all(echo in reloaded for echo in echoes)  # the same after a reload


def test_it_echoes_each_part_of_a_multistep_answer(
    student_client: Client, small_course: None
) -> None:
    seed = shown_seed(student_client, "tfidf-steps")
    parts = _tfidf_parts(seed, right=False)
    body = post_answer(student_client, "tfidf-steps", seed, parts).content.decode()
    flat = re.sub(r"\s+", " ", body)
    correct = variant_for(Question.objects.get(slug="tfidf-steps").spec, seed or 0)
    for name, typed in parts.items():
        expected = f"{float(correct.answer[name[5:]]):.6g}"
        assert f"Your answer: <code>{typed}</code>" in flat, name
        assert f"correct answer: {expected}" in flat, name


def test_it_escapes_what_the_student_typed(small_course: None) -> None:
    shown = present(Question.objects.get(slug="iou-half"), 0)
    echo = answer_review(shown, {"value": "<b>1</b>\n2"}, CheckResult(True))
    assert echo.yours == "<code>&lt;b&gt;1&lt;/b&gt;; 2</code>"


def test_it_keeps_a_parameterised_variant_until_new_numbers_are_asked_for(
    student_client: Client, small_course: None
) -> None:
    slug = "tfidf-steps"
    seed = shown_seed(student_client, slug)
    assert seed is not None and shown_seed(student_client, slug) == seed
    another_try(student_client, slug)  # not answered yet: nothing to skip
    assert shown_seed(student_client, slug) == seed
    post_answer(student_client, slug, seed, _tfidf_parts(seed, right=False))
    reloaded = student_client.get(f"/questions/{slug}/").content.decode()
    word = variant_for(Question.objects.get(slug=slug).spec, seed).values["word"]
    assert word in reloaded and shown_seed(student_client, slug) is None
    assert "New numbers" in reloaded and "Try again" not in reloaded
    moved = another_try(student_client, slug)
    assert moved.status_code == 302 and moved["Location"] == f"/questions/{slug}/"
    fresh = shown_seed(student_client, slug)
    assert fresh is not None and fresh != seed
    another_try(student_client, slug)  # asked twice: still the same new variant
    assert shown_seed(student_client, slug) == fresh


def test_it_follows_the_same_rules_in_review(
    student_client: Client, student: User, small_course: None
) -> None:
    seed = shown_seed(student_client, "nms-rule", "?review=1")
    data = {"choice": "0", "review": "1"}
    wrong = post_answer(student_client, "nms-rule", seed, data).content.decode()
    assert "Reviews done" in wrong and "(your answer)" in wrong
    replayed = post_answer(student_client, "nms-rule", seed, {**data, "choice": "1"})
    assert replayed.status_code == 409
    page = student_client.get("/questions/nms-rule/?review=1").content.decode()
    assert shown_seed(student_client, "nms-rule", "?review=1") is None
    assert '<input type="hidden" name="review" value="1">' in page.split("Try again")[0]
    moved = another_try(student_client, "nms-rule", review="1")
    assert moved["Location"] == "/questions/nms-rule/?review=1"
    assert progress(student, "nms-rule") == (1, 0, False)


def test_a_review_on_a_later_day_never_shows_the_answer_first(
    student_client: Client, student: User, small_course: None
) -> None:
    answer_now(student_client, "nms-rule", {"choice": "0"})
    to_yesterday()
    ReviewCard.objects.update(due=timezone.now() - timedelta(minutes=1))
    page = student_client.get("/questions/nms-rule/?review=1").content.decode()
    assert "your-answer" not in page and "option-feedback" not in page
    right = answer_now(student_client, "nms-rule", {"choice": "1", "review": "1"})
    assert "✓ Correct." in right.content.decode()
    assert progress(student, "nms-rule") == (2, 1, True)


def test_it_refuses_hints_for_an_answered_variant(
    student_client: Client, student: User, small_course: None
) -> None:
    seed = shown_seed(student_client, "iou-half")
    post_answer(student_client, "iou-half", seed, {"value": "0.375"})
    late = student_client.post("/questions/iou-half/hint", {"seed": seed})
    assert late.status_code == 409 and not HintUse.objects.exists()


@pytest.mark.parametrize("seed", ["", "abc", "-1", "9" * 30, str(2**48)])
def test_it_refuses_a_seed_it_never_issued_with_a_409(
    student_client: Client, small_course: None, seed: str
) -> None:
    response = student_client.post(
        "/questions/iou-half/answer", {"value": "1/2", "seed": seed}
    )
    assert response.status_code == 409 and "reload" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_asking_for_another_try_needs_a_sign_in(
    client: Client, small_course: None
) -> None:
    assert client.post("/questions/iou-half/").status_code == 401
