"""The exports page and its downloads: instructors only, each download an
attachment with its content type and file name, the scope chosen from the
database."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from exercises.models import Topic
from tests.factories import CodingExerciseFactory, QuestionFactory, TopicFactory
from tests.tutor.gradebook_course import instructor_client

pytestmark = pytest.mark.django_db

DOWNLOADS = [
    "/instructor/exports/course.zip",
    "/instructor/exports/moodle.xml?scope=bank&variants=0",
    "/instructor/exports/prairielearn.zip",
    "/instructor/exports/prairielearn/iou.zip",
    "/instructor/exports/gradescope/iou.zip",
]
URLS = ["/instructor/exports/", *DOWNLOADS]


@pytest.fixture
def topic() -> Topic:
    exercise = CodingExerciseFactory(iou=True)
    QuestionFactory(topic=exercise.topic, title="How many boxes?")
    return exercise.topic


@pytest.fixture
def carol(instructor: User) -> Client:
    return instructor_client(instructor)


def attachment(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="'), disposition
    return disposition.removeprefix('attachment; filename="').removesuffix('"')


def test_it_refuses_students(student_client: Client, topic: Topic) -> None:
    for url in URLS:
        response = student_client.get(url)
        assert response.status_code == 403, url
        assert "Content-Disposition" not in response


def test_it_sends_anonymous_visitors_to_sign_in(client: Client, topic: Topic) -> None:
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_the_page_lists_every_download(carol: Client, topic: Topic) -> None:
    CodingExerciseFactory(own=True, is_published=True)
    page = carol.get("/instructor/exports/").content.decode()
    for url in DOWNLOADS:
        path = url.split("?")[0]
        assert f'href="{path}"' in page or f'action="{path}"' in page, path
    assert f'<option value="topic:{topic.code}">' in page
    assert "students submit <code>iou.py</code>" in page
    assert "1 own exercise (written in the admin" in page


def test_the_landing_page_links_the_exports(carol: Client) -> None:
    assert 'href="/instructor/exports/"' in carol.get("/instructor/").content.decode()


def test_the_course_zip(carol: Client, topic: Topic) -> None:
    response = carol.get("/instructor/exports/course.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert attachment(response) == f"course-bank-{timezone.localdate():%Y%m%d}.zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "bank/course.yaml" in names


def test_moodle_xml_of_a_topic_a_lecture_and_the_bank(
    carol: Client, topic: Topic
) -> None:
    other = TopicFactory()
    QuestionFactory(topic=other, title="Somewhere else")
    number = topic.lecture.number
    for scope, name in (
        (f"topic:{topic.code}", f"moodle-topic-{topic.code}.xml"),
        (f"lecture:{number}", f"moodle-lecture-{number}.xml"),
        ("bank", "moodle-bank.xml"),
    ):
        response = carol.get(
            "/instructor/exports/moodle.xml", {"scope": scope, "variants": 0}
        )
        assert response.status_code == 200, scope
        assert response["Content-Type"] == "application/xml"
        assert attachment(response) == name
        xml = response.content.decode()
        assert "How many boxes?" in xml
        assert ("Somewhere else" in xml) == (scope == "bank"), scope


@pytest.mark.parametrize(
    "query",
    [
        {"scope": "topic:99.99", "variants": 0},
        {"scope": "../../etc/passwd", "variants": 0},
        {"scope": "bank", "variants": 11},
        {"scope": "bank", "variants": -1},
        {"scope": "bank"},
    ],
)
def test_moodle_refuses_what_it_does_not_offer(
    carol: Client, topic: Topic, query: dict[str, object]
) -> None:
    response = carol.get("/instructor/exports/moodle.xml", query)
    assert response.status_code == 400
    assert "Content-Disposition" not in response


def test_the_grader_packages(carol: Client, topic: Topic) -> None:
    for url, name in (
        ("/instructor/exports/prairielearn/iou.zip", "prairielearn-iou.zip"),
        ("/instructor/exports/prairielearn.zip", "prairielearn-exercises.zip"),
        ("/instructor/exports/gradescope/iou.zip", "gradescope-iou.zip"),
    ):
        response = carol.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/zip"
        assert attachment(response) == name
        assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None


def test_no_package_for_an_own_exercise_or_a_draft(carol: Client) -> None:
    CodingExerciseFactory(own=True, is_published=True)
    CodingExerciseFactory(slug="draft", is_published=False)
    for slug in ("centre", "draft", "nowhere"):
        for kind in ("prairielearn", "gradescope"):
            url = f"/instructor/exports/{kind}/{slug}.zip"
            assert carol.get(url).status_code == 404, url
    assert carol.get("/instructor/exports/prairielearn.zip").status_code == 400
