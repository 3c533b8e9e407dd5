"""The first vertical slice, clicked through in a real browser."""

from __future__ import annotations

import pytest

from tests.e2e.editor import type_code
from tests.factories import PASSWORD

GOOD = """def iou(box_a, box_b):
w = max(0.0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]))
h = max(0.0, min(box_a[3], box_b[3]) - max(box_a[1], box_b[1]))
inter = w * h
union = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1]) + (box_b[2] - box_b[0]) * (box_b[3] - box_b[1]) - inter
return inter / union if union > 0 else 0.0
"""


def sign_in(page, username: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


@pytest.mark.slow
def test_a_student_practises_and_submits_code(page, shot, course, student) -> None:
    sign_in(page, student.username)
    assert page.get_by_text(student.username).is_visible()
    shot(page, "home")

    # The mastery chart and the topic card both link to the topic.
    page.get_by_role(
        "link", name="6.10 YOLO: cells, IoU and non-max suppression"
    ).first.click()
    assert page.locator("section.summary math").count() > 0  # typeset, not raw LaTeX
    assert "$" not in page.locator("section.summary").inner_text()
    shot(page, "topic")

    page.locator('a[href="/questions/yolo-iou-half-overlap/"]').click()
    answer = page.get_by_label("Your answer")
    answer.fill("0.375")
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_text("Not quite").wait_for()
    # The answered attempt is closed; "Try again" opens a new one.
    page.get_by_role("button", name="Try again").click()
    answer = page.get_by_label("Your answer")
    answer.fill("1/3")
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_text("✓ Correct.").wait_for()
    assert page.locator("#feedback math").count() > 0
    shot(page, "numeric-question")

    page.goto("/questions/yolo-nms-iou-threshold/")
    page.get_by_text("When its IoU with the kept box is greater than 0.5.").click()
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_text("✓ Correct.").wait_for()
    shot(page, "choice-question")

    page.goto("/exercises/iou/")
    type_code(page, GOOD)  # the editor indents the body after "def …:"
    page.get_by_role("button", name="Submit for grading").click()
    page.locator(".report strong", has_text="cases passed").wait_for(timeout=60_000)
    assert page.locator(".report .notice.success").count() == 1
    shot(page, "report")

    page.goto("/lectures/lecture-7/cheatsheet/")
    assert page.locator(".cheatsheet math").count() >= 10
    shot(page, "cheatsheet")


@pytest.mark.slow
def test_an_instructor_reaches_every_model_in_the_admin(
    page, shot, course, instructor
) -> None:
    page.goto("/admin/")
    page.get_by_label("Username").fill(instructor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    for model in [
        "Lectures",
        "Topics",
        "Questions",
        "Coding exercises",
        "Quiz attempts",
        "Submissions",
    ]:
        assert page.get_by_role("link", name=model, exact=True).count() >= 1, model
    page.get_by_role("link", name="Questions", exact=True).first.click()
    page.locator("#searchbar").fill("yolo-iou-half-overlap")
    page.locator("#searchbar").press("Enter")
    page.get_by_role("link", name="yolo-iou-half-overlap").click()
    assert page.get_by_label("Prompt").input_value().startswith("Two boxes")
    shot(page, "admin-question")
