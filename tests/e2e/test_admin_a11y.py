"""The authoring pages of the admin in headless Chromium: axe-core finds
nothing on them (every default rule, every impact) at 390 and 1280 px, in
the states that matter (validation errors shown, a preview, a report), and
an instructor adds a question by keyboard alone: every error shows at once,
on its field, and once fixed the question is saved as a draft."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from exercises.models import CodingExercise, Question, Topic
from tests.e2e.a11y import at_widths, axe_source
from tests.e2e.editor import sign_in
from tests.factories import (
    CodingExerciseFactory,
    QuestionFactory,
    QuizAttemptFactory,
    StudentFactory,
    TopicFactory,
)
from tests.factories.reports import ProblemReportFactory

# Each walks several pages at two widths under axe: on a busy two-core
# machine beside another browser test that can pass the default 300 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ADMIN = "/admin/exercises"


def focus_by_tab(page, selector: str) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    target = page.locator(selector).first
    for _ in range(300):
        page.keyboard.press("Tab")
        if target.evaluate("(element) => element === document.activeElement"):
            return
    pytest.fail(f"{selector} never took the keyboard focus")


def type_into(page, selector: str, text: str) -> None:
    """Tab to a field, clear it and type; a new line is Enter."""
    focus_by_tab(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    for number, line in enumerate(text.split("\n")):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(line)


def save_by_keyboard(page) -> None:
    focus_by_tab(page, "input[name=_save]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_authoring_pages_pass_axe(browser, live_server, instructor: User) -> None:
    axe_source()
    question = QuestionFactory(
        slug="half-of-eight",
        title="Half of eight",
        prompt="What is half of $8$?",
        tags=["arithmetic"],
        spec={"answer": 4, "wrong": ["8"]},
        is_published=False,
    )
    exercise = CodingExerciseFactory(own=True)
    QuizAttemptFactory(user=StudentFactory(), question=question)
    report = ProblemReportFactory()
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(60_000)  # a loaded machine: the first form imports torch
    try:
        sign_in(page, instructor.username)
        page.goto(f"{ADMIN}/question/")
        box = page.get_by_role("checkbox", name="half-of-eight is published")
        assert box.is_visible() and not box.is_checked()
        pages = {
            "question list": f"{ADMIN}/question/",
            "question": f"{ADMIN}/question/{question.pk}/change/",
            "question preview": f"{ADMIN}/question/{question.pk}/preview/",
            "coding exercise list": f"{ADMIN}/codingexercise/",
            "coding exercise": f"{ADMIN}/codingexercise/{exercise.pk}/change/",
            "coding preview": f"{ADMIN}/codingexercise/{exercise.pk}/preview/",
            "attempts": f"{ADMIN}/quizattempt/",
            "reports": f"{ADMIN}/problemreport/",
            "report": f"{ADMIN}/problemreport/{report.pk}/change/",
            "audit log": f"{ADMIN}/auditentry/",
            "submissions": f"{ADMIN}/submission/",
        }
        for where, url in pages.items():
            page.goto(url)
            at_widths(page, where)
        # The due date's boxes are named, and an empty add form shows its errors.
        page.goto(f"{ADMIN}/codingexercise/add/")
        for name in ("Due, date", "Due, time"):
            assert page.get_by_role("textbox", name=name, exact=True).is_visible()
        page.locator("input[name=_save]").first.click()
        expect(page.locator(".errornote").first).to_be_visible()
        at_widths(page, "coding exercise add, with errors")
    finally:
        context.close()


def test_an_instructor_adds_a_question_by_keyboard(
    browser, live_server, shot, instructor: User
) -> None:
    axe_source()
    topic: Topic = TopicFactory(title="Arithmetic")
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(60_000)  # a loaded machine: the first form imports torch
    try:
        sign_in(page, instructor.username)
        page.goto(f"{ADMIN}/question/add/?kind=numeric")
        focus_by_tab(page, "#id_topic")
        page.keyboard.type(str(topic))  # a select picks the option typed
        type_into(page, "#id_slug", "half-of-eight")
        type_into(page, "#id_title", "Half of eight")
        type_into(page, "#id_prompt", "What is half of $\\frac{1$ {{ missing }}?")
        type_into(page, "#id_explanation", "So $x^{2$ it is.")
        type_into(page, "#id_tags", "arithmetic")
        type_into(page, "#id_answer", "4")
        type_into(page, "#id_wrong", "4.0\n16")  # the first is right: it passes
        save_by_keyboard(page)

        # Every problem at once, each on its field and tied to it.
        assert page.locator(".errornote").first.is_visible()
        prompt = page.locator("#id_prompt")
        assert prompt.get_attribute("aria-invalid") == "true"
        described = prompt.get_attribute("aria-describedby") or ""
        said = " ".join(
            page.locator(f"[id='{ref}']").inner_text() for ref in described.split()
        )
        assert "The prompt's formula `\\frac{1` does not render" in said
        assert "placeholder `{{ missing }}` is not a value" in said
        explanation = page.locator(".field-explanation .errorlist").inner_text()
        assert "The explanation's formula `x^{2` does not render" in explanation
        errors = page.locator(".errorlist").all_inner_texts()
        assert any("a wrong answer passes as correct: `4.0`" in e for e in errors)
        assert not Question.objects.exists()
        shot(page, "question-errors")
        at_widths(page, "question add, with errors")

        type_into(page, "#id_prompt", "What is half of $\\frac{16}{2}$?")
        type_into(page, "#id_explanation", "So $x^{2}$ it is.")
        type_into(page, "#id_wrong", "8\n16")
        save_by_keyboard(page)
        assert page.locator(".messagelist .success").first.is_visible()
        question = Question.objects.get(slug="half-of-eight")
        assert question.is_published is False  # a draft until published
        assert question.topic == topic and question.spec["answer"] == 4
        assert not CodingExercise.objects.exists()
    finally:
        context.close()
