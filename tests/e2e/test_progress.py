"""The progress page, "Start here" and "what next", in headless Chromium: no
axe-core violation (WCAG 2 A and AA) at phone and desktop widths, and each
reached and followed by keyboard alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from exercises.models import CodingExercise, Question, Topic
from tests.e2e.a11y import axe_source, check_accessibility
from tests.e2e.editor import sign_in
from tests.factories.mastery import answered, code_card

pytestmark = pytest.mark.slow
WIDTHS = (390, 1280)


def some_history(student) -> None:
    """Answers in two topics (7.7 last), and an IoU review due (6.10)."""
    answered(
        student,
        Question.objects.filter(topic__code="6.10", is_published=True).first(),
        correct=False,
    )
    for index, question in enumerate(
        Question.objects.filter(topic__code="7.7", is_published=True)[:3]
    ):
        answered(student, question, correct=index != 1)
    exercise = CodingExercise.objects.get(slug="iou")
    code_card(student, exercise, stability=1.0, due=timezone.now() - timedelta(hours=1))


def focus_by_tab(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element's accessible text starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("document.activeElement.innerText || ''").strip()
        if text.startswith(name):
            return
    raise AssertionError(f"{name!r} is not reachable by Tab")


def test_progress_and_start_here_are_accessible(page, shot, course, student) -> None:
    axe_source()
    some_history(student)
    sign_in(page, student.username)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/")
        page.get_by_text("Start here").first.wait_for()
        check_accessibility(page, f"dashboard at {width}px")
        shot(page, f"dashboard-{width}")
        page.goto("/progress/")
        check_accessibility(page, f"progress at {width}px")
        shot(page, f"progress-{width}")
    text = page.locator("main").inner_text()
    assert "Mastery per topic" in text and "Due for review" in text
    assert "Parsons problem" in text
    rnn = Topic.objects.get(code="7.7")
    assert page.get_by_role("img", name=f"{rnn.code} {rnn.title}: estimated").count()
    day = timezone.localdate()
    assert page.get_by_text(f"answers on {day:%a} {day.day} {day:%b}").count() == 1


def test_start_here_is_followed_by_keyboard(page, course, student) -> None:
    some_history(student)
    sign_in(page, student.username)
    page.goto("/")
    link = page.locator(".start-here a[role=button]")
    target = link.get_attribute("href")
    assert target == "/exercises/iou/ladder/parsons?review=1"  # a review is due
    title = link.inner_text().strip()
    focus_by_tab(page, title)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{target}")

    page.goto("/progress/")
    focus_by_tab(page, "7.8 LSTM")
    page.keyboard.press("Enter")
    page.wait_for_url("**/topics/lstm/")


def test_what_next_appears_after_an_answer(page, course, student) -> None:
    axe_source()
    sign_in(page, student.username)
    page.goto("/questions/yolo-iou-half-overlap/")
    page.get_by_label("Your answer").fill("1/3")
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_text("✓ Correct.").wait_for()
    suggestion = page.locator(".next-item a[role=button]")
    suggestion.wait_for()
    assert suggestion.inner_text().startswith("Next: ")
    reason = page.locator(".next-reason").inner_text()
    assert reason.startswith("Not started yet: 6.1 ") or "topic" in reason
    check_accessibility(page, "feedback with what next")
    href = suggestion.get_attribute("href")
    focus_by_tab(page, "Next: ")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")
    assert "/questions/" in page.url or "/exercises/" in page.url
