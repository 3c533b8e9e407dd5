"""Browsing pages, the practice flow and the accounts' pages over HTTP."""

import pytest
from django.test import Client

from exercises.models import Question, QuestionProgress, QuizAttempt, Submission
from exercises.presentation import current_seed
from tests.factories import IOU_SOURCE

pytestmark = pytest.mark.django_db


def post_answer(client: Client, user, slug: str, data: dict, **extra):
    """Answer the variant the student is shown now (the form carries its seed)."""
    seed = current_seed(user, Question.objects.get(slug=slug))
    return client.post(f"/questions/{slug}/answer", {**data, "seed": seed}, **extra)


def test_it_serves_home_lecture_topic_and_cheatsheet(
    client: Client, course: None
) -> None:
    home = client.get("/")
    assert home.status_code == 200 and b"Lecture 6" in home.content
    assert client.get("/lectures/lecture-6/").status_code == 200
    topic = client.get("/topics/yolo/")
    assert topic.status_code == 200
    assert b"/questions/yolo-iou-half-overlap/" in topic.content
    assert b"/exercises/iou/" in topic.content
    sheet = client.get("/lectures/lecture-7/cheatsheet/")
    assert sheet.status_code == 200
    assert sheet.content.count(b"<math") >= 10
    assert b"\\frac" not in sheet.content  # typeset, not raw LaTeX


def test_unknown_things_are_404(student_client: Client, course: None) -> None:
    for url in [
        "/topics/nope/",
        "/questions/nope/",
        "/exercises/nope/",
        "/submissions/999/",
    ]:
        assert student_client.get(url).status_code == 404
    response = student_client.post("/exercises/nope/submit", {"source": IOU_SOURCE})
    assert response.status_code == 404


def test_healthz(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_a_question_page_hides_the_answer(student_client: Client, course: None) -> None:
    page = student_client.get("/questions/yolo-nms-iou-threshold/")
    assert page.status_code == 200
    assert b"why" not in page.content.lower() or b"option-feedback" not in page.content
    assert b"duplicate detection" not in page.content  # an option's explanation


def test_answering_a_numeric_question_right_and_wrong(
    student_client: Client, student, course: None
) -> None:
    slug = "yolo-iou-half-overlap"
    wrong = post_answer(
        student_client, student, slug, {"value": "0.375"}, HTTP_HX_REQUEST="true"
    )
    student_client.post(f"/questions/{slug}/")  # "Try again": a new attempt
    right = post_answer(
        student_client, student, slug, {"value": "1/3"}, HTTP_HX_REQUEST="true"
    )
    assert wrong.status_code == right.status_code == 200
    assert (
        "Not quite" in wrong.content.decode() and "✓ Correct" in right.content.decode()
    )
    assert b"<math" in right.content  # the explanation is typeset
    progress = QuestionProgress.objects.get()  # the first answer of the day counts
    assert (progress.attempts, progress.correct, progress.last_correct) == (1, 0, False)


def test_an_unreadable_answer_is_422_and_not_counted(
    student_client: Client, student, course: None
) -> None:
    response = post_answer(
        student_client,
        student,
        "yolo-iou-half-overlap",
        {"value": "a third"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "did not count" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_answering_a_choice_question_shows_every_explanation(
    student_client: Client, student, course: None
) -> None:
    response = post_answer(
        student_client, student, "yolo-nms-iou-threshold", {"choice": "1"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Not quite" in body and "duplicate detection" in body


def test_a_seed_the_student_was_never_shown_is_refused(
    student_client: Client, course: None
) -> None:
    response = student_client.post(
        "/questions/yolo-iou-variant/answer", {"value": "0.5", "seed": "12345"}
    )
    assert response.status_code == 409 and "reload" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_the_form_check_reads_without_using_an_attempt(
    student_client: Client, course: None
) -> None:
    ok = student_client.post(
        "/questions/lstm-cell-gradient/check", {"expression": "f*1"}
    )
    assert ok.status_code == 200 and "<math" in ok.content.decode()
    bad = student_client.post(
        "/questions/lstm-cell-gradient/check", {"expression": "f*"}
    )
    assert bad.status_code == 422 and "character" in bad.content.decode()
    assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize(
    ("slug", "right", "wrong"),
    [
        ("lstm-cell-gradient", {"expression": "f"}, {"expression": "f*g"}),
        (
            "sigmoid-derivative",
            {"expression": "sigma(x)-sigma(x)^2"},
            {"expression": "sigma(x)"},
        ),
        (
            "yolo-nms-steps-order",
            {"order": ["0", "1", "2", "3", "4"]},
            {"order": ["1", "0", "2", "3", "4"]},
        ),
    ],
)
def test_each_kind_of_question_is_marked_right_and_wrong(
    student_client: Client, student, course: None, slug: str, right: dict, wrong: dict
) -> None:
    bad = post_answer(student_client, student, slug, wrong)
    student_client.post(f"/questions/{slug}/")  # "Try again": a new attempt
    good = post_answer(student_client, student, slug, right)
    assert bad.status_code == good.status_code == 200
    assert (
        "✓ Correct" in good.content.decode() and "✓ Correct" not in bad.content.decode()
    )
    assert "Correct answer" in good.content.decode() or slug == "yolo-nms-steps-order"


def test_a_parameterised_multistep_question_is_marked_part_by_part(
    student_client: Client, student, course: None
) -> None:
    from exercises.variants import variant_for

    question = Question.objects.get(slug="tfidf-by-hand")
    seed = current_seed(student, question)
    variant = variant_for(question.spec, seed)
    page = student_client.get("/questions/tfidf-by-hand/")
    assert f'value="{seed}"' in page.content.decode()
    assert variant.values["word"] in page.content.decode()
    data = {
        "part-tf": repr(variant.answer["tf"] * 2),
        "part-idf": repr(variant.answer["idf"]),
        "part-tfidf": repr(variant.answer["tf"] * 2 * variant.answer["idf"]),
    }
    response = post_answer(student_client, student, "tfidf-by-hand", data)
    body = response.content.decode()
    assert response.status_code == 200 and "2 of 3 parts right" in body
    assert "earlier slip is marked once" in body


def test_answering_without_signing_in_is_401(client: Client, course: None) -> None:
    response = client.post("/questions/yolo-iou-half-overlap/answer", {"value": "1/3"})
    assert response.status_code == 401
    assert "Sign in" in response.content.decode()
    assert not QuizAttempt.objects.exists()
    assert (
        client.post("/exercises/iou/submit", {"source": IOU_SOURCE}).status_code == 401
    )
    assert not Submission.objects.exists()


def test_sign_up_creates_a_student_and_can_be_switched_off(
    client: Client, settings
) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "username": "dora",
            "email": "d@example.com",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    from django.contrib.auth.models import User

    assert User.objects.get(username="dora").groups.filter(name="students").exists()
    settings.SIGNUP_ENABLED = False
    assert client.get("/accounts/signup/").status_code == 403


def test_password_reset_mail_goes_to_the_console_backend(
    client: Client, student, mailoutbox
) -> None:
    response = client.post("/accounts/password_reset/", {"email": student.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "/accounts/reset/" in mailoutbox[0].body
