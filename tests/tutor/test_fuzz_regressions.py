"""The 500s the input fuzz found (or was reported), each reproduced over HTTP:
bad input gets a clear 4xx, or is read as the wrong answer it is."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from exercises.models import (
    CodingExercise,
    Question,
    QuizAttempt,
    RegradeRun,
    Submission,
)
from exercises.presentation import current_seed
from tests.factories import SubmissionFactory
from tests.tutor.fuzzing import MULTIPART, multipart

pytestmark = pytest.mark.django_db
SOURCE = "def iou(a, b):\n    return 0.0\n"


def _answer(client: Client, user: User, slug: str, parts: dict[str, str]):
    seed = current_seed(user, Question.objects.get(slug=slug))
    data = {f"part-{name}": value for name, value in parts.items()}
    return client.post(f"/questions/{slug}/answer", {**data, "seed": seed})


def test_it_marks_the_ascent_step_with_one_number_in_every_part(
    student_client: Client, student: User, course: None
) -> None:
    response = _answer(
        student_client,
        student,
        "visualising-ascent-step",
        {"h": "0.5", "grad": "0.5", "x_new": "0.5"},
    )
    assert response.status_code == 200
    attempt = QuizAttempt.objects.get(question__slug="visualising-ascent-step")
    assert not attempt.is_correct and attempt.score == 0


def test_it_marks_the_linear_fool_when_the_perturbed_input_has_the_wrong_shape(
    student_client: Client, student: User, course: None
) -> None:
    response = _answer(
        student_client,
        student,
        "adversarial-linear-fool-by-hand",
        {"score": "0", "x_new": "0.5", "after": "1"},
    )
    assert response.status_code == 200
    assert not QuizAttempt.objects.get().is_correct


def test_it_refuses_code_with_a_lone_surrogate(
    student_client: Client, course: None
) -> None:
    body = json.dumps({"source": "def iou(a, b):\n    return '\ud800'\n"})
    response = student_client.post(
        "/exercises/iou/submit", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Your code is not valid UTF-8 text."
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    "body", [b"[" * 100_000, b'{"source": 1' + b"0" * 5000 + b"}"], ids=["deep", "long"]
)
def test_it_refuses_json_that_python_cannot_read(
    student_client: Client, course: None, body: bytes
) -> None:
    response = student_client.generic(
        "POST", "/exercises/iou/submit", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "The request body is not valid JSON."


def _csrf_client(user: User) -> tuple[Client, str]:
    """A client that is checked for its CSRF token, as browsers are."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/exercises/iou/")
    return client, client.cookies["csrftoken"].value


def test_it_refuses_invalid_utf8_in_a_multipart_source_field(
    student: User, course: None
) -> None:
    client, token = _csrf_client(student)
    body = multipart(
        [
            ("csrfmiddlewaretoken", token.encode()),
            ("source", b"# caf\xe9\n" + SOURCE.encode()),
        ]
    )
    response = client.generic(
        "POST", "/exercises/iou/submit", body, content_type=MULTIPART
    )
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert not Submission.objects.exists()


def test_it_stores_a_multipart_submission_exactly_behind_the_csrf_check(
    student: User, course: None
) -> None:
    client, token = _csrf_client(student)
    source = "# café, \ufffd kept as typed\n" + SOURCE
    body = multipart(
        [("csrfmiddlewaretoken", token.encode()), ("source", source.encode())]
    )
    response = client.generic(
        "POST", "/exercises/iou/submit", body, content_type=MULTIPART
    )
    assert response.status_code == 302
    assert Submission.objects.get().source == source
    forged = client.generic(
        "POST", "/exercises/iou/submit", multipart([("source", b"x")]),
        content_type=MULTIPART,
    )  # fmt: skip
    assert forged.status_code == 403  # still checked, once the body is read


def test_it_refuses_code_sent_in_a_format_it_does_not_read(
    student_client: Client, course: None
) -> None:
    response = student_client.generic(
        "POST", "/exercises/iou/submit", SOURCE.encode(), content_type="text/plain"
    )
    assert response.status_code == 415
    assert "form field `source`" in response.content.decode()


@pytest.mark.parametrize("value", ["²", "9" * 5000, "-3", "abc"])
def test_it_opens_the_editor_on_the_last_code_whatever_from_says(
    student_client: Client, student: User, course: None, value: str
) -> None:
    SubmissionFactory(
        user=student, exercise=CodingExercise.objects.get(slug="iou"),
        source="# the last one\n" + SOURCE, status=Submission.Status.DONE,
    )  # fmt: skip
    response = student_client.get("/exercises/iou/", {"from": value})
    assert response.status_code == 200
    assert "# the last one" in response.content.decode()


@pytest.mark.parametrize("value", ["²", "9" * 5000, "-1"])
def test_it_ignores_a_weakest_count_that_is_not_a_count(
    student_client: Client, course: None, value: str
) -> None:
    response = student_client.get("/sheets/mine/new", {"weakest": value})
    assert response.status_code == 200


def test_it_refuses_a_topic_id_too_large_for_the_database(
    student_client: Client, course: None
) -> None:
    response = student_client.post(
        "/sheets/mine/new", {"title": "Mine", "topics": [str(2**64), str(2**70)]}
    )
    assert response.status_code == 400
    assert "is not one of the topics" in response.content.decode()


@pytest.mark.parametrize("route", ["start", "short-passes"])
@pytest.mark.parametrize("value", ["²", "9" * 5000, "0"])
def test_it_refuses_a_regrade_of_an_exercise_that_is_not_one(
    client: Client, instructor: User, course: None, route: str, value: str
) -> None:
    client.force_login(instructor)
    response = client.post(f"/instructor/regrade/{route}", {"exercise": value})
    assert response.status_code == 404
    assert "No such exercise" in response.content.decode()
    assert not RegradeRun.objects.exists()


def test_it_skips_submission_ids_that_are_not_ids(
    client: Client, instructor: User, course: None
) -> None:
    client.force_login(instructor)
    response = client.post(
        "/instructor/regrade/start", {"submission": ["²", "9" * 5000, "-1"]}
    )
    assert response.status_code == 302  # back to the list: nothing was chosen
    assert not RegradeRun.objects.exists()
