"""Who may see the instructors' pages: students get a 403, anonymous visitors
the sign-in page, instructors the landing page and its links."""

from __future__ import annotations

import pytest
from django.test import Client

from exercises.models import RegradeRun
from tests.factories import RegradeRunFactory
from tests.tutor.gradebook_course import instructor_client

pytestmark = pytest.mark.django_db

GET_URLS = [
    "/instructor/",
    "/instructor/gradebook/",
    "/instructor/gradebook.csv",
    "/instructor/gradebook/students/{student}/",
    "/instructor/items/",
    "/instructor/regrade/",
    "/instructor/regrade/runs/{run}/",
    "/instructor/regrade/runs/{run}/progress",
]
POST_URLS = [
    "/instructor/regrade/start",
    "/instructor/regrade/runs/{run}/apply",
    "/instructor/regrade/runs/{run}/resume",
]


@pytest.fixture
def urls(student, instructor) -> dict[str, list[str]]:
    run = RegradeRunFactory(created_by=instructor)
    fill = {"student": student.pk, "run": run.pk}
    return {
        "get": [url.format(**fill) for url in GET_URLS],
        "post": [url.format(**fill) for url in POST_URLS],
    }


def test_a_student_gets_403_on_every_instructor_url(
    student_client: Client, urls
) -> None:
    for url in urls["get"]:
        response = student_client.get(url)
        assert response.status_code == 403, url
        assert "This page is for instructors" in response.content.decode()
    for url in urls["post"]:
        assert student_client.post(url).status_code == 403, url
    assert RegradeRun.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, urls) -> None:
    for url in urls["get"] + urls["post"]:
        response = client.get(url) if url in urls["get"] else client.post(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_an_instructor_reaches_the_landing_page_with_its_links(instructor) -> None:
    page = instructor_client(instructor).get("/instructor/").content.decode()
    for link in (
        "/instructor/gradebook/",
        "/instructor/items/",
        "/instructor/regrade/",
        "/admin/exercises/auditentry/",
        "/admin/",
    ):
        assert f'href="{link}' in page
