"""Report a problem: a student's note on a question or a coding exercise, the
instructors' queue in the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from exercises.models import CodingExercise, ProblemReport, Question
from exercises.presentation import current_seed
from exercises.services.reports import REPORTS_PER_HOUR
from tests.factories import (
    IOU_SOURCE,
    QuestionFactory,
    QuizAttemptFactory,
    SubmissionFactory,
)
from tests.factories.reports import ProblemReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(db: None) -> Question:
    return QuestionFactory(is_published=True)


@pytest.fixture
def iou(course: None) -> CodingExercise:
    return CodingExercise.objects.get(slug="iou")


def _url(kind: str, slug: str) -> str:
    return f"/report/{kind}/{slug}"


def test_it_shows_the_form_on_the_question_page(
    student_client: Client, question: Question
) -> None:
    page = student_client.get(question.get_absolute_url()).content.decode()
    assert "<summary>Report a problem</summary>" in page
    assert f'action="{_url("question", question.slug)}"' in page
    assert '<label for="report-problem-note">' in page


def test_it_hides_the_form_from_anonymous_visitors(
    client: Client, question: Question
) -> None:
    page = client.get(question.get_absolute_url()).content.decode()
    assert "Report a problem" not in page


def test_it_stores_a_report_on_a_question(
    student_client: Client, student: User, question: Question
) -> None:
    QuizAttemptFactory(user=student, question=question, answer={"value": "7"})
    response = student_client.post(
        _url("question", question.slug), {"note": "  The units are wrong.  "}
    )
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    report = ProblemReport.objects.get()
    assert report.user == student and report.question == question
    assert report.exercise is None and report.note == "The units are wrong."
    assert report.seed == current_seed(student, question)
    assert report.answer == {"value": "7"}
    assert report.status == ProblemReport.Status.OPEN
    page = student_client.get(response["Location"]).content.decode()
    assert "your report was sent to the instructors" in page


def test_it_confirms_in_place_for_htmx(
    student_client: Client, question: Question
) -> None:
    response = student_client.post(
        _url("question", question.slug),
        {"note": "Typo"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 201
    assert "your report was sent" in response.content.decode()


def test_it_stores_a_report_on_an_exercise_with_the_last_source(
    student_client: Client, student: User, iou: CodingExercise
) -> None:
    SubmissionFactory(user=student, exercise=iou, source=IOU_SOURCE)
    response = student_client.post(_url("exercise", "iou"), {"note": "Flaky case"})
    assert response.status_code == 302
    report = ProblemReport.objects.get()
    assert report.exercise is not None and report.exercise.slug == "iou"
    assert report.question is None and report.seed is None
    assert report.submission is None and report.source == IOU_SOURCE


def test_it_keeps_the_submission_reported_from(
    student_client: Client, student: User, iou: CodingExercise
) -> None:
    submission = SubmissionFactory(user=student, exercise=iou, source="x = 1")
    page = student_client.get(f"/submissions/{submission.pk}/").content.decode()
    assert f'name="submission" value="{submission.pk}"' in page
    response = student_client.post(
        _url("exercise", "iou"), {"note": "Odd report", "submission": submission.pk}
    )
    assert response["Location"] == f"/submissions/{submission.pk}/"
    report = ProblemReport.objects.get()
    assert report.submission == submission and report.source == "x = 1"


def test_it_refuses_another_students_submission(
    student_client: Client, other_student: User, iou: CodingExercise
) -> None:
    theirs = SubmissionFactory(user=other_student, exercise=iou)
    for value in (theirs.pk, "abc", "-1", "9" * 40):
        response = student_client.post(
            _url("exercise", "iou"), {"note": "x", "submission": value}
        )
        assert response.status_code == 400
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize("note", ["", "   \n", "x" * 2001])
def test_it_refuses_a_missing_or_long_note(
    student_client: Client, question: Question, note: str
) -> None:
    response = student_client.post(
        _url("question", question.slug),
        {"note": note},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["message"]
    assert not ProblemReport.objects.exists()


def test_it_takes_a_note_of_2000_characters(
    student_client: Client, question: Question
) -> None:
    response = student_client.post(
        _url("question", question.slug), {"note": "y" * 2000}
    )
    assert response.status_code == 302 and ProblemReport.objects.count() == 1


def test_it_limits_reports_per_hour(
    student_client: Client, student: User, question: Question
) -> None:
    ProblemReportFactory.create_batch(REPORTS_PER_HOUR, user=student)
    response = student_client.post(_url("question", question.slug), {"note": "more"})
    assert response.status_code == 429
    assert "limit is 10" in response.content.decode()
    assert ProblemReport.objects.count() == REPORTS_PER_HOUR


def test_it_needs_a_sign_in(client: Client, question: Question) -> None:
    response = client.post(_url("question", question.slug), {"note": "x"})
    assert response.status_code == 401
    assert not ProblemReport.objects.exists()


def test_it_is_post_only(student_client: Client, question: Question) -> None:
    assert student_client.get(_url("question", question.slug)).status_code == 405


def test_it_404s_on_unknown_items(student_client: Client, question: Question) -> None:
    assert (
        student_client.post(_url("question", "nope"), {"note": "x"}).status_code == 404
    )
    assert (
        student_client.post(_url("lecture", question.slug), {"note": "x"}).status_code
        == 404
    )
    unpublished = QuestionFactory(is_published=False)
    response = student_client.post(_url("question", unpublished.slug), {"note": "x"})
    assert response.status_code == 404


def test_it_checks_csrf(student: User, question: Question) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    response = client.post(_url("question", question.slug), {"note": "x"})
    assert response.status_code == 403
    assert not ProblemReport.objects.exists()


def test_it_lists_reports_for_instructors(instructor: User) -> None:
    report = ProblemReportFactory(note="Wrong sign in the hint")
    ProblemReportFactory(on_exercise=True, note="Other")
    client = Client()
    client.force_login(instructor)
    page = client.get("/admin/exercises/problemreport/?q=sign").content.decode()
    assert "Wrong sign in the hint" in page and "Other" not in page
    assert f'href="{report.question.get_absolute_url()}"' in page
    filtered = client.get("/admin/exercises/problemreport/?status__exact=resolved")
    assert "Wrong sign" not in filtered.content.decode()


def test_it_marks_reports_resolved(instructor: User) -> None:
    reports = ProblemReportFactory.create_batch(2)
    client = Client()
    client.force_login(instructor)
    response = client.post(
        "/admin/exercises/problemreport/",
        {"action": "mark_resolved", "_selected_action": [reports[0].pk]},
    )
    assert response.status_code == 302
    reports[0].refresh_from_db()
    reports[1].refresh_from_db()
    assert reports[0].status == ProblemReport.Status.RESOLVED
    assert reports[0].resolved_at is not None
    assert reports[1].status == ProblemReport.Status.OPEN


def test_students_cannot_see_the_queue(student_client: Client) -> None:
    ProblemReportFactory()
    response = student_client.get("/admin/exercises/problemreport/")
    assert response.status_code == 302
