"""Browsing pages, the practice flow and the code-submission flow over HTTP."""

import json

import pytest
from django.test import Client

from exercises.models import Question, QuestionProgress, QuizAttempt, Submission
from exercises.presentation import current_seed

pytestmark = pytest.mark.django_db
GOOD = (
    "def iou(a, b):\n"
    "    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))\n"
    "    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))\n"
    "    i = w * h\n"
    "    return i / ((a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - i)\n"
)


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
    response = student_client.post("/exercises/nope/submit", {"source": GOOD})
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
    assert client.post("/exercises/iou/submit", {"source": GOOD}).status_code == 401
    assert not Submission.objects.exists()


def test_the_coding_page_needs_a_sign_in(client: Client, course: None) -> None:
    response = client.get("/exercises/iou/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_submitting_code_shows_the_report(
    student_client: Client, course: None, django_capture_on_commit_callbacks
) -> None:
    page = student_client.get("/exercises/iou/")
    assert b"raise NotImplementedError" in page.content  # the starter code
    with django_capture_on_commit_callbacks(execute=True):
        response = student_client.post("/exercises/iou/submit", {"source": GOOD})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == "done"
    report = student_client.get(response["Location"])
    assert "cases passed" in report.content.decode()
    status = student_client.get(
        f"/submissions/{submission.pk}/status?format=json"
    ).json()
    assert status["status"] == "done" and status["passed"] == status["total"]
    assert (
        student_client.get("/exercises/iou/").content.count(
            GOOD.splitlines()[1].encode()
        )
        == 1
    )


def test_submitting_by_htmx_returns_the_status_partial(
    student_client: Client, course: None
) -> None:
    response = student_client.post(
        "/exercises/iou/submit", {"source": GOOD}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 201
    assert b"submission-status" in response.content


def test_submitting_json(student_client: Client, course: None) -> None:
    response = student_client.post(
        "/exercises/iou/submit",
        json.dumps({"source": GOOD}),
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["status"] == "queued"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "text"),
    [
        (b"source=", "application/x-www-form-urlencoded", 400, "empty"),
        (b"source=%0A%20%20", "application/x-www-form-urlencoded", 400, "empty"),
        (b"source=" + b"x" * 70_000, "application/x-www-form-urlencoded", 413, "limit"),
        (b"source=%E9t%E9", "application/x-www-form-urlencoded", 400, "UTF-8"),
        (b'{"source": "\xe9"}', "application/json", 400, "UTF-8"),
        (b'{"code": "x"}', "application/json", 400, "source"),
        (b"{nope", "application/json", 400, "JSON"),
    ],
)
def test_bad_code_gets_a_clear_message(
    student_client: Client,
    course: None,
    body: bytes,
    content_type: str,
    status: int,
    text: str,
) -> None:
    response = student_client.generic(
        "POST", "/exercises/iou/submit", body, content_type=content_type
    )
    assert response.status_code == status
    assert text in response.content.decode()
    assert not Submission.objects.exists()


def test_a_second_submission_while_one_is_queued_is_409(
    student_client: Client, student, course: None
) -> None:
    from exercises.models import CodingExercise

    first = Submission.objects.create(
        user=student, exercise=CodingExercise.objects.get(slug="iou"), source=GOOD
    )
    response = student_client.post("/exercises/iou/submit", {"source": GOOD + "\n# v2"})
    assert response.status_code == 409
    assert "being graded" in response.content.decode()
    assert list(Submission.objects.all()) == [first]
    first.refresh_from_db()
    assert first.source == GOOD and first.status == "queued"


def test_a_student_cannot_see_another_students_submission(
    student_client: Client, other_student, course: None
) -> None:
    from exercises.models import CodingExercise

    theirs = Submission.objects.create(
        user=other_student, exercise=CodingExercise.objects.get(slug="iou"), source=GOOD
    )
    assert student_client.get(f"/submissions/{theirs.pk}/").status_code == 404
    assert student_client.get(f"/submissions/{theirs.pk}/status").status_code == 404


def test_hidden_cases_keep_their_data_on_the_server(
    student_client: Client, course: None, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        student_client.post(
            "/exercises/iou/submit", {"source": "def iou(a, b):\n    return 0.777\n"}
        )
    submission = Submission.objects.get()
    hidden = [case for case in submission.report["cases"] if case["hidden"]]
    assert hidden
    page = student_client.get(f"/submissions/{submission.pk}/").content.decode()
    for case in hidden:
        assert str(case["inputs"]["box_a"]) not in page
        assert str(case["inputs"]["box_b"]) not in page
        if case["expected"] not in (0, 1):
            assert f"{case['expected']:.6g}" not in page
    assert "hidden case" in page


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


def test_the_status_follows_a_submission_through_the_queue_and_the_grader(
    student_client: Client, student, other_student, course: None
) -> None:
    from exercises.models import CodingExercise

    iou = CodingExercise.objects.get(slug="iou")
    Submission.objects.create(user=other_student, exercise=iou, source=GOOD)
    mine = Submission.objects.create(user=student, exercise=iou, source=GOOD)
    url = f"/submissions/{mine.pk}/status"
    status = student_client.get(f"{url}?format=json").json()
    assert (status["status"], status["queue_position"]) == ("queued", 1)
    assert "1 submission ahead of yours" in student_client.get(url).content.decode()

    Submission.objects.filter(pk=mine.pk).update(
        status="running", phase="running", cases_done=3, cases_total=16
    )
    status = student_client.get(f"{url}?format=json").json()
    assert (status["phase"], status["cases_done"], status["cases_total"]) == (
        "running",
        3,
        16,
    )
    assert status["progress"] == "Running case 4 of 16"
    partial = student_client.get(url).content.decode()
    assert "Running case 4 of 16" in partial
    assert 'value="3"' in partial and 'max="16"' in partial
    assert 'hx-trigger="every 1s"' in partial

    Submission.objects.filter(pk=mine.pk).update(phase="comparing", cases_done=16)
    assert "Comparing" in student_client.get(url).content.decode()
    Submission.objects.filter(pk=mine.pk).update(phase="starting", cases_done=0)
    assert "Starting" in student_client.get(f"{url}?format=json").json()["progress"]


def test_the_exercise_page_has_the_editor_hints_and_limits(
    student_client: Client, course: None
) -> None:
    page = student_client.get("/exercises/iou/").content.decode()
    assert "dist/editor.js" in page and 'data-editor="python"' in page
    assert '<textarea id="source"' in page and 'name="source"' in page
    assert "Show a hint (1 of 2)" in page and "Show another hint (2 of 2)" in page
    assert "5 s of CPU time" in page and "1024 MB of memory" in page
    assert "dist/editor.js" not in student_client.get("/topics/yolo/").content.decode()


def test_an_earlier_submission_opens_in_the_editor(
    student_client: Client, student, course: None
) -> None:
    from exercises.models import CodingExercise

    iou = CodingExercise.objects.get(slug="iou")
    first = Submission.objects.create(
        user=student, exercise=iou, source="# first try\n", status="done", score=0.25
    )
    Submission.objects.create(
        user=student, exercise=iou, source="# second try\n", status="done", score=1.0
    )
    page = student_client.get("/exercises/iou/").content.decode()
    assert "# second try" in page and "# first try" not in page  # the last one
    assert "25%" in page and "100%" in page
    page = student_client.get(f"/exercises/iou/?from={first.pk}").content.decode()
    assert "# first try" in page and "# second try" not in page
    listing = student_client.get("/exercises/iou/submissions").content.decode()
    assert f"?from={first.pk}" in listing
