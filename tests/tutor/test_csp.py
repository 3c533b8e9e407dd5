"""The Content-Security-Policy header on every page, and the templates it
constrains: no inline script or handler; the code editor's one inline style
sheet allowed by its hash. (In a browser: tests/e2e/test_csp.py.)"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from exercises.models import CodingExercise, Question
from tests.factories import (
    PASSWORD,
    ExamBlueprintFactory,
    PersonalSheetFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
EDITOR_LAYOUT = ROOT / "node_modules" / "prism-code-editor" / "dist" / "layout.css"


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def assert_policy(response, url: str) -> None:
    directives = policy(response)
    assert directives, f"{url} ({response.status_code}) sends no policy"
    assert directives["default-src"] == ["'self'"], url
    assert directives["script-src"] == ["'self'"], url
    assert directives["object-src"] == ["'none'"], url
    assert directives["frame-ancestors"] == ["'none'"], url
    assert directives["form-action"] == ["'self'"], url
    assert directives["base-uri"] == ["'self'"], url
    assert "'unsafe-eval'" not in response["Content-Security-Policy"], url
    assert "'unsafe-inline'" not in directives["style-src"], url


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pages(course, student, instructor) -> dict[str, list[str]]:
    question = Question.objects.get(slug="yolo-iou-half-overlap")
    iou = CodingExercise.objects.get(slug="iou")
    submission = SubmissionFactory(
        user=student, exercise=iou, source="def iou(a, b):\n    return 0.0\n"
    )
    sheet = PersonalSheetFactory(user=student, title="Mine")
    blueprint = ExamBlueprintFactory(quick=True, name="Quick")
    anyone = [
        "/",
        "/lectures/lecture-6/",
        "/topics/yolo/",
        "/sheets/",
        "/sheets/all/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_reset/",
        "/topics/no-such-topic/",  # 404
    ]
    student_pages = [
        "/",
        f"/questions/{question.slug}/",
        "/exercises/iou/",
        f"/submissions/{submission.pk}/",
        f"/submissions/{submission.pk}/status",
        "/review/",
        "/exams/",
        f"/sheets/mine/{sheet.pk}/",
        f"/sheets/mine/{sheet.pk}/edit",
        "/sheets/mine/new",
        "/instructor/",  # 403
    ]
    instructor_pages = [
        "/instructor/",
        "/instructor/gradebook/",
        "/instructor/items/",
        "/instructor/regrade/",
        "/admin/",
        "/admin/exercises/question/",
        f"/admin/exercises/question/{question.pk}/change/",
        f"/admin/exercises/question/{question.pk}/preview/",
        f"/admin/exercises/codingexercise/{iou.pk}/change/",
        f"/admin/tutor/examblueprint/{blueprint.pk}/change/",
        "/admin/axes/accessattempt/",
    ]
    return {
        "anonymous": anyone,
        "student": student_pages,
        "instructor": instructor_pages,
    }


def test_every_page_sends_the_policy(pages, student, instructor) -> None:
    clients = {
        "anonymous": Client(),
        "student": signed_in(student),
        "instructor": signed_in(instructor),
    }
    for who, urls in pages.items():
        for url in urls:
            response = clients[who].get(url)
            assert response.status_code in {200, 403, 404}, (who, url)
            assert_policy(response, url)


def test_posted_and_refused_pages_send_the_policy_too(student) -> None:
    client = Client()
    wrong = {"username": student.username, "password": "wrong"}
    responses = [client.post("/accounts/login/", wrong) for _ in range(5)]
    assert [response.status_code for response in responses] == [200] * 4 + [429]
    for response in responses:
        assert_policy(response, "/accounts/login/")
    right = client.post(
        "/accounts/login/", {"username": student.username, "password": PASSWORD}
    )
    assert_policy(right, "/accounts/login/ (locked)")


def test_an_inline_pdf_is_left_to_the_browsers_viewer(
    student_client: Client, course, monkeypatch
) -> None:
    # Chrome's PDF viewer is refused under object-src 'none' (a blank page).
    monkeypatch.setattr(
        "tutor.views.sheets.html_to_pdf", lambda html: b"%PDF-1.4\n%%EOF\n"
    )
    response = student_client.get("/sheets/all/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in response
    assert response["X-Frame-Options"] == "DENY"


def test_the_allowed_inline_style_is_the_installed_editors_layout() -> None:
    if not EDITOR_LAYOUT.exists():
        pytest.skip("node_modules is not installed (npm ci)")
    digest = hashlib.sha256(EDITOR_LAYOUT.read_bytes()).digest()
    expected = f"'sha256-{base64.b64encode(digest).decode()}'"
    assert expected == settings.PRISM_EDITOR_LAYOUT_HASH, (
        "prism-code-editor's layout.css changed: set PRISM_EDITOR_LAYOUT_HASH in "
        f"tutor/settings.py to {expected}"
    )


# Served templates only: sheets/print.html is printed to PDF from a file (no
# HTTP response, no policy) and its text is the PDF cache's key.
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=.application/json)")


def test_no_served_template_has_inline_script_or_handlers() -> None:
    templates = sorted((ROOT / "templates").rglob("*.html"))
    assert templates
    for path in templates:
        if path.relative_to(ROOT / "templates").as_posix() == "sheets/print.html":
            continue
        text = path.read_text()
        assert not INLINE_HANDLER.search(text), path
        assert not INLINE_SCRIPT.search(text), path
        assert "javascript:" not in text, path
        assert "<style" not in text, path


def test_htmx_may_not_eval_or_inject_styles() -> None:
    for name in ["base.html", "admin/base_site.html"]:
        text = (ROOT / "templates" / name).read_text()
        assert '"includeIndicatorStyles": false' in text, name
        assert '"allowEval": false' in text, name
        assert '"allowScriptTags": false' in text, name
