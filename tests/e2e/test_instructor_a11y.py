"""Every instructor page, and the course staff's, through axe-core (every rule
it runs by default, every impact) at 1280 and 390 px with data in them: the
gradebooks with readable column headings in keyboard-scrollable regions, item
analysis and its drill-downs, regrade lists and runs, the assignment pages
(the form with its errors too); the student's notice of a regraded score; and
an instructor who builds an assignment with the keyboard alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from exercises.models import CodingExercise, Question
from tests.e2e.a11y import DESKTOP, PHONE, at_widths, axe_source, check_accessibility
from tests.e2e.editor import sign_in
from tests.factories import (
    QuizAttemptFactory,
    RegradeChangeFactory,
    RegradeRunFactory,
    StudentFactory,
    SubmissionFactory,
)
from tests.factories.analysis import NO_CLAMP, PLUS_ONE, graded, reveal
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    CourseFactory,
    MembershipFactory,
    WorkFactory,
)
from tutor.courses.models import Assignment, Course

pytestmark = pytest.mark.slow


def _classroom(instructor: User, student: User) -> dict[str, object]:
    """A course with a graded coding item, a quiz item, a dry run ready to
    apply and an applied regrade that raised the student's score."""
    room = CourseFactory(code="dl", title="Deep learning")
    MembershipFactory(course=room, user=instructor, role="instructor")
    MembershipFactory(course=room, user=student)
    iou = CodingExercise.objects.get(slug="iou")
    question = Question.objects.get(slug="yolo-iou-half-overlap")
    boxes = AssignmentFactory(course=room, published=True, title="Boxes", slug="boxes")
    coding = AssignmentItemFactory(assignment=boxes, question=None, exercise=iou)
    quiz = AssignmentItemFactory(assignment=boxes, question=question)
    WorkFactory(
        assignment=boxes, item=quiz, user=student, quiz_attempt__is_correct=False
    )
    submission = SubmissionFactory(
        user=student, exercise=iou, status="done", score=1.0,
        report={"verdict": "passed", "score": 1.0},
    )  # fmt: skip
    WorkFactory(
        assignment=boxes, item=coding, user=student, quiz_attempt=None,
        submission=submission,
    )  # fmt: skip
    dry = RegradeRunFactory(
        created_by=instructor, submission_ids=[submission.pk], status="done",
        total=1, done=1,
    )  # fmt: skip
    RegradeChangeFactory(
        run=dry, submission=submission, old_score=1.0, new_score=0.5,
        old_verdict="passed", new_verdict="failed",
    )  # fmt: skip
    applied = RegradeRunFactory(
        created_by=instructor, submission_ids=[submission.pk], status="done",
        total=1, done=1, dry_run=False, reason="empty boxes were graded wrongly",
        applies=RegradeRunFactory(
            created_by=instructor, submission_ids=[submission.pk], status="done"
        ),
    )  # fmt: skip
    RegradeChangeFactory(
        run=applied, submission=submission, old_score=0.2, new_score=1.0,
        old_verdict="failed", new_verdict="passed", applied=True,
    )  # fmt: skip
    return {"room": room, "dry": dry, "applied": applied, "iou": iou}


def _analysis_data(iou: CodingExercise) -> Question:
    """Named mistakes and hints on the IoU exercise; answers to a
    parameterised question from several students."""
    now = timezone.now()
    for index in range(3):
        learner = StudentFactory()
        mistake = PLUS_ONE if index < 2 else NO_CLAMP
        first = graded(learner, iou, at=now - timedelta(minutes=9), mistake=mistake)
        reveal(
            learner, iou, level=1, mistake=mistake["id"],
            at=now - timedelta(minutes=8), submission=first,
        )  # fmt: skip
        graded(learner, iou, at=now - timedelta(minutes=2))
    question = Question.objects.filter(spec__has_key="generator").order_by("pk")[0]
    for seed in range(12):
        QuizAttemptFactory(
            user=StudentFactory(), question=question, seed=seed, is_correct=seed % 3 > 0
        )
    return question


