"""The site's frame and its forms, as HTML: the skip link, landmarks, errors
tied to their fields, and the dashboard's mastery list whose words carry the
figures."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from exercises.models import Question, Topic
from tests.factories import QuestionProgressFactory

pytestmark = pytest.mark.django_db


def test_it_skips_to_the_main_landmark(client: Client) -> None:
    html = client.get("/").content.decode()
    body = html[html.index("<body") :]
    first_link = re.search(r"<a [^>]*>[^<]*</a>", body)
    assert first_link is not None
    assert first_link.group(0) == (
        '<a class="skip-link" href="#main">Skip to main content</a>'
    )
    assert '<main class="container" id="main" tabindex="-1">' in html
    assert '<nav aria-label="Site">' in html


def test_it_ties_the_sign_in_error_to_both_fields(
    client: Client, student: User
) -> None:
    html = client.post(
        "/accounts/login/", {"username": student.username, "password": "wrong"}
    ).content.decode()
    assert 'id="login-error"' in html
    assert html.count('aria-invalid="true" aria-describedby="login-error"') == 2
    assert f'value="{student.username}"' in html
    fresh = client.get("/accounts/login/").content.decode()
    assert "aria-invalid" not in fresh and "login-error" not in fresh


def test_it_ties_the_sign_up_errors_to_their_fields(
    client: Client, student: User
) -> None:
    html = client.post(
        "/accounts/signup/",
        {
            "username": student.username,
            "password1": "a-long-enough-passphrase",
            "password2": "another-one",
        },
    ).content.decode()
    for field in ("username", "password2"):
        describedby = re.search(
            rf'<input [^>]*aria-describedby="([^"]+)"[^>]*id="id_{field}"', html
        )
        assert describedby is not None, field
        assert f"id_{field}_error" in describedby.group(1).split()
        assert f'id="id_{field}_error"' in html


def test_it_ties_the_sheet_errors_to_their_fields(
    student_client: Client, course: None
) -> None:
    gru = Topic.objects.get(code="7.9")
    response = student_client.post(
        "/sheets/mine/new", {"title": " ", "topics": [], "note-gru": "x" * 2001}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true" aria-describedby="title-error"' in html
    assert re.search(r'id="title-error">\s*This field is required', html)
    assert 'id="topics-error">Choose at least one topic.' in html
    assert html.count('aria-describedby="topics-error"') == 2  # both lectures
    note = re.search(r"<textarea [^>]*id=\"id_note-gru\"[^>]*>", html)
    assert note is not None
    assert 'aria-invalid="true"' in note.group(0)
    assert 'aria-describedby="id_note-gru_error"' in note.group(0)
    assert 'id="id_note-gru_error"' in html
    assert "3 things to fix below" in html
    assert gru.title in html


def test_the_sheet_form_has_no_error_marks_before_a_save(
    student_client: Client, course: None
) -> None:
    html = student_client.get("/sheets/mine/new").content.decode()
    assert "aria-invalid" not in html and "aria-describedby" not in html


def test_the_mastery_chart_is_a_list_of_links_with_their_figures(
    student_client: Client, student: User, course: None
) -> None:
    questions = Question.objects.filter(topic__code="6.10", is_published=True)
    for question, correct in ((questions[0], True), (questions[1], False)):
        QuestionProgressFactory(
            user=student,
            question=question,
            attempts=1,
            correct=int(correct),
            last_correct=correct,
            last_attempt_at=timezone.now(),
        )
    html = student_client.get("/").content.decode()
    chart = html[html.index('<ol class="mastery-chart"') :]
    chart = chart[: chart.index("</ol>")]
    assert chart.count("<li>") == Topic.objects.count()
    yolo = Topic.objects.get(code="6.10")
    assert (
        f"6.10 {yolo.title}: 1 of {questions.count()} questions answered "
        "correctly, 2 attempted</span>"
    ) in chart
    assert "title=" not in chart
    assert 'role="img"' not in chart
    # The bars and the short count are hidden from assistive technology.
    assert chart.count('class="track" aria-hidden="true"') == Topic.objects.count()
