"""A course without an LMS, clicked through in headless Chromium: an
instructor creates a course, builds an assignment from the topic tree and
publishes it; a student joins by the invite link, answers a question and
submits code; the student sees their score on the course page; the
instructor sees it in the gradebook and grants an extension. Every page on
the way is checked with axe-core (every rule it runs by default)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exercises.models import CodingExercise, Question, Topic
from tests.e2e.a11y import axe_source, check_accessibility
from tests.e2e.editor import EDITOR, RIGHT_IOU, sign_in, type_code
from tutor.courses.models import Course, Extension, Work

pytestmark = pytest.mark.slow


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_course_runs_from_creation_to_the_gradebook(
    browser, live_server, shot, course, instructor, student
) -> None:
    axe_source()
    errors: list[str] = []

    def new_page():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1200, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    topic = Topic.objects.get(code="6.10")
    question = Question.objects.get(slug="yolo-iou-half-overlap")
    exercise = CodingExercise.objects.get(slug="iou")

    # The instructor creates the course.
    teacher = new_page()
    sign_in(teacher, instructor.username)
    teacher.get_by_role("link", name="Courses", exact=True).click()
    with teacher.expect_navigation():
        teacher.get_by_role("button", name="Create a course").click()
    check_accessibility(teacher, "new course")
    teacher.get_by_label("Code", exact=True).fill("dl-autumn")
    teacher.get_by_label("Title", exact=True).fill("Deep learning, autumn")
    teacher.get_by_label("Term", exact=True).fill("Autumn 2026")
    teacher.locator(f'input[name="topics"][value="{topic.pk}"]').check()
    teacher.get_by_role("button", name="Create the course").click()
    teacher.locator("#invite-link").wait_for()
    room = Course.objects.get(code="dl-autumn")
    invite = teacher.locator("#invite-link").get_attribute("href")
    assert invite and invite.endswith(f"/courses/join/{room.invite_code}/")
    check_accessibility(teacher, "course staff home")
    shot(teacher, "course-staff")

    # An assignment, open since an hour ago, from the topic tree.
    teacher.get_by_role("button", name="New assignment").click()
    teacher.get_by_label("Title", exact=True).fill("YOLO week")
    now = timezone.now()
    teacher.get_by_label("Opens").fill(_local(now - timedelta(hours=1)))
    teacher.get_by_label("Due", exact=True).fill(_local(now + timedelta(days=2)))
    teacher.get_by_label("Attempts per item").fill("3")
    check_accessibility(teacher, "assignment form")
    teacher.get_by_role("button", name="Save").click()
    teacher.get_by_role("heading", name="Items of YOLO week").wait_for()
    teacher.locator("summary", has_text=topic.title).first.click()
    teacher.locator(f'input[name="question"][value="{question.pk}"]').check()
    teacher.locator(f'input[name="exercise"][value="{exercise.pk}"]').check()
    teacher.get_by_label("Points of each new item").fill("5")
    check_accessibility(teacher, "topic tree")
    shot(teacher, "items")
    teacher.get_by_role("button", name="Add the ticked items").click()
    teacher.get_by_text("2 items added.").wait_for()
    with teacher.expect_navigation():
        teacher.get_by_role("link", name="Preview as a student").click()
    expect(teacher.locator("main")).to_contain_text("half-overlapping")
    check_accessibility(teacher, "preview")
    teacher.get_by_role("link", name="YOLO week").first.click()
    teacher.get_by_role("button", name="Publish").click()
    teacher.get_by_text("Published: the course's students see it.").wait_for()
    assignment = room.assignments.get(slug="yolo-week")
    assert assignment.is_published and assignment.items.count() == 2

    # The student joins by the link and works on the assignment.
    learner = new_page()
    sign_in(learner, student.username)
    learner.goto(invite)
    check_accessibility(learner, "join page")
    learner.get_by_role("button", name="Join Deep learning, autumn").click()
    learner.get_by_role("heading", name="Deep learning, autumn").wait_for()
    check_accessibility(learner, "course page")
    with learner.expect_navigation():
        learner.get_by_role("link", name="YOLO week").click()
    check_accessibility(learner, "assignment page")
    learner.get_by_role("link", name="IoU of two half-overlapping boxes").click()
    learner.get_by_label("Your answer").fill("1/3")
    check_accessibility(learner, "question item")
    learner.get_by_role("button", name="Submit this attempt").click()
    learner.get_by_text("✓ Correct.").wait_for()
    shot(learner, "question-answered")

    learner.get_by_role("link", name=f"Back to {assignment.title}").click()
    learner.get_by_role("link", name=exercise.title).click()
    learner.locator(EDITOR).wait_for()
    check_accessibility(learner, "coding item")
    type_code(learner, RIGHT_IOU)
    learner.get_by_role("button", name="Submit for grading").click()
    learner.locator(".report .notice.success").wait_for(timeout=90_000)
    shot(learner, "code-graded")
    work = Work.objects.get(user=student, submission__isnull=False)
    assert work.submission.score == 1.0 and not work.late

    learner.get_by_role("link", name="Deep learning, autumn").first.click()
    row = learner.locator("#assignment-yolo-week")
    expect(row).to_contain_text("10 of 10 points")
    assert "Complete" in row.inner_text()
    shot(learner, "course-page")

    # The instructor sees it in the gradebook and grants an extension.
    teacher.goto(f"/courses/{room.code}/staff/gradebook/")
    gradebook_row = teacher.locator(f"#row-{student.username}")
    assert "10 of 10" in gradebook_row.inner_text()
    check_accessibility(teacher, "gradebook")
    teacher.goto(f"/courses/{room.code}/staff/assignments/yolo-week/")
    assert "Everyone has started." in teacher.locator("main").inner_text()
    form = teacher.locator("#extension-form")
    form.get_by_label("Student").select_option(str(student.pk))
    form.get_by_label("New due date").fill(_local(now + timedelta(days=5)))
    form.get_by_label("Reason").fill("Conference trip")
    check_accessibility(teacher, "assignment staff page")
    form.get_by_role("button", name="Grant the extension").click()
    teacher.get_by_text(f"{student.username} has an extension.").wait_for()
    extension = Extension.objects.get(user=student)
    assert extension.reason == "Conference trip" and extension.granted_by == instructor
    shot(teacher, "extension")

    learner.reload()
    assert "extended" in learner.locator("#assignment-yolo-week").inner_text()
    assert errors == []
