"""A mock exam in headless Chromium: answers saved as they are typed and shown
again after a reload, an unreadable one said so, a warning before leaving
with input the server has not got, and a summary before the paper is marked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.editor import sign_in
from tests.tutor.test_exams import paper_of, question_of

pytestmark = pytest.mark.slow

WAIT = {"timeout": 15_000}


def test_a_paper_saves_as_it_goes_and_shows_a_summary_before_marking(
    page, shot, course, student
) -> None:
    exam = paper_of(
        student, question_of("numeric"), question_of("single"), question_of("numeric")
    )
    leaving: list[str] = []
    page.on("dialog", lambda dialog: (leaving.append(dialog.type), dialog.dismiss()))
    sign_in(page, student.username)
    page.goto(f"/exams/{exam.pk}/")
    first, second, third = (page.locator(f"#item-{n}") for n in range(3))
    answer = first.get_by_label("Your answer")

    # Autosave: typing alone saves, and says how the answer was read.
    answer.fill("abc")
    expect(first.get_by_role("status")).to_contain_text("Could not read “abc”", **WAIT)
    answer.fill("0.25")
    expect(first.get_by_role("status")).to_contain_text("Answer saved", **WAIT)
    second.get_by_role("radio").first.check()
    expect(second.get_by_role("status")).to_contain_text("Answer saved", **WAIT)
    shot(page, "saved")

    # A reload shows what was saved.
    page.reload()
    expect(answer).to_have_value("0.25")
    expect(second.get_by_role("radio").first).to_be_checked()
    expect(third.get_by_role("status")).to_contain_text("Not answered yet")

    # A save that cannot reach the server: said so, and leaving the page warns.
    page.route("**/items/*", lambda route: route.abort())
    answer.fill("1/3")
    expect(first.get_by_role("status")).to_contain_text("could not be reached", **WAIT)
    with page.expect_event("dialog") as warned:
        page.get_by_role("link", name="Mock exam").click()
    assert warned.value.type == "beforeunload"
    expect(answer).to_have_value("1/3")
    assert page.url.endswith(f"/exams/{exam.pk}/")
    page.unroute("**/items/*")

    # Submitting carries the unsaved field and shows the summary first.
    page.get_by_role("button", name="Submit the paper…").click()
    page.wait_for_url(f"**/exams/{exam.pk}/review")
    summary = page.locator(".exam-summary")
    expect(summary).to_contain_text("2 answered")
    expect(summary).to_contain_text("1 unanswered")
    shot(page, "summary")
    assert exam.items.get(position=0).answer == {"value": "1/3"}

    # A link goes back to the unanswered question; then confirm.
    page.get_by_role("link", name="Question 3").click()
    page.wait_for_url(re.compile(r".*/#item-2$"))
    third.get_by_label("Your answer").fill("2")
    third.get_by_label("Your answer").press("Enter")
    expect(third.get_by_role("status")).to_contain_text("Answer saved", **WAIT)
    page.get_by_role("button", name="Submit the paper…").click()
    expect(page.locator(".exam-summary")).to_contain_text("3 answered")
    page.get_by_role("button", name="Submit the paper for marking").click()
    page.get_by_role("heading", name="Your script").wait_for()
    assert leaving == ["beforeunload"]
    exam.refresh_from_db()
    assert not exam.is_open and exam.items.get(position=2).answer == {"value": "2"}
    shot(page, "marked")
