"""The mock exam in headless Chromium, for everyone: no axe-core violation
(default rules, every impact) at 390 and 1280 px on the exams page, the paper
(fresh, partly answered with a flag), the summary before marking and the
marked paper; and a whole exam taken with the keyboard alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from exercises.models import Question
from tests.e2e.a11y import at_widths, axe_source
from tests.e2e.editor import sign_in
from tests.factories import ExamBlueprintFactory
from tests.tutor.test_exams import paper_of, question_of
from tutor.models import MockExam

# Each walks several pages at two widths under axe: on a busy two-core
# machine beside another browser test that can pass the default 300 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

WAIT = {"timeout": 15_000}


def tab_to(page, selector: str, *, back: bool = False, limit: int = 120) -> None:
    """Press Tab (Shift+Tab with `back`) until the focus is on `selector`."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with {key}")


def test_the_exam_pages_have_no_axe_violations(page, shot, course, student) -> None:
    axe_source()
    ExamBlueprintFactory(name="YOLO and TF-IDF", rules=[{"topic": "6.10", "count": 2}])
    exam = paper_of(
        student, question_of("numeric"), question_of("single"), question_of("multiple")
    )
    sign_in(page, student.username)
    page.goto("/exams/")
    at_widths(page, "the exams page")

    page.goto(f"/exams/{exam.pk}/")
    at_widths(page, "a fresh paper")
    first, second = page.locator("#item-0"), page.locator("#item-1")
    first.get_by_label("Your answer").fill("0.25")
    expect(first.get_by_role("status")).to_contain_text("Answer saved", **WAIT)
    second.get_by_role("radio").first.check()
    expect(second.get_by_role("status")).to_contain_text("Answer saved", **WAIT)
    flag = page.locator("#flag-2")
    flag.click()
    expect(page.locator("#flag-2")).to_have_attribute("aria-pressed", "true", **WAIT)
    nav = page.get_by_role("navigation", name="Questions")
    expect(nav).to_contain_text("2 of 3 answered, 1 flagged")
    expect(
        nav.get_by_role("link", name="Question 3: not answered, flagged")
    ).to_be_visible()
    at_widths(page, "a paper partly answered, one question flagged")
    shot(page, "paper-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("details[data-exam-nav]")).not_to_have_attribute("open", "")
    shot(page, "paper-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"/exams/{exam.pk}/review")
    expect(page.locator(".exam-summary")).to_contain_text("1 flagged for review")
    at_widths(page, "the summary before marking")
    page.get_by_role("button", name="Submit the paper for marking").click()
    page.get_by_role("heading", name="Your script").wait_for()
    at_widths(page, "the marked paper")
    shot(page, "result-1280")


def test_an_exam_taken_with_the_keyboard_alone(page, shot, course, student) -> None:
    blueprint = ExamBlueprintFactory(
        name="Keyboard paper", rules=[{"topic": "6.10", "count": 3}]
    )
    sign_in(page, student.username)
    page.goto("/exams/")
    tab_to(page, f'button[aria-describedby="paper-{blueprint.pk}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/exams/\d+/$"))
    exam = MockExam.objects.get(user=student)
    # The draw is tested on its own; here the paper is of known kinds.
    kinds = [question_of("numeric"), question_of("single"), question_of("numeric")]
    for position, question in enumerate(kinds):
        exam.items.filter(position=position).update(question=question)
    page.reload()
    first, second, third = (page.locator(f"#item-{n}") for n in range(3))

    tab_to(page, "#item-0 input[name='q0-value']")
    page.keyboard.type("0.25")
    expect(first.get_by_role("status")).to_contain_text("Answer saved", **WAIT)
    tab_to(page, "#item-1 input[type=radio]")
    page.keyboard.press("Space")
    expect(second.get_by_role("status")).to_contain_text("Answer saved", **WAIT)
    tab_to(page, "#flag-1")
    page.keyboard.press("Space")
    expect(page.locator("#flag-1")).to_have_attribute("aria-pressed", "true", **WAIT)
    assert page.evaluate("document.activeElement.id") == "flag-1"
    assert exam.items.get(position=1).flagged

    # The panel: back to its link to question 3, follow it, answer there.
    nav = page.get_by_role("navigation", name="Questions")
    expect(nav).to_contain_text("2 of 3 answered, 1 flagged")
    tab_to(page, "a[href='#item-2']", back=True)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*#item-2$"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "q2-value"
    page.keyboard.type("abc")
    expect(third.get_by_role("status")).to_contain_text("Could not read", **WAIT)
    shot(page, "keyboard-paper")

    tab_to(page, "form[data-exam-paper] > button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/exams/{exam.pk}/review")
    summary = page.locator(".exam-summary")
    expect(summary).to_contain_text("2 answered")
    expect(summary).to_contain_text("1 could not be read")
    expect(summary).to_contain_text("1 flagged for review")
    tab_to(page, "form[action$='/submit'] button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Your script").wait_for()

    result = page.locator(".exam-result-summary")
    expect(result).to_contain_text("Answered 3")
    expect(result).to_contain_text("Unanswered 0")
    expect(result).to_contain_text("Flagged for review 1")
    expect(result).to_contain_text(
        re.compile(r"Time used\s+\d+ (min|s)[\w ]* of 30 min")
    )
    topic = exam.items.get(position=2).question.topic
    tab_to(page, f"a[href='/topics/{topic.slug}/practise']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/questions/[\w-]+/$"))  # practise: a question
    slug = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert Question.objects.get(slug=slug).topic == topic
