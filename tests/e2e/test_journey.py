"""A student's evening before the exam, clicked through in headless Chromium:
every page reached from the home page, each kind of question answered right
and wrong, a multi-step LSTM step, a review due the next day, a mock exam."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from exercises.models import Question
from exercises.presentation import current_seed
from exercises.variants import variant_for
from tests.factories import PASSWORD, ExamBlueprintFactory

pytestmark = pytest.mark.slow

# Pixels between the focused element's focus ring and the next element below.
RING_CLEARANCE = """() => {
    const focused = document.activeElement;
    const style = getComputedStyle(focused);
    const ring = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
    return focused.nextElementSibling.getBoundingClientRect().top
        - (focused.getBoundingClientRect().bottom + ring);
}"""


def sign_in(page, username: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def press(page, button: str) -> str:
    """Click a button of the question form and return the feedback it brings."""
    page.evaluate("document.querySelector('#feedback').innerHTML = ''")
    page.get_by_role("button", name=button).click()
    page.locator("#feedback .notice").first.wait_for()
    return page.locator("#feedback").inner_text()


def assert_typeset(page, scope: str) -> None:
    assert page.locator(f"{scope} math").count() > 0
    assert not re.search(r"\$[^$]*\\[a-z]+", page.locator(scope).inner_text()), (
        "raw LaTeX on the page"
    )


def test_an_evening_of_practice(page, shot, course, student) -> None:
    sign_in(page, student.username)
    assert page.get_by_text("Mastery by topic").is_visible()
    shot(page, "dashboard")

    # From the home page, by clicking: the topic, then a numeric question.
    page.get_by_role("link", name=re.compile("6.10 YOLO")).first.click()
    assert_typeset(page, "section.summary")
    page.get_by_role("link", name="IoU of two half-overlapping boxes").click()
    page.get_by_label("Your answer").fill("a third")
    assert "no attempt was used" in press(page, "Check the form (free)")
    page.get_by_label("Your answer").fill("0.375")
    text = press(page, "Check my answer")
    assert "Not quite" in text and "Next review of this question" in text
    assert "Your answer: 0.375" in text and "Correct answer: 0.333333" in text
    assert re.search(r"1\xa0day|1 day|23\xa0hours|23 hours", text), text
    # The attempt is closed: no live form, the verdict has the focus.
    assert page.get_by_label("Your answer").count() == 0
    assert page.evaluate("document.activeElement.getAttribute('role')") == "status"
    # Its focus ring (outline plus offset) stays clear of the line below it.
    assert page.evaluate(RING_CLEARANCE) >= 0
    page.get_by_role("button", name="Try again").click()
    page.get_by_label("Your answer").fill("1/3")
    assert "✓ Correct." in press(page, "Check my answer")
    assert_typeset(page, "#feedback")
    shot(page, "numeric")

    # A symbolic question, wrong then right, with the free form check first.
    page.goto("/questions/sigmoid-derivative/")
    box = page.get_by_label("Your expression")
    box.fill("sigma(x")
    assert "character" in press(page, "Check the form (free)")
    box.fill("sigma(x)")
    assert "Not equivalent" in press(page, "Check my answer")
    page.get_by_role("button", name="Try again").click()
    box.fill("sigma(x)*(1 - sigma(x))")
    assert "✓ Correct." in press(page, "Check my answer")
    shot(page, "symbolic")

    # One LSTM step by hand: a slip in f_t is marked once, later parts carried.
    question = Question.objects.get(slug="lstm-step-by-hand")
    page.goto("/questions/lstm-step-by-hand/")
    seed = current_seed(student, question)
    answers = variant_for(question.spec, seed).answer
    import numpy as np

    values = {name: np.asarray(value, dtype=float) for name, value in answers.items()}
    values["f"] = values["f"] + 0.2
    values["c"] = (
        values["f"] * variant_for(question.spec, seed).values["C_prev"]
        + values["i"] * values["c_tilde"]
    )
    values["h"] = values["o"] * np.tanh(values["c"])
    for name, vector in values.items():
        for column, entry in enumerate(vector):
            page.locator(f'input[name="part-{name}-cell-0-{column}"]').fill(
                f"{entry:.4f}"
            )
    text = press(page, "Check my answer")
    assert "5 of 6 parts right" in text and "earlier slip is marked once" in text
    assert_typeset(page, ".prompt")
    shot(page, "lstm-multistep")

    # The review queue and a short mock exam.
    page.get_by_role("link", name="Review", exact=True).click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    shot(page, "review")
    ExamBlueprintFactory(quick=True, rules=[{"topic": "6.10", "count": 2}])
    page.get_by_role("link", name="Mock exam").first.click()
    page.locator("article", has_text="Quick YOLO paper").get_by_role(
        "button", name="Start"
    ).click()
    assert page.get_by_text("Time left").is_visible()
    shot(page, "exam-paper")
    first = page.locator("section.exam-item").first
    if first.locator('input[type="radio"]').count():
        first.locator('input[type="radio"]').first.check()
    elif first.locator('input[name$="-value"]').count():
        first.locator('input[name$="-value"]').first.fill("0.5")
    first.get_by_role("button", name="Save answer").click()
    first.get_by_role("status").filter(has_text="saved").wait_for()
    page.get_by_role("button", name="Submit the paper…").click()
    page.get_by_role("button", name="Submit the paper for marking").click()
    page.get_by_role("heading", name="Your script").wait_for()
    expect(page.get_by_text("By topic")).to_be_visible()
    shot(page, "exam-marked")


def test_pages_fit_a_phone(browser, live_server, course, student, shot) -> None:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    sign_in(page, student.username)
    for url, name in [
        ("/", "phone-dashboard"),
        ("/topics/lstm/", "phone-topic"),
        ("/questions/lstm-step-by-hand/", "phone-lstm"),
        ("/questions/yolo-nms-trace/", "phone-nms"),
        ("/lectures/lecture-7/cheatsheet/", "phone-cheatsheet"),
    ]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"{url} is {width}px wide at a phone's width"
        shot(page, name)
    context.close()
