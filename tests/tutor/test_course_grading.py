"""What the course staff read and do about grades: an assignment's students
(who has not started), extensions with their audit entries, the gradebook
and its CSV, item analysis and regrades over the course's students only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from exercises.models import AuditEntry, RegradeRun
from tests.factories import QuizAttemptFactory, StudentFactory, SubmissionFactory
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    CourseFactory,
    ExtensionFactory,
    MembershipFactory,
    WorkFactory,
)
from tutor.courses.deadlines import window_for
from tutor.courses.models import Assignment, Course, Extension, Membership

pytestmark = pytest.mark.django_db
BASE = "/courses/dl/staff/"


@pytest.fixture
def room(db: None) -> dict[str, object]:
    course = CourseFactory(code="dl")
    ta = MembershipFactory(course=course, role=Membership.Role.TA).user
    ann = StudentFactory(username="ann", first_name="Ann")
    bob = StudentFactory(username="bob", first_name="=HYPERLINK(1)")
    for user in (ann, bob):
        MembershipFactory(course=course, user=user)
    week = AssignmentFactory(course=course, slug="week", title="Week", published=True)
    item = AssignmentItemFactory(assignment=week, points=3)
    WorkFactory(assignment=week, item=item, user=ann)
    client = Client()
    client.force_login(ta)
    return {"course": course, "ta": ta, "ann": ann, "bob": bob, "week": week,
            "item": item, "client": client}  # fmt: skip


def test_the_assignment_page_names_who_has_not_started(room: dict) -> None:
    page = room["client"].get(BASE + "assignments/week/").content.decode()
    not_started = page.split('id="not-started"')[1].split("</ul>")[0]
    assert "bob" in not_started and "ann" not in not_started
    ann_row = page.split('id="student-ann"')[1].split("</tr>")[0]
    assert "3 of 3" in ann_row


def test_a_ta_grants_changes_and_removes_an_extension_with_an_audit_trail(
    room: dict,
) -> None:
    week: Assignment = room["week"]
    bob: User = room["bob"]
    url = BASE + "assignments/week/extensions"
    granted = room["client"].post(
        url,
        {"student": bob.pk, "due_at": "2030-01-10T12:00", "late_until": "",
         "reason": "Illness"},
    )  # fmt: skip
    assert granted.status_code == 302
    extension = Extension.objects.get(user=bob)
    assert window_for(week, bob).extended
    assert window_for(week, bob).due_at == extension.due_at
    changed = room["client"].post(
        url, {"student": bob.pk, "due_at": "2030-01-12T12:00", "reason": "More"}
    )
    assert changed.status_code == 302
    assert Extension.objects.get(user=bob).due_at.day == 12
    removed = room["client"].post(BASE + f"assignments/week/extensions/{bob.pk}/remove")
    assert removed.status_code == 302
    assert not Extension.objects.exists() and not window_for(week, bob).extended
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["extension.grant", "extension.change", "extension.remove"]
    first = AuditEntry.objects.get(action="extension.grant")
    assert first.actor == room["ta"] and first.details["reason"] == "Illness"


def test_an_extension_for_someone_outside_the_course_or_backwards_is_refused(
    room: dict,
) -> None:
    url = BASE + "assignments/week/extensions"
    outsider = StudentFactory()
    response = room["client"].post(
        url, {"student": outsider.pk, "due_at": "2030-01-10T12:00"}
    )
    assert response.status_code == 400
    backwards = room["client"].post(
        url,
        {"student": room["bob"].pk, "due_at": "2030-01-10T12:00",
         "late_until": "2030-01-09T12:00"},
    )  # fmt: skip
    assert backwards.status_code == 400
    assert "late window" in backwards.content.decode()
    assert not Extension.objects.exists()


def test_the_gradebook_shows_each_students_score_of_each_assignment(
    room: dict,
) -> None:
    other = AssignmentFactory(course=room["course"], slug="two", title="Two")
    AssignmentItemFactory(assignment=other, points=2)
    page = room["client"].get(BASE + "gradebook/").content.decode()
    ann = page.split('id="row-ann"')[1].split("</tr>")[0]
    assert "3 of 3" in ann and "3 of 5" in ann
    bob = page.split('id="row-bob"')[1].split("</tr>")[0]
    assert "– of 3" in bob and "0 of 5" in bob
    assert "not published" in page  # the draft's column says so


def test_the_gradebook_csv_is_safe_in_a_spreadsheet(room: dict) -> None:
    response = room["client"].get(BASE + "gradebook.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "gradebook-dl-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["username", "first name", "last name", "email",
                       "Week (3 points)", "total", "points possible"]  # fmt: skip
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["ann"][4:] == ["3.0", "3.0", "3.0"]
    assert by_name["bob"][1] == "'=HYPERLINK(1)"  # never run as a formula
    assert room["ta"].username not in by_name  # staff are not graded


def test_item_analysis_counts_the_courses_students_only(room: dict) -> None:
    question = room["item"].question
    outsider = StudentFactory()
    for _ in range(3):
        QuizAttemptFactory(user=outsider, question=question, is_correct=False)
    page = room["client"].get(BASE + "items/").content.decode()
    row = page.split('id="item-table"')[1].split("</tr>")[1]
    assert ">1<" in row.replace(" ", "")  # ann's one attempt, not the outsider's


def test_a_regrade_takes_only_the_courses_submissions(
    room: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "exercises.coding.regrade.runs.regrade_enqueue", lambda run_id: True
    )
    coding = AssignmentItemFactory(assignment=room["week"], coding=True)
    mine = SubmissionFactory(user=room["ann"], exercise=coding.exercise, graded=True)
    WorkFactory(
        assignment=room["week"], item=coding, user=room["ann"], quiz_attempt=None,
        submission=mine,
    )  # fmt: skip
    elsewhere = SubmissionFactory(exercise=coding.exercise, graded=True)
    page = room["client"].get(BASE + "regrade/").content.decode()
    assert f'value="{mine.pk}"' in page and f'value="{elsewhere.pk}"' not in page
    response = room["client"].post(
        BASE + "regrade/start", {"submission": [mine.pk, elsewhere.pk]}
    )
    run = RegradeRun.objects.get()
    assert run.submission_ids == [mine.pk] and run.dry_run
    assert response["Location"] == BASE + f"regrade/runs/{run.pk}/"
    shown = room["client"].get(response["Location"])
    assert shown.status_code == 200  # a queued run polls the course's address
    assert f'hx-get="{BASE}regrade/runs/{run.pk}/progress"' in shown.content.decode()
    foreign = RegradeRun.objects.create(submission_ids=[elsewhere.pk])
    assert room["client"].get(BASE + f"regrade/runs/{foreign.pk}/").status_code == 404


def test_a_student_of_the_course_cannot_grant_extensions(room: dict) -> None:
    client = Client()
    client.force_login(room["ann"])
    response = client.post(
        BASE + "assignments/week/extensions",
        {"student": room["ann"].pk, "due_at": "2030-01-10T12:00"},
    )
    assert response.status_code == 403
    assert not Extension.objects.exists()


def test_an_extension_moves_the_late_window_with_it(room: dict) -> None:
    week: Assignment = room["week"]
    Assignment.objects.filter(pk=week.pk).update(
        late_until=week.due_at + timedelta(days=1)
    )
    week.refresh_from_db()
    extension = ExtensionFactory(assignment=week, user=room["bob"])
    window = window_for(week, room["bob"])
    assert window.late_until == extension.due_at + timedelta(days=1)


def test_course_pages_of_another_course_stay_hidden(room: dict) -> None:
    CourseFactory(code="other")
    assert room["client"].get("/courses/other/staff/").status_code == 404
    assert isinstance(room["course"], Course)
