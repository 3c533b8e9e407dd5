"""Only instructors reach the admin: students, staff outside the instructors
group and anonymous visitors get no admin page (a sign-in page instead)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from exercises.models import Question, Topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(course) -> list[str]:
    question = Question.objects.get(slug="bce-half")
    topic = Topic.objects.get(code="7.3")
    return [
        "/admin/",
        "/admin/exercises/question/",
        "/admin/exercises/question/add/",
        f"/admin/exercises/question/{question.pk}/change/",
        f"/admin/exercises/question/{question.pk}/preview/",
        f"/admin/exercises/topic/{topic.pk}/change/",
        "/admin/exercises/auditentry/",
        "/admin/exercises/submission/",
        "/admin/tutor/examblueprint/add/",
        "/admin/tutor/mockexam/",
        "/admin/tutor/personalsheet/",
    ]


@pytest.fixture
def plain_staff(db) -> User:
    return UserFactory(username="dave", is_staff=True)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["anonymous", "student", "plain_staff"])
def test_it_refuses_everyone_but_instructors(request, urls, who) -> None:
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_for(user)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    # The sign-in page shows no admin index, and says why to someone signed in.
    page = client.get("/admin/login/?next=/admin/")
    assert b"Site administration" not in page.content
    if user is not None:
        assert b"not authorized to access this page" in page.content


def test_a_student_cannot_change_anything(student, urls) -> None:
    question = Question.objects.get(slug="bce-half")
    response = client_for(student).post(
        f"/admin/exercises/question/{question.pk}/change/", {"title": "hacked"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.title != "hacked"


def test_instructors_and_superusers_get_in(instructor, urls) -> None:
    boss = UserFactory(username="erin", superuser=True)
    for user in (instructor, boss):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)
