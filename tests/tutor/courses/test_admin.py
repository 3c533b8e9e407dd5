"""The courses in the admin, for site staff: every page opens, and an extension
added there records who granted it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.factories.courses import (
    AssignmentItemFactory,
    ExtensionFactory,
    MembershipFactory,
    WorkFactory,
)
from tutor.courses.models import Extension

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db: None) -> Client:
    client = Client()
    client.force_login(UserFactory(superuser=True, username="root"))
    return client


def test_every_courses_admin_page_opens(root) -> None:
    item = AssignmentItemFactory()
    membership = MembershipFactory(course=item.assignment.course)
    extension = ExtensionFactory(assignment=item.assignment, user=membership.user)
    work = WorkFactory(assignment=item.assignment, item=item, user=membership.user)
    pages = [
        "/admin/courses/",
        "/admin/courses/course/",
        "/admin/courses/course/add/",
        f"/admin/courses/course/{item.assignment.course_id}/change/",
        "/admin/courses/assignment/",
        "/admin/courses/assignment/add/",
        f"/admin/courses/assignment/{item.assignment_id}/change/",
        "/admin/courses/extension/",
        f"/admin/courses/extension/{extension.pk}/change/",
        "/admin/courses/work/",
        f"/admin/courses/work/{work.pk}/change/",
    ]
    assert {page: root.get(page).status_code for page in pages} == dict.fromkeys(
        pages, 200
    )


def test_an_extension_added_in_the_admin_records_who_granted_it(root) -> None:
    item = AssignmentItemFactory()
    student = MembershipFactory(course=item.assignment.course).user
    due = item.assignment.due_at + timedelta(days=2)
    response = root.post(
        "/admin/courses/extension/add/",
        {
            "assignment": item.assignment_id,
            "user": student.pk,
            "due_at_0": due.strftime("%Y-%m-%d"),
            "due_at_1": due.strftime("%H:%M:%S"),
            "late_until_0": "",
            "late_until_1": "",
            "reason": "Illness",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    extension = Extension.objects.select_related("granted_by").get()
    assert extension.user == student
    assert extension.granted_by is not None and extension.granted_by.username == "root"
