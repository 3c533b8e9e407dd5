"""Report a problem on a course item: the seed of the variant the item page
showed the student (the course's, not the practice one), their last answer or
code at the item, for the course's members only, with the practice reports'
rules (note, rate limit) and nothing told back but "thank you"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from exercises.models import ProblemReport
from exercises.presentation import present
from exercises.services.attempts import SEED_LIMIT
from exercises.services.reports import REPORTS_PER_HOUR
from tests.factories import QuestionFactory, QuizAttemptFactory, SubmissionFactory
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    CourseFactory,
    MembershipFactory,
    WorkFactory,
)
from tests.factories.reports import ProblemReportFactory
from tutor.courses.items import next_seed
from tutor.courses.models import Assignment, AssignmentItem, Membership, Work
from tutor.views.reports import THANKS

pytestmark = pytest.mark.django_db

SPEC = {"generator": "head_parameter_count", "tolerance": {"abs": 0.5}}
THANKED = "your report was sent to the instructors"


@pytest.fixture
def assignment(student: User) -> Assignment:
    room = CourseFactory(code="dl")
    MembershipFactory(course=room, user=student)
    return AssignmentFactory(course=room, slug="week", published=True)


@pytest.fixture
def item(assignment: Assignment) -> AssignmentItem:
    question = QuestionFactory(prompt="A head on {{ base }}: how many?", spec=SPEC)
    return AssignmentItemFactory(assignment=assignment, question=question)


@pytest.fixture
def coding(assignment: Assignment) -> AssignmentItem:
    return AssignmentItemFactory(assignment=assignment, coding=True)


def _url(item: AssignmentItem, tail: str = "report") -> str:
    return f"/courses/dl/assignments/{item.assignment.slug}/items/{item.pk}/{tail}"


def _seed_in_form(page: str, action: str) -> int:
    """The seed the form posting to `action` carries."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', page, re.S)
    assert form is not None, f"no form posting to {action}"
    found = re.search(r'name="seed" value="(\d+)"', form.group(0))
    assert found is not None
    return int(found.group(1))


def _base(item: AssignmentItem, seed: int) -> str:
    assert item.question is not None
    return str(present(item.question, seed).variant.values["base"])


def _answer(client: Client, item: AssignmentItem, user: User, value: str) -> None:
    seed = next_seed(assignment=item.assignment, item=item, user=user)
    response = client.post(_url(item, "answer"), {"value": value, "seed": seed})
    assert response.status_code == 302


def test_it_keeps_the_seed_of_the_variant_the_item_page_shows(
    student_client: Client, student: User, item: AssignmentItem
) -> None:
    page = student_client.get(_url(item, "")).content.decode()
    assert "<summary>Report a problem</summary>" in page
    seed = _seed_in_form(page, _url(item))
    assert seed == _seed_in_form(page, _url(item, "answer"))
    assert _base(item, seed) in page
    response = student_client.post(_url(item), {"note": " Wrong units. ", "seed": seed})
    assert response.status_code == 302 and response["Location"] == _url(item, "")
    report = ProblemReport.objects.get()
    assert report.user == student and report.question == item.question
    assert report.seed == seed and report.answer is None
    assert report.note == "Wrong units." and report.exercise is None
    assert THANKED in student_client.get(response["Location"]).content.decode()


def test_it_keeps_the_last_answer_at_the_item_not_a_practice_one(
    student_client: Client, student: User, item: AssignmentItem
) -> None:
    _answer(student_client, item, student, "7")
    answered = Work.objects.get().quiz_attempt
    QuizAttemptFactory(
        user=student, question=item.question, seed=3, answer={"value": "99"}
    )
    page = student_client.get(_url(item, "")).content.decode()
    seed = _seed_in_form(page, _url(item))
    assert seed == answered.seed
    student_client.post(_url(item), {"note": "Marked wrong", "seed": seed})
    report = ProblemReport.objects.get()
    assert report.seed == answered.seed and report.answer == answered.answer
    assert report.answer != {"value": "99"}