def _signed_in(browser, live_server, user: User):
    page = browser.new_context(base_url=live_server.url, viewport=DESKTOP).new_page()
    page.set_default_timeout(15_000)
    sign_in(page, user.username)
    return page


def _check_pages(page, pages: dict[str, str]) -> None:
    for where, url in pages.items():
        response = page.goto(url)
        assert response is not None and response.status == 200, (where, url)
        at_widths(page, where)


@pytest.mark.timeout(900)
def test_the_instructor_pages_pass_axe_at_both_widths(
    browser, live_server, shot, course, instructor: User, student: User
) -> None:
    axe_source()
    data = _classroom(instructor, student)
    question = _analysis_data(data["iou"])
    dry, applied = data["dry"], data["applied"]
    page = _signed_in(browser, live_server, instructor)
    _check_pages(
        page,
        {
            "instructor home": "/instructor/",
            "gradebook": "/instructor/gradebook/",
            "a student's gradebook": f"/instructor/gradebook/students/{student.pk}/",
            "item analysis": "/instructor/items/",
            "item parameters": f"/instructor/items/{question.slug}/parameters",
            "exercise mistakes": "/instructor/exercises/iou/mistakes",
            "regrade list": "/instructor/regrade/",
            "dry run with its apply form": f"/instructor/regrade/runs/{dry.pk}/",
            "applied regrade": f"/instructor/regrade/runs/{applied.pk}/",
        },
    )
    page.set_viewport_size(PHONE)
    page.goto("/instructor/gradebook/")
    shot(page, "gradebook-390")
    page.set_viewport_size(DESKTOP)
    shot(page, "gradebook-1280")

    # The gradebook: titles (not slugs) head the columns, students head the rows.
    coding = page.locator("#coding-table")
    heading = coding.get_by_role("columnheader", name="Intersection over union")
    assert heading.count() >= 1
    assert coding.get_by_role("rowheader", name=student.username).count() == 1
    region = page.get_by_role("region", name="Table of best coding scores")
    assert region.get_attribute("tabindex") == "0"

    # A class larger than a page: the pages of students, by keyboard.
    for number in range(55):
        StudentFactory(username=f"zz-{number:03d}")
    page.goto("/instructor/gradebook/")
    pages = page.get_by_role("navigation", name="Pages of students", exact=True)
    assert "Students 1–50 of" in pages.inner_text()
    at_widths(page, "gradebook, first of two pages")
    pages.get_by_role("link", name="Next 50").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "page 2 of 2" in pages.inner_text()
    assert (
        page.locator("#quiz-table").get_by_role("rowheader", name="zz-054").count() == 1
    )
    at_widths(page, "gradebook, second page")


@pytest.mark.timeout(900)
def test_the_course_staff_pages_pass_axe_at_both_widths(
    browser, live_server, shot, course, instructor: User, student: User
) -> None:
    axe_source()
    data = _classroom(instructor, student)
    room, dry = data["room"], data["dry"]
    staff = f"/courses/{room.code}/staff/"
    page = _signed_in(browser, live_server, instructor)
    _check_pages(
        page,
        {
            "course staff home": staff,
            "members": staff + "members/",
            "course gradebook": staff + "gradebook/",
            "course item analysis": staff + "items/",
            "course regrade": staff + "regrade/",
            "course dry run": staff + f"regrade/runs/{dry.pk}/",
            "staff assignment": staff + "assignments/boxes/",
            "assignment form": staff + "assignments/boxes/edit",
            "pick from the topic tree": staff + "assignments/boxes/items",
            "preview": staff + "assignments/boxes/preview",
            "a student's work": staff + f"assignments/boxes/students/{student.pk}/",
            "new assignment": staff + "assignments/new",
        },
    )
    shot(page, "new-assignment")

    # The form's errors, all at once, each tied to its field.
    page.goto(staff + "assignments/new")
    page.get_by_label("Title", exact=True).fill("Boxes again")
    page.get_by_label("Slug", exact=True).fill("boxes")  # taken
    opens = page.get_by_label("Opens", exact=True).input_value()
    page.get_by_label("Due", exact=True).fill(opens)  # not after the opening
    page.get_by_role("button", name="Save").click()
    page.locator("#id_due_at_error").wait_for()
    for field, words in (("slug", "already has"), ("due_at", "must come after")):
        box = page.locator(f"#id_{field}")
        assert box.get_attribute("aria-invalid") == "true"
        described = (box.get_attribute("aria-describedby") or "").split()
        assert f"id_{field}_error" in described
        assert words in page.locator(f"#id_{field}_error").inner_text()
    slug_described = page.locator("#id_slug").get_attribute("aria-describedby") or ""
    assert "id_slug_helptext" in slug_described.split()  # the help text stays
    at_widths(page, "assignment form with errors")
    shot(page, "assignment-errors")

    # The student reads the regrade notice on the course page.
    reader = _signed_in(browser, live_server, student)
    reader.goto(f"/courses/{room.code}/")
    notice = reader.locator(".regrade-notice")
    assert "changed from 20% to 100% after a regrade on" in " ".join(
        notice.inner_text().split()
    )
    assert "empty boxes were graded wrongly" in notice.inner_text()
    at_widths(reader, "course page with a regrade notice")
    shot(reader, "regrade-notice")


