"""The hint ladder over HTTP: shown under a failed submission's report,
opened one level at a time (POST /submissions/<id>/hints), refused in words
with 400/403/409, and seen by staff as which levels the student opened."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

import engine
from exercises.models import HintReveal, Submission
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    MembershipFactory,
    WorkFactory,
)
from tests.factories.hints import (
    HIDDEN_MARK,
    FailedSubmissionFactory,
    HintRevealFactory,
    failed_report,
    move_to,
)

pytestmark = pytest.mark.django_db
PLUS_ONE = next(m for m in engine.get_spec("iou").mistakes if m.id == "iou-plus-one")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def failed(student: User) -> Submission:
    return FailedSubmissionFactory(user=student)


def _url(submission: Submission) -> str:
    return f"/submissions/{submission.pk}/hints"


def _opened_long_ago(submission: Submission, *levels: int) -> None:
    for level in levels:
        reveal = HintRevealFactory(
            user=submission.user, exercise=submission.exercise, level=level
        )
        move_to(reveal, timezone.now() - timedelta(minutes=10 - level))


def test_the_submission_page_shows_hint_one_and_offers_hint_two(
    student_client: Client, failed: Submission
) -> None:
    page = student_client.get(f"/submissions/{failed.pk}/").content.decode()
    assert "Hint 1 of 3: Where to look" in page
    assert PLUS_ONE.point.split("`")[0] in page
    assert PLUS_ONE.fix.split("`")[0] not in page
    assert 'name="level" value="2"' in page
    assert "Hint 2 opens after your next submission or in 30 s." in page
    assert 'name="level" value="3"' not in page
    assert HIDDEN_MARK not in page
    assert HintReveal.objects.filter(level=1).count() == 1


def test_the_report_leaves_the_explanation_to_hint_two(
    client: Client, failed: Submission, instructor: User
) -> None:
    client.force_login(failed.user)
    explanation = PLUS_ONE.explanation.split(",")[0]
    page = client.get(f"/submissions/{failed.pk}/").content.decode()
    assert "Known mistake: +1 pixel convention" in page
    assert explanation not in page
    status = client.get(f"/submissions/{failed.pk}/status?format=json").json()
    assert explanation not in json.dumps(status)
    assert status["report"]["mistake"]["title"] == PLUS_ONE.title
    client.force_login(instructor)
    assert explanation in client.get(f"/submissions/{failed.pk}/").content.decode()


def test_opening_a_level_by_htmx_returns_the_ladder_focused_on_it(
    student_client: Client, failed: Submission
) -> None:
    _opened_long_ago(failed, 1)
    response = student_client.post(_url(failed), {"level": "2"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="hint-ladder-{failed.pk}"' in html
    assert "autofocus" in html.split(f'id="hint-{failed.pk}-2"')[1].split("</h4>")[0]
    assert PLUS_ONE.explanation.split(",")[0] in html
    assert 'name="confirm" value="yes" required' in html
    assert HintReveal.objects.filter(level=2).count() == 1


def test_a_form_post_without_javascript_returns_to_the_hint(
    student_client: Client, failed: Submission
) -> None:
    response = student_client.post(_url(failed), {"level": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/submissions/{failed.pk}/#hint-{failed.pk}-1"


def test_a_json_client_gets_the_levels(
    student_client: Client, failed: Submission
) -> None:
    _opened_long_ago(failed, 1, 2)
    response = student_client.post(
        _url(failed),
        json.dumps({"level": 3, "confirm": True}),
        content_type="application/json",
    )
    assert response.status_code == 200
    levels = response.json()["hints"]["levels"]
    assert [level["revealed"] for level in levels] == [True, True, True]
    assert levels[2]["text"] == PLUS_ONE.fix
    status = student_client.get(f"/submissions/{failed.pk}/status?format=json")
    assert status.json()["hints"]["mistake_id"] == "iou-plus-one"


def test_hint_two_too_early_is_refused_in_words(
    student_client: Client, failed: Submission
) -> None:
    student_client.get(f"/submissions/{failed.pk}/")  # shows hint 1
    by_htmx = student_client.post(_url(failed), {"level": "2"}, headers=HTMX)
    assert by_htmx.status_code == 409
    html = by_htmx.content.decode()
    assert 'role="alert"' in html and f'id="hint-ladder-{failed.pk}"' in html
    assert "Hint 2 opens after your next submission or in" in html
    by_json = student_client.post(
        _url(failed), json.dumps({"level": 2}), content_type="application/json"
    )
    assert by_json.status_code == 409
    assert by_json.json()["message"].startswith("Hint 2 opens after your next")
    plain = student_client.post(_url(failed), {"level": "2"})
    assert plain.status_code == 409 and b"Back to the submission" in plain.content
    assert not HintReveal.objects.filter(level=2).exists()


def test_hint_three_needs_a_confirmation(
    student_client: Client, failed: Submission
) -> None:
    _opened_long_ago(failed, 1, 2)
    response = student_client.post(_url(failed), {"level": "3"}, headers=HTMX)
    assert response.status_code == 400
    assert "counts as helped" in response.content.decode()
    confirmed = student_client.post(
        _url(failed), {"level": "3", "confirm": "yes"}, headers=HTMX
    )
    assert confirmed.status_code == 200
    assert HintReveal.objects.filter(level=3).count() == 1


@pytest.mark.parametrize(
    "level", ["", "0", "4", "-1", "two", "²", "1" * 5000, "1.5", "true"]
)
def test_a_level_that_is_not_one_two_or_three_is_a_bad_request(
    student_client: Client, failed: Submission, level: str
) -> None:
    response = student_client.post(_url(failed), {"level": level})
    assert response.status_code == 400
    assert b"Choose a hint level: 1, 2 or 3." in response.content


@pytest.mark.parametrize(
    "body", ["{", "[1, 2]", '{"level": true}', '{"level": null}', '"3"', "{" * 5000]
)
def test_a_malformed_json_body_is_a_bad_request(
    student_client: Client, failed: Submission, body: str
) -> None:
    response = student_client.post(_url(failed), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "Bad request"


def test_who_may_open_hints(
    client: Client, failed: Submission, other_student: User, instructor: User
) -> None:
    assert client.post(_url(failed), {"level": "1"}).status_code == 401
    client.force_login(other_student)
    assert client.post(_url(failed), {"level": "1"}).status_code == 404
    client.force_login(instructor)
    refused = client.post(_url(failed), {"level": "1"})
    assert refused.status_code == 403
    assert b"Only the student who submitted" in refused.content
    client.force_login(failed.user)
    assert client.get(_url(failed)).status_code == 405
    assert HintReveal.objects.count() == 0


def test_a_passed_submission_has_no_hints(
    student_client: Client, student: User
) -> None:
    passed = FailedSubmissionFactory(
        user=student, report=failed_report(mistake=None, cases=(), verdict="passed")
    )
    page = student_client.get(f"/submissions/{passed.pk}/").content.decode()
    assert "hint-ladder" not in page
    response = student_client.post(_url(passed), {"level": "1"})
    assert response.status_code == 409
    assert b"This submission has no hints" in response.content


def test_assignment_work_has_no_hints(student_client: Client, student: User) -> None:
    work = WorkFactory(
        coding=True,
        user=student,
        submission__status=Submission.Status.DONE,
        submission__report=failed_report(),
    )
    response = student_client.post(_url(work.submission), {"level": "1"})
    assert response.status_code == 409
    assert b"not offered on work handed in for an assignment" in response.content
    page = student_client.get(f"/submissions/{work.submission.pk}/").content.decode()
    assert "hint-ladder" not in page


def test_staff_see_the_levels_opened_and_click_through(
    client: Client, failed: Submission, instructor: User
) -> None:
    start = timezone.now() - timedelta(minutes=3)
    for level, seconds in ((1, 0), (2, 31), (3, 35)):
        reveal = HintRevealFactory(
            user=failed.user, exercise=failed.exercise, level=level
        )
        move_to(reveal, start + timedelta(seconds=seconds))
    client.force_login(instructor)
    page = client.get(f"/submissions/{failed.pk}/").content.decode()
    assert "which levels they opened" in page
    assert "Clicked through" in page
    assert page.count("Opened ") == 3
    assert "4 s after hint 2" in page
    assert PLUS_ONE.fix.split("`")[0] in page
    assert 'name="level"' not in page
    assert HintReveal.objects.count() == 3


def test_a_real_grading_of_the_plus_one_mistake_opens_its_ladder(
    student_client: Client, course: None, django_capture_on_commit_callbacks
) -> None:
    source = (
        "def iou(a, b):\n"
        "    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]) + 1)\n"
        "    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]) + 1)\n"
        "    i = w * h\n"
        "    area_a = (a[2] - a[0] + 1) * (a[3] - a[1] + 1)\n"
        "    area_b = (b[2] - b[0] + 1) * (b[3] - b[1] + 1)\n"
        "    return i / (area_a + area_b - i)\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = student_client.post("/exercises/iou/submit", {"source": source})
    page = student_client.get(response["Location"]).content.decode()
    assert "Hints" in page and "for this mistake" in page
    assert PLUS_ONE.point.split("`")[0] in page
    assert HintReveal.objects.get().mistake_id == "iou-plus-one"


def _held_back(submission: Submission) -> None:
    """The submission's exercise becomes an item of an open graded assignment
    of the student's course."""
    assignment = AssignmentFactory(published=True, title="Homework 3")
    AssignmentItemFactory(
        assignment=assignment, question=None, exercise=submission.exercise
    )
    MembershipFactory(course=assignment.course, user=submission.user)