def test_a_new_attempts_page_reports_its_own_variant(
    student_client: Client, student: User, item: AssignmentItem
) -> None:
    _answer(student_client, item, student, "7")
    answered = Work.objects.get().quiz_attempt
    page = student_client.get(_url(item, "") + "?again=1").content.decode()
    seed = _seed_in_form(page, _url(item))
    assert seed == next_seed(assignment=item.assignment, item=item, user=student)
    assert seed != answered.seed and _base(item, seed) in page
    student_client.post(_url(item), {"note": "Odd numbers", "seed": seed})
    report = ProblemReport.objects.get()
    assert report.seed == seed and report.answer == answered.answer


def test_without_a_seed_it_keeps_the_variant_the_page_shows_first(
    student_client: Client, student: User, item: AssignmentItem
) -> None:
    open_seed = next_seed(assignment=item.assignment, item=item, user=student)
    student_client.post(_url(item), {"note": "Before answering"})
    _answer(student_client, item, student, "7")
    student_client.post(_url(item), {"note": "After answering"})
    before, after = ProblemReport.objects.order_by("pk")
    assert before.seed == open_seed and before.answer is None
    assert after.seed == Work.objects.get().quiz_attempt.seed == open_seed
    assert after.answer == Work.objects.get().quiz_attempt.answer


