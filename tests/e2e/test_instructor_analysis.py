"""The item analysis drill-downs in headless Chromium: an instructor reaches a
parameterised question's page and a coding exercise's mistakes page from the
item analysis by keyboard alone, reads the flag in words, and both pages
pass axe-core (WCAG 2 A and AA) on a phone and on a desktop screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from exercises.models import CodingExercise, Question
from exercises.variants import variant_for
from tests.e2e.a11y import axe_source, check_accessibility
from tests.e2e.editor import sign_in
from tests.factories import (
    CodingExerciseFactory,
    QuestionFactory,
    QuizAttemptFactory,
    StudentFactory,
)
from tests.factories.analysis import NO_CLAMP, PLUS_ONE, graded, reveal

pytestmark = pytest.mark.slow

SPEC = {"generator": "head_parameter_count", "tolerance": {"abs": 0.5}}
SCREENS = ({"width": 390, "height": 844}, {"width": 1280, "height": 900})


def parameterised_question() -> Question:
    """VGG16 1 of 12 right, every other base 10 of 12: VGG16 is flagged."""
    question = QuestionFactory(
        slug="head",
        title="Parameters of a new head",
        prompt="A head on {{ base }} ({{ C }} features): how many parameters?",
        spec=SPEC,
    )
    students = [StudentFactory() for _ in range(8)]
    plan = {"VGG16": [True] + [False] * 11}
    for base in ("DenseNet121", "MobileNetV2", "ResNet50"):
        plan[base] = [True] * 10 + [False] * 2
    index = 0
    for base, marks in plan.items():
        seeds = [s for s in range(200) if variant_for(SPEC, s).values["base"] == base]
        for seed, right in zip(seeds[: len(marks)], marks, strict=True):
            QuizAttemptFactory(
                user=students[index % 8], question=question, seed=seed, is_correct=right
            )
            index += 1
    return question


def exercise_with_mistakes() -> CodingExercise:
    exercise = CodingExerciseFactory(iou=True)
    now = timezone.now()
    for index in range(3):
        student = StudentFactory()
        mistake = PLUS_ONE if index < 2 else NO_CLAMP
        first = graded(
            student, exercise, at=now - timedelta(minutes=9), mistake=mistake
        )
        reveal(
            student,
            exercise,
            level=1,
            mistake=mistake["id"],
            at=now - timedelta(minutes=8),
            submission=first,
        )
        graded(student, exercise, at=now - timedelta(minutes=2))
    return exercise


def follow_by_keyboard(page, name: str, url: str) -> None:
    """Tab until the link named `name` has the focus, then press Enter."""
    link = page.get_by_role("link", name=name).first
    for _ in range(200):
        page.keyboard.press("Tab")
        if link.evaluate("(element) => element === document.activeElement"):
            break
    else:
        pytest.fail(f"the link {name!r} never took the keyboard focus")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{url}")


def test_an_instructor_reads_both_drill_downs_by_keyboard(
    browser, live_server, shot, instructor: User
) -> None:
    axe_source()
    parameterised_question()
    exercise_with_mistakes()
    context = browser.new_context(base_url=live_server.url, viewport=SCREENS[1])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, instructor.username)
        page.goto("/instructor/items/")
        follow_by_keyboard(
            page, "By parameter value", "/instructor/items/head/parameters"
        )
        flags = page.locator("#flags")
        assert "base = VGG16: far harder than its siblings" in flags.inner_text()
        summary = page.locator("summary", has_text="How to read these tables")
        summary.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("imaginary answers")).to_be_visible()
        table = page.get_by_role("table", name="base by value")
        assert table.get_by_role("rowheader", name="VGG16").is_visible()
        for screen in SCREENS:
            page.set_viewport_size(screen)
            check_accessibility(page, f"parameters at {screen['width']} px")
        shot(page, "parameters")

        page.set_viewport_size(SCREENS[1])
        page.goto("/instructor/items/")
        follow_by_keyboard(
            page, "Mistakes and hints", "/instructor/exercises/iou/mistakes"
        )
        mistakes = page.get_by_role("table", name="Named mistakes in failing first")
        row = mistakes.get_by_role("row", name="+1 pixel convention")
        assert "67%" in row.inner_text()  # 2 of the 3 failing first submissions
        for screen in SCREENS:
            page.set_viewport_size(screen)
            check_accessibility(page, f"mistakes at {screen['width']} px")
        shot(page, "mistakes")
    finally:
        context.close()