def _tab_to(page, locator, what: str) -> None:
    """Tab until `locator` has the keyboard focus."""
    for _ in range(300):
        page.keyboard.press("Tab")
        if locator.evaluate("(element) => element === document.activeElement"):
            return
    pytest.fail(f"{what} never took the keyboard focus")


@pytest.mark.timeout(900)
def test_an_instructor_builds_an_assignment_by_keyboard(
    browser, live_server, shot, course, instructor: User
) -> None:
    axe_source()
    room = CourseFactory(code="kb", title="Keyboard course")
    MembershipFactory(course=room, user=instructor, role="instructor")
    question = Question.objects.get(slug="yolo-iou-half-overlap")
    page = _signed_in(browser, live_server, instructor)
    page.goto(f"/courses/{room.code}/staff/")

    new = page.get_by_role("button", name="New assignment")  # a link styled so
    _tab_to(page, new, "New assignment")
    page.keyboard.press("Enter")
    page.wait_for_url("**/assignments/new")
    _tab_to(page, page.get_by_label("Title", exact=True), "the title")
    page.keyboard.type("Keyboard week")
    page.keyboard.press("Enter")  # submits the form; the dates keep their defaults
    page.wait_for_url("**/assignments/keyboard-week/items")
    check_accessibility(page, "items of the new assignment")

    topic = page.locator("summary", has_text=question.topic.title).first
    _tab_to(page, topic, "the topic's branch")
    page.keyboard.press("Enter")
    box = page.locator(f'input[name="question"][value="{question.pk}"]')
    _tab_to(page, box, "the question's box")
    page.keyboard.press("Space")
    assert box.is_checked()
    _tab_to(
        page, page.get_by_role("button", name="Add the ticked items"), "the add button"
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator("#items-form").wait_for()  # the list of items, none before
    assignment = Assignment.objects.get(course=room, slug="keyboard-week")
    assert [item.question_id for item in assignment.items.all()] == [question.pk]
    check_accessibility(page, "items after adding one")

    _tab_to(page, page.get_by_role("link", name="Preview as a student"), "the preview")
    page.keyboard.press("Enter")
    page.wait_for_url("**/keyboard-week/preview")
    check_accessibility(page, "preview")
    crumb = page.get_by_role("navigation", name="breadcrumb").get_by_role(
        "link", name="Keyboard week"
    )
    _tab_to(page, crumb, "the assignment's staff page")
    page.keyboard.press("Enter")
    page.wait_for_url("**/assignments/keyboard-week/")
    _tab_to(page, page.get_by_role("button", name="Publish"), "the publish button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("button", name="Unpublish").wait_for()
    assert Assignment.objects.get(pk=assignment.pk).is_published
    shot(page, "keyboard-assignment")
    assert Course.objects.get(pk=room.pk).assignments.count() == 1