def test_it_refuses_a_seed_the_item_did_not_show(
    student_client: Client, student: User, item: AssignmentItem
) -> None:
    shown = next_seed(assignment=item.assignment, item=item, user=student)
    other = shown + 1 if shown + 1 < SEED_LIMIT else shown - 1
    for value in (other, "abc", "-1", SEED_LIMIT, "9" * 40):
        response = student_client.post(
            _url(item), {"note": "x", "seed": value}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 400
        assert "did not show you that variant" in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_it_keeps_the_last_code_at_a_coding_item(
    student_client: Client, student: User, coding: AssignmentItem
) -> None:
    page = student_client.get(_url(coding, "")).content.decode()
    assert f'action="{_url(coding)}"' in page and 'name="seed"' not in page
    WorkFactory(
        assignment=coding.assignment,
        item=coding,
        user=student,
        coding=True,
        submission__source="x = 'course'",
        submission__graded=True,
    )
    SubmissionFactory(
        user=student, exercise=coding.exercise, source="x = 'practice'", graded=True
    )
    response = student_client.post(_url(coding), {"note": "Flaky case"})
    assert response.status_code == 302 and response["Location"] == _url(coding, "")
    report = ProblemReport.objects.get()
    assert report.exercise == coding.exercise and report.question is None
    assert report.seed is None and report.submission is None
    assert report.source == "x = 'course'"


def test_it_keeps_the_submission_reported_from(
    student_client: Client, student: User, coding: AssignmentItem
) -> None:
    work = WorkFactory(
        assignment=coding.assignment,
        item=coding,
        user=student,
        coding=True,
        submission__graded=True,
    )
    WorkFactory(assignment=coding.assignment, item=coding, user=student, coding=True)
    back = f"/courses/dl/submissions/{work.submission_id}/"
    page = student_client.get(back).content.decode()
    assert f'action="{_url(coding)}"' in page
    assert f'name="submission" value="{work.submission_id}"' in page
    response = student_client.post(
        _url(coding), {"note": "Odd report", "submission": work.submission_id}
    )
    assert response.status_code == 302 and response["Location"] == back
    report = ProblemReport.objects.get()
    assert report.submission == work.submission
    assert report.source == work.submission.source


def test_it_refuses_a_submission_not_made_at_this_item(
    student_client: Client,
    student: User,
    coding: AssignmentItem,
) -> None:
    theirs = WorkFactory(assignment=coding.assignment, item=coding, coding=True)
    practice = SubmissionFactory(user=student, exercise=coding.exercise, graded=True)
    elsewhere = WorkFactory(assignment=coding.assignment, user=student, coding=True)
    for value in (theirs.submission_id, practice.pk, elsewhere.submission_id, "abc"):
        response = student_client.post(_url(coding), {"note": "x", "submission": value})
        assert response.status_code == 400
    assert not ProblemReport.objects.exists()


def test_outsiders_and_wrong_addresses_are_refused(
    client: Client, other_student: User, student_client: Client, item: AssignmentItem
) -> None:
    outsider = Client()
    outsider.force_login(other_student)
    assert outsider.post(_url(item), {"note": "x"}).status_code == 404
    response = client.post(_url(item), {"note": "x"})
    assert response.status_code == 302 and "/login" in response["Location"]
    hidden = AssignmentFactory(course=item.assignment.course, slug="draft")
    draft = AssignmentItemFactory(assignment=hidden)
    stray = AssignmentItemFactory()
    for url in (_url(draft), _url(item).replace(f"/{item.pk}/", f"/{stray.pk}/")):
        assert student_client.post(url, {"note": "x"}).status_code == 404
    assert student_client.get(_url(item)).status_code == 405
    assert not ProblemReport.objects.exists()


def test_it_checks_csrf(student: User, item: AssignmentItem) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    assert client.post(_url(item), {"note": "x"}).status_code == 403
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize("note", ["", "  \n", "x" * 2001])
def test_it_refuses_a_missing_or_long_note(
    student_client: Client, item: AssignmentItem, note: str
) -> None:
    response = student_client.post(
        _url(item), {"note": note}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400 and response.json()["message"]
    assert not ProblemReport.objects.exists()


def test_it_limits_reports_per_hour(
    student_client: Client, student: User, item: AssignmentItem
) -> None:
    ProblemReportFactory.create_batch(REPORTS_PER_HOUR, user=student)
    response = student_client.post(_url(item), {"note": "more"})
    assert response.status_code == 429 and "limit is 10" in response.content.decode()
    assert ProblemReport.objects.count() == REPORTS_PER_HOUR


def test_before_the_assignment_opens_only_its_staff_report(
    student_client: Client, student: User, item: AssignmentItem
) -> None:
    later = timezone.now() + timedelta(days=1)
    Assignment.objects.filter(pk=item.assignment_id).update(
        opens_at=later, due_at=later + timedelta(days=7)
    )
    assert "Report a problem" not in student_client.get(_url(item, "")).content.decode()
    assert student_client.post(_url(item), {"note": "x"}).status_code == 403
    assistant = MembershipFactory(
        course=item.assignment.course, role=Membership.Role.TA
    ).user
    staff = Client()
    staff.force_login(assistant)
    assert "Report a problem" in staff.get(_url(item, "")).content.decode()
    assert staff.post(_url(item), {"note": "Typo"}).status_code == 302
    assert ProblemReport.objects.get().user == assistant


def test_an_exam_assignment_hears_only_thank_you(
    student_client: Client, student: User
) -> None:
    room = CourseFactory(code="dl")
    MembershipFactory(course=room, user=student)
    exam = AssignmentFactory(course=room, slug="exam", published=True, exam=True)
    entry = AssignmentItemFactory(
        assignment=exam, question=QuestionFactory(prompt="{{ base }}?", spec=SPEC)
    )
    _answer(student_client, entry, student, "7")
    as_json = student_client.post(
        _url(entry), {"note": "x"}, headers={"Accept": "application/json"}
    )
    assert as_json.status_code == 201 and as_json.json() == {"message": THANKS}
    in_place = student_client.post(
        _url(entry), {"note": "y"}, headers={"HX-Request": "true"}
    )
    assert in_place.status_code == 201
    said = re.sub(r"<[^>]+>", "", in_place.content.decode()).strip()
    assert said == THANKS
    assert ProblemReport.objects.count() == 2


def test_instructors_see_the_course_seed_in_the_queue(
    student_client: Client, student: User, item: AssignmentItem, instructor: User
) -> None:
    _answer(student_client, item, student, "7")
    student_client.post(_url(item), {"note": "Wrong base in the prompt"})
    report = ProblemReport.objects.get()
    admin = Client()
    admin.force_login(instructor)
    listing = admin.get("/admin/exercises/problemreport/?q=base").content.decode()
    assert "Wrong base in the prompt" in listing
    detail = admin.get(f"/admin/exercises/problemreport/{report.pk}/change/")
    assert str(report.seed) in detail.content.decode()
    assert report.seed == Work.objects.get().quiz_attempt.seed