def test_a_refused_fix_keeps_the_opened_hints_on_the_page(
    student_client: Client, failed: Submission
) -> None:
    """htmx swaps a 403 in place of the ladder: the refusal must come back
    inside the ladder, not as a message alone that takes hints 1-2 away."""
    _held_back(failed)
    _opened_long_ago(failed, 1, 2)
    response = student_client.post(
        _url(failed), {"level": "3", "confirm": "yes"}, headers=HTMX
    )
    assert response.status_code == 403
    fragment = response.content.decode()
    assert f'id="hint-ladder-{failed.pk}"' in fragment
    assert PLUS_ONE.explanation.split(",")[0] in fragment
    assert "Homework 3" in fragment
    assert 'name="level" value="3"' not in fragment
    assert not HintReveal.objects.filter(level=3).exists()


def test_while_held_back_no_rung_is_offered_and_no_fix_button(
    student_client: Client, failed: Submission
) -> None:
    again = FailedSubmissionFactory(user=failed.user, exercise=failed.exercise)
    _opened_long_ago(again, 1)
    open_ladder = student_client.post(_url(again), {"level": "2"}, headers=HTMX)
    assert "ladder/parsons" in open_ladder.content.decode()
    HintReveal.objects.filter(level=2).delete()
    _held_back(again)
    fragment = student_client.post(_url(again), {"level": "2"}, headers=HTMX)
    text = fragment.content.decode()
    assert fragment.status_code == 200
    assert "ladder/parsons" not in text and "ladder/faded" not in text
    assert 'name="level" value="3"' not in text
    assert "Homework 3" in text


def test_while_held_back_the_first_render_offers_no_rung_either(
    student_client: Client, failed: Submission
) -> None:
    again = FailedSubmissionFactory(user=failed.user, exercise=failed.exercise)
    _opened_long_ago(again, 1, 2)
    before = student_client.get(f"/submissions/{again.pk}/").content.decode()
    assert "ladder/parsons" in before and 'name="level" value="3"' in before
    _held_back(again)
    for url in (f"/submissions/{again.pk}/", f"/submissions/{again.pk}/status"):
        text = student_client.get(url).content.decode()
        assert "ladder/parsons" not in text and "ladder/faded" not in text
        assert 'name="level" value="3"' not in text
        assert "Homework 3" in text
