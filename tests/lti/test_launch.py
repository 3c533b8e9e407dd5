"""Launches that are accepted: the OIDC login, the sign-in, the course and
membership, the link's target; Canvas-like and Moodle-like platforms."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import StudentFactory
from tests.lti.conftest import register
from tests.lti.flow import launch, login, signed_in
from tests.lti.platform import INSTRUCTOR, LAUNCH_URL, TA, Platform
from tutor.courses.models import Course, Membership
from tutor.lti.models import LtiContext, LtiResourceLink, LtiUser

pytestmark = pytest.mark.django_db


def test_the_login_redirects_to_the_platform_with_a_state_and_a_nonce(
    registration, platform: Platform
) -> None:
    client = Client()
    step = login(client, platform)
    assert step.redirect_uri == LAUNCH_URL
    assert step.query["response_mode"] == "form_post"
    assert step.query["prompt"] == "none" and step.query["scope"] == "openid"
    assert step.query["response_type"] == "id_token"
    assert step.query["client_id"] == platform.client_id
    assert step.query["login_hint"] == "hint-42"
    assert step.query["lti_message_hint"] == "message-hint"
    cookie = client.cookies[f"lti1p3-{step.state}"]
    assert cookie["samesite"] == "None" and cookie["secure"] and cookie["httponly"]


def test_the_login_may_be_posted(registration, platform: Platform) -> None:
    response = Client().post(
        "/lti/login/",
        {
            "iss": platform.issuer,
            "login_hint": "h",
            "target_link_uri": LAUNCH_URL,
            "client_id": platform.client_id,
        },
        secure=True,
    )
    assert response.status_code == 302
    assert response["Location"].startswith(platform.auth_login_url)


def test_an_instructor_launch_makes_the_course_and_signs_in(
    registration, platform: Platform
) -> None:
    client = Client()
    response = launch(client, platform, sub="teacher-1", roles=INSTRUCTOR)
    assert response.status_code == 302 and signed_in(client)
    context = LtiContext.objects.get()
    course = context.course
    assert course is not None and course.title == "Deep learning"
    account = LtiUser.objects.get(sub="teacher-1")
    membership = Membership.objects.get(course=course, user=account.user)
    assert membership.role == "instructor" and membership.source == "lti"
    assert not account.user.is_staff and not account.user.is_superuser
    assert account.user.email == "teacher-1@school.example"
    assert not account.user.has_usable_password()
    assert context.lineitems_url == platform.lineitems_url
    assert context.memberships_url == platform.memberships_url


def test_a_student_launch_opens_the_assignment_named_by_the_custom_parameter(
    registration, platform: Platform, assignment
) -> None:
    LtiContext.objects.create(
        registration=registration, context_id="course-7", course=assignment.course
    )
    client = Client()
    response = launch(client, platform, custom={"assignment": assignment.slug})
    assert response.status_code == 302
    assert response["Location"] == _page(assignment)
    user = LtiUser.objects.get(sub="student-1").user
    assert client.session["_auth_user_id"] == str(user.pk)
    assert Membership.objects.get(course=assignment.course, user=user).role == "student"
    link = LtiResourceLink.objects.get()
    assert link.assignment == assignment and link.resource_link_id == "link-1"


def _page(assignment) -> str:
    return assignment.get_absolute_url()


def test_a_second_launch_is_the_same_account_and_keeps_it_up_to_date(
    registration, platform: Platform
) -> None:
    launch(Client(), platform, sub="teacher-1", roles=INSTRUCTOR)
    launch(Client(), platform, sub="teacher-1", roles=TA)
    account = LtiUser.objects.get()
    course = Course.objects.get()
    assert Membership.objects.get(course=course, user=account.user).role == "ta"
    assert LtiUser.objects.count() == 1


def test_accounts_are_never_matched_by_email(registration, platform: Platform) -> None:
    StudentFactory(username="x", email="teacher-1@school.example")
    launch(Client(), platform, sub="teacher-1", roles=INSTRUCTOR)
    assert LtiUser.objects.get().user.username != "x"


def test_a_launch_in_a_frame_offers_a_window_and_the_link_signs_in_once(
    registration, platform: Platform, assignment
) -> None:
    LtiContext.objects.create(
        registration=registration, context_id="course-7", course=assignment.course
    )
    response = launch(
        Client(), platform, custom={"assignment": assignment.slug}, target="iframe"
    )
    assert response.status_code == 200
    assert b"Open in a new window" in response.content
    assert "X-Frame-Options" not in response
    assert "frame-ancestors" in response["Content-Security-Policy"]
    link = response.context["continue_url"]
    window = Client()
    opened = window.get(link, secure=True)
    assert opened.status_code == 302 and opened["Location"] == _page(assignment)
    assert signed_in(window)
    assert Client().get(link, secure=True).status_code == 404


def test_a_moodle_like_platform_launches_too(moodle: Platform, db: None) -> None:
    register(moodle)
    client = Client()
    response = launch(client, moodle, sub="7", roles=INSTRUCTOR)
    assert response.status_code == 302 and signed_in(client)
    assert LtiContext.objects.get().deployment.deployment_id == "2"


def test_an_iframe_login_checks_cookies_first(registration, platform: Platform) -> None:
    response = Client().get(
        "/lti/login/",
        {"iss": platform.issuer, "login_hint": "h", "target_link_uri": LAUNCH_URL},
        secure=True,
        headers={"Sec-Fetch-Dest": "iframe"},
    )
    assert response.status_code == 200
    assert "lti_checked=1" in response.context["continue_url"]
    assert b"lti/cookie-check" in response.content
    assert "X-Frame-Options" not in response
