"""Names and Role Provisioning: the roster fetched page by page (the next
page's URL keeps its case), stored with who has launched, from the staff's
roster page."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories.courses import MembershipFactory
from tests.lti.grading import link_course, student_launch
from tests.lti.platform import INSTRUCTOR, LEARNER, TA, Platform
from tutor.lti import roster
from tutor.lti.models import LtiContext, RosterMember

pytestmark = pytest.mark.django_db

MEMBERS = [
    {"user_id": "student-1", "name": "Ada", "roles": LEARNER, "status": "Active"},
    {
        "user_id": "student-2",
        "name": "Bo",
        "roles": LEARNER,
        "status": "Active",
        "email": "bo@school.example",
    },
    {
        "user_id": "student-3",
        "given_name": "Cy",
        "family_name": "Dee",
        "roles": LEARNER,
    },
    {"user_id": "ta-1", "name": "Tess", "roles": TA, "status": "Active"},
    {"user_id": "teacher-1", "name": "Prof", "roles": INSTRUCTOR, "status": "Active"},
]


@pytest.fixture
def context(registration, platform: Platform, assignment) -> LtiContext:
    link_course(registration, assignment)
    student_launch(platform, assignment)  # student-1 has launched
    platform.members = list(MEMBERS)
    return LtiContext.objects.get()


def test_every_page_is_fetched_and_who_launched_is_shown(
    context: LtiContext, platform: Platform, assignment
) -> None:
    assert roster.roster_sync(context_id=context.pk) == 5
    pages = platform.requests_to("GET", "/names_and_roles")
    assert len(pages) == 3 and "Token=AbC" in pages[-1].path
    assert platform.requests_to("GET", "/names_and_roles")[0].headers["Accept"] == (
        "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
    )
    [listed] = roster.rosters_of(assignment.course)
    rows = {row.name: row for row in listed.rows}
    assert rows["Ada"].launched is not None and rows["Bo"].launched is None
    assert rows["Cy Dee"].role == "student" and rows["Tess"].role == "ta"
    assert rows["Prof"].role == "instructor"
    assert listed.never_launched == 4


def test_members_no_longer_listed_are_kept_and_marked(
    context: LtiContext, platform: Platform
) -> None:
    roster.roster_sync(context_id=context.pk)
    platform.members = MEMBERS[:2]
    RosterMember.objects.update(synced_at=context.created_at)  # an earlier sync
    roster.roster_sync(context_id=context.pk)
    assert set(
        RosterMember.objects.filter(listed=False).values_list("user_id", flat=True)
    ) == {"student-3", "ta-1", "teacher-1"}


def test_a_failing_roster_service_is_stored_as_an_error(
    context: LtiContext, platform: Platform
) -> None:
    platform.fail_next("GET", "/names_and_roles", 500)
    assert roster.roster_sync(context_id=context.pk) is None
    context.refresh_from_db()
    assert "500" in context.roster_error and context.roster_synced_at is None


def test_the_roster_page_fetches_it_for_the_teaching_staff(
    context: LtiContext, assignment, django_capture_on_commit_callbacks
) -> None:
    ta = MembershipFactory(course=assignment.course, role="ta").user
    client = Client()
    client.force_login(ta)
    url = f"/lti/courses/{assignment.course.code}/roster/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "sync")
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url)
    assert b"being fetched" in page.content
    assert b"4 never launched" in page.content and b"Tess" in page.content
    again = client.post(url + "sync", follow=True)
    assert b"less than a minute ago" in again.content


def test_students_and_strangers_do_not_see_the_roster(context, assignment) -> None:
    url = f"/lti/courses/{assignment.course.code}/roster/"
    student = MembershipFactory(course=assignment.course).user
    client = Client()
    client.force_login(student)
    assert client.get(url).status_code == 403
    assert client.post(url + "sync").status_code == 403
    stranger = MembershipFactory().user
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to sign in
