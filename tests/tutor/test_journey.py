"""The student's journey: dashboard, practice with hints, the review queue,
mock exams, and what a student may and may not see."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from exercises.models import HintUse, Question, QuizAttempt
from exercises.presentation import current_seed, present
from exercises.variants import variant_for
from tests.factories import ExamBlueprintFactory
from tutor import services
from tutor.models import MockExam, ReviewCard

pytestmark = pytest.mark.django_db


def answer(client: Client, user, slug: str, data: dict, **extra):
    seed = current_seed(user, Question.objects.get(slug=slug))
    return client.post(f"/questions/{slug}/answer", {**data, "seed": seed}, **extra)


def test_the_dashboard_shows_mastery_reviews_and_where_to_continue(
    student_client: Client, student, course: None
) -> None:
    empty = student_client.get("/").content.decode()
    assert "Nothing is due" in empty and "Mastery by topic" in empty
    answer(student_client, student, "yolo-iou-half-overlap", {"value": "0.4"})
    ReviewCard.objects.filter(user=student).update(
        due=timezone.now() - timedelta(minutes=1)
    )
    page = student_client.get("/").content.decode()
    assert "Due for review today" in page and "Review now" in page
    assert "/questions/" in page.split("Continue where you left off")[1][:600]
    assert 'class="bar-row"' in page


def test_a_wrong_answer_comes_back_for_review_the_next_day(
    student_client: Client, student, course: None
) -> None:
    response = answer(
        student_client, student, "yolo-iou-half-overlap", {"value": "0.5"}
    )
    card = ReviewCard.objects.get(user=student)
    assert card.last_rating == "again"
    assert timedelta(hours=23) < card.due - timezone.now() < timedelta(hours=25)
    assert "Next review of this question" in response.content.decode()


def test_a_right_answer_waits_longer_and_a_hint_makes_it_sooner(
    student, course: None
) -> None:
    question = Question.objects.get(slug="yolo-iou-half-overlap")
    good = services.review_record(user=student, question=question, correct=True)
    now = timezone.now()
    assert good.last_rating == "good" and good.due - now > timedelta(days=1, hours=12)
    other = Question.objects.get(slug="tfidf-tf-of-this")
    hard = services.review_record(
        user=student, question=other, correct=True, hints_used=1
    )
    assert hard.last_rating == "hard" and hard.due < good.due


def test_the_review_queue_lists_due_items_first(
    student_client: Client, student, course: None
) -> None:
    for slug in ("yolo-iou-half-overlap", "tfidf-tf-of-this"):
        services.review_record(
            user=student, question=Question.objects.get(slug=slug), correct=False
        )
    ReviewCard.objects.filter(question__slug="tfidf-tf-of-this").update(
        due=timezone.now() - timedelta(hours=1)
    )
    page = student_client.get("/review/").content.decode()
    due_part, upcoming_part = page.split("Coming up")
    assert "tfidf-tf-of-this" in due_part and "yolo-iou-half-overlap" in upcoming_part
    assert "?review=1" in due_part


def test_hints_are_revealed_one_at_a_time_and_recorded(
    student_client: Client, student, course: None
) -> None:
    question = Question.objects.get(slug="yolo-iou-variant")
    Question.objects.filter(pk=question.pk).update(
        hints=["Find the overlap first.", "Divide by the union."]
    )
    seed = current_seed(student, question)
    page = student_client.get("/questions/yolo-iou-variant/").content.decode()
    assert "Find the overlap first." not in page and "Show a hint (1 of 2)" in page
    first = student_client.post(
        "/questions/yolo-iou-variant/hint", {"seed": seed}
    ).content.decode()
    assert "Find the overlap first." in first and "Divide by the union." not in first
    student_client.post("/questions/yolo-iou-variant/hint", {"seed": seed})
    assert (
        student_client.post(
            "/questions/yolo-iou-variant/hint", {"seed": seed}
        ).status_code
        == 404
    )
    assert HintUse.objects.filter(user=student).count() == 2
    right = variant_for(question.spec, seed).answer
    student_client.post(
        "/questions/yolo-iou-variant/answer", {"value": repr(right), "seed": seed}
    )
    attempt = QuizAttempt.objects.get(user=student)
    assert attempt.is_correct and attempt.hints_used == 2
    assert ReviewCard.objects.get(user=student).last_rating == "hard"


def test_a_practice_session_moves_to_the_next_question(
    student_client: Client, student, course: None
) -> None:
    start = student_client.get("/topics/yolo/practise")
    assert start.status_code == 302 and start["Location"].startswith("/questions/")
    first = start["Location"].strip("/").split("/")[-1]
    response = answer(
        student_client, student, first, {"value": "0", "choice": "0", "order": []}
    )
    body = response.content.decode()
    assert "Next question" in body
    assert f"/questions/{first}/" not in body.split("Next question")[0][-200:]


def test_a_mock_exam_gives_no_feedback_until_it_is_submitted(
    student_client: Client, student, course: None
) -> None:
    blueprint = ExamBlueprintFactory(
        name="YOLO and TF-IDF",
        duration_minutes=15,
        rules=[{"topic": "6.10", "count": 2}, {"topic": "7.2", "count": 1}],
    )
    response = student_client.post("/exams/start", {"blueprint": blueprint.pk})
    exam = MockExam.objects.get(user=student)
    assert response.status_code == 302 and response["Location"] == f"/exams/{exam.pk}/"
    assert exam.items.count() == 3
    paper = student_client.get(f"/exams/{exam.pk}/").content.decode()
    assert (
        "Time left" in paper
        and "Correct answer" not in paper
        and 'class="explanation"' not in paper
        and "option-feedback" not in paper
    )
    for item in exam.items.select_related("question"):
        assert (
            item.question.explanation[:40] not in paper or not item.question.explanation
        )
    item = exam.items.select_related("question").first()
    saved = student_client.post(
        f"/exams/{exam.pk}/items/{item.position}", {"value": "0.25", "choice": "0"}
    )
    assert saved.status_code == 200 and "saved" in saved.content.decode()
    assert "Correct" not in saved.content.decode()
    student_client.post(f"/exams/{exam.pk}/submit")
    exam.refresh_from_db()
    assert (
        not exam.is_open
        and exam.score is not None
        and set(exam.by_topic) == {"6.10", "7.2"}
    )
    script = student_client.get(f"/exams/{exam.pk}/").content.decode()
    assert "Your script" in script and "By topic" in script


def test_the_servers_clock_closes_the_paper(
    student_client: Client, student, course: None
) -> None:
    exam = services.exam_start(user=student)
    item = exam.items.first()
    MockExam.objects.filter(pk=exam.pk).update(
        deadline=timezone.now() - timedelta(seconds=1)
    )
    late = student_client.post(
        f"/exams/{exam.pk}/items/{item.position}", {"value": "1"}
    )
    assert late.status_code == 409 and "time" in late.content.decode().lower()
    exam.refresh_from_db()
    assert exam.timed_out and not exam.is_open and exam.score == 0.0
    assert (
        MockExam.objects.get(pk=exam.pk).items.filter(answer__isnull=False).count() == 0
    )


def test_a_student_sees_only_their_own_exams_attempts_and_submissions(
    student_client: Client, other_student, course: None
) -> None:
    theirs = services.exam_start(user=other_student)
    assert student_client.get(f"/exams/{theirs.pk}/").status_code == 404
    assert student_client.post(f"/exams/{theirs.pk}/submit").status_code == 404
    assert (
        student_client.post(f"/exams/{theirs.pk}/items/0", {"value": "1"}).status_code
        == 404
    )


def test_unanswered_questions_keep_their_answers_on_the_server(
    student_client: Client, student, course: None
) -> None:
    for question in Question.objects.filter(is_published=True):
        page = student_client.get(f"/questions/{question.slug}/").content.decode()
        for option in question.spec.get("options", []):
            if option.get("explanation"):
                assert option["explanation"][:50] not in page, question.slug
        if question.explanation and "{{" not in question.explanation:
            assert question.explanation.strip()[:60] not in page, question.slug
        if question.kind == "numeric" and "answer" in question.spec:
            assert not _shows_number(page, question), question.slug


def _shows_number(page: str, question: Question) -> bool:
    """Whether the answer appears as a number of its own in the page's main
    part, outside the prompt (which may well mention it: "20 points")."""
    answer = question.spec["answer"]
    if answer in (0, 1):
        return False
    start = page.index(">", page.index("<main")) + 1  # after tabindex="-1"
    main = page[start : page.index("</main>")]
    text = main.replace(present(question, 0).prompt, "")
    number = re.escape(f"{answer!r}"[:8])
    return re.search(rf"(?<![\w./]){number}(?![\w/]|\.\d)", text) is not None


def test_every_form_needs_its_csrf_token(student, course: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    assert (
        client.post(
            "/questions/yolo-iou-half-overlap/answer", {"value": "1/3", "seed": "0"}
        ).status_code
        == 403
    )
    assert client.post("/exercises/iou/submit", {"source": "x = 1"}).status_code == 403
    assert client.post("/exams/start").status_code == 403


def test_markdown_from_the_admin_is_sanitised(
    student_client: Client, course: None
) -> None:
    Question.objects.filter(slug="yolo-nms-iou-threshold").update(
        prompt='Which box? <script>alert("x")</script><img src=x onerror="alert(1)"> [link](javascript:alert(1))'
    )
    page = student_client.get("/questions/yolo-nms-iou-threshold/").content.decode()
    assert (
        "<script>alert" not in page
        and "onerror" not in page
        and "javascript:alert" not in page
    )
