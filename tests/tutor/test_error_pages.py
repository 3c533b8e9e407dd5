"""The site's error pages (400, 403, 404, 429, 500) and JSON error bodies, with
DEBUG off as in production; and the readable body given to an empty 4xx."""

from __future__ import annotations

import pytest
from django.conf import settings as site_settings
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import Client
from pytest_django.fixtures import Settings

from exercises.models import CodingExercise, Submission
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db
READABLE_ERRORS = "tutor.views.errors.ReadableErrorsMiddleware"
SOURCE = "def iou(a, b):\n    return 0.0\n"


@pytest.fixture(autouse=True)
def _production(settings: Settings) -> None:
    settings.DEBUG = False


@pytest.fixture
def readable_errors(settings: Settings) -> None:
    if READABLE_ERRORS not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, READABLE_ERRORS]


def _template_names(response) -> list[str]:
    return [template.name for template in response.templates]


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("400.html", "Bad request"),
        ("403.html", "Not for you"),
        ("404.html", "Not found"),
        ("429.html", "Too many requests"),
        ("500.html", "Something went wrong"),
    ],
)
def test_it_renders_each_error_page_without_a_request_or_a_query(
    name: str, heading: str, django_assert_num_queries
) -> None:
    with django_assert_num_queries(0):
        page = render_to_string(name)
    assert f'<h1 id="error-title">{heading}</h1>' in page
    assert "DL tutor" in page and "Back to the start page" in page
    assert "Sign in" in page  # the site's header, with nobody signed in


def test_it_answers_an_unknown_address_with_the_sites_404_page(client: Client) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "404.html" in _template_names(response)
    assert "There is nothing at this address" in response.content.decode()


def test_it_says_what_was_not_found(student_client: Client, course: None) -> None:
    response = student_client.get("/exercises/nope/")
    assert response.status_code == 404
    assert "No such coding exercise" in response.content.decode()
    assert "alice" in response.content.decode()  # the header still knows the user


def test_it_answers_a_json_client_with_a_json_404(
    student_client: Client, course: None
) -> None:
    response = student_client.get("/submissions/999/status?format=json")
    assert response.status_code == 404
    assert response.json() == {"error": "Not found", "message": "No such submission"}


def test_it_answers_a_student_on_an_instructor_page_with_the_403_page(
    student_client: Client,
) -> None:
    page = student_client.get("/instructor/")
    assert page.status_code == 403 and "403.html" in _template_names(page)
    assert "This page is for instructors." in page.content.decode()
    as_json = student_client.get("/instructor/", headers={"Accept": "application/json"})
    assert as_json.status_code == 403
    assert as_json.json()["message"] == "This page is for instructors."


def test_it_answers_an_oversize_body_with_413_and_the_limit(
    student_client: Client, course: None
) -> None:
    body = b"source=" + b"x" * (site_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = student_client.generic(
        "POST", "/exercises/iou/submit", body,
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 413
    assert "larger than the 2.5\xa0MB the site accepts" in response.content.decode()
    assert "400.html" in _template_names(response)
    assert not Submission.objects.exists()


def test_it_answers_an_oversize_form_anywhere_with_413(client: Client) -> None:
    body = b"username=" + b"x" * (site_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.generic(
        "POST", "/accounts/login/", body,
        content_type="application/x-www-form-urlencoded",
        headers={"Accept": "application/json"},
    )  # fmt: skip
    assert response.status_code == 413
    assert "larger than" in response.json()["message"]


@pytest.mark.parametrize(
    ("body", "content_type", "text"),
    [
        (b"&".join(b"f%d=1" % n for n in range(1100)),
         "application/x-www-form-urlencoded", "more fields"),
        (b"--x\r\nnonsense", "multipart/form-data", "not well-formed"),
    ],
)  # fmt: skip
def test_it_answers_a_form_django_cannot_read_with_400_and_why(
    client: Client, body: bytes, content_type: str, text: str
) -> None:
    response = client.generic(
        "POST", "/accounts/login/", body, content_type=content_type
    )
    assert response.status_code == 400
    assert text in response.content.decode()


def test_it_answers_a_crash_with_the_500_page_and_no_context(
    client: Client, student: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("exercises.selectors.lecture_list", crash)
    client.force_login(student)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "alice" not in response.content.decode()  # rendered without the request
    assert "boom" not in response.content.decode()
    as_json = client.get("/", headers={"Accept": "application/json"})
    assert as_json.status_code == 500
    assert as_json.json()["error"] == "Something went wrong"


def test_it_answers_the_submission_rate_limit_with_the_429_page(
    student_client: Client, student: User, course: None
) -> None:
    exercise = CodingExercise.objects.get(slug="iou")
    for _ in range(site_settings.GRADING_SUBMISSIONS_PER_MINUTE):
        SubmissionFactory(
            user=student,
            exercise=exercise,
            source=SOURCE,
            status=Submission.Status.DONE,
        )
    page = student_client.post("/exercises/iou/submit", {"source": SOURCE})
    assert page.status_code == 429 and "429.html" in _template_names(page)
    assert "the limit is" in page.content.decode()
    swapped = student_client.post(
        "/exercises/iou/submit", {"source": SOURCE}, headers={"HX-Request": "true"}
    )
    assert swapped.status_code == 429
    assert "<html" not in swapped.content.decode()  # the message alone, for htmx


def test_it_answers_a_json_client_in_json_when_signed_out(client: Client) -> None:
    response = client.post(
        "/exercises/iou/submit", {"source": SOURCE}, content_type="application/json"
    )
    assert response.status_code == 401
    assert "not signed in" in response.json()["message"]


def test_it_gives_an_empty_405_a_message_and_keeps_allow(
    student_client: Client, readable_errors: None
) -> None:
    response = student_client.get("/exercises/iou/submit")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "does not take a GET request (only POST)" in response.content.decode()
    as_json = student_client.get(
        "/exercises/iou/submit", headers={"Accept": "application/json"}
    )
    assert as_json.json()["error"] == "Not allowed here"


def test_it_leaves_a_head_request_and_a_body_already_written_alone(
    client: Client, instructor: User, readable_errors: None
) -> None:
    client.force_login(instructor)
    head = client.head("/exercises/iou/submit")
    assert head.status_code == 405 and head.content == b""
    csv = client.get("/instructor/gradebook.csv?start=nope")
    assert csv.status_code == 400 and csv["Content-Type"].startswith("text/plain")
    assert b"date" in csv.content.lower()


def test_it_installs_the_readable_errors_middleware() -> None:
    assert READABLE_ERRORS in site_settings.MIDDLEWARE, (
        "add tutor.views.errors.ReadableErrorsMiddleware to MIDDLEWARE in "
        "tutor/settings.py (after MessageMiddleware): the 405s of require_POST "
        "and of Django's own views have an empty body without it"
    )
