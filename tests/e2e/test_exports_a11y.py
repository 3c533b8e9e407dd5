"""The exports page in headless Chromium: an instructor reaches it from the
instructors' landing page by keyboard, downloads a topic's Moodle XML and a
Gradescope autograder by keyboard alone, and the page passes axe-core
(default rules, every impact) at 1280 and 390 px."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from tests.e2e.a11y import at_widths, axe_source
from tests.e2e.editor import sign_in
from tests.factories import CodingExerciseFactory, QuestionFactory

# Each walks several pages at two widths under axe: on a busy two-core
# machine beside another browser test that can pass the default 300 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def focus_by_tab(page, locator, what: str) -> None:
    """Tab until `locator` has the keyboard focus."""
    for _ in range(200):
        page.keyboard.press("Tab")
        if locator.evaluate("(element) => element === document.activeElement"):
            return
    pytest.fail(f"{what} never took the keyboard focus")


def test_an_instructor_downloads_exports_by_keyboard(
    browser, live_server, shot, instructor: User
) -> None:
    axe_source()
    exercise = CodingExerciseFactory(iou=True)
    QuestionFactory(topic=exercise.topic, title="How many boxes overlap?")
    CodingExerciseFactory(own=True, is_published=True)
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        sign_in(page, instructor.username)
        page.goto("/instructor/")
        link = page.get_by_role("link", name="Exports")
        focus_by_tab(page, link, "the Exports link")
        page.keyboard.press("Enter")
        page.wait_for_url("**/instructor/exports/")
        assert page.get_by_role("heading", level=1, name="Exports").is_visible()
        at_widths(page, "exports")
        shot(page, "exports-desktop")

        scope = page.get_by_label("Questions of")
        focus_by_tab(page, scope, "the Moodle scope")
        page.keyboard.press("ArrowDown")  # the whole bank → all of lecture 6
        page.keyboard.press("ArrowDown")  # → topic 6.10
        assert scope.input_value() == "topic:6.10"
        page.keyboard.press("Tab")
        page.keyboard.press("Control+a")
        page.keyboard.type("0")
        with page.expect_download() as moodle:
            page.keyboard.press("Enter")
        assert moodle.value.suggested_filename == "moodle-topic-6.10.xml"
        with open(moodle.value.path(), encoding="utf-8") as xml:
            assert "How many boxes overlap?" in xml.read()

        gradescope = page.get_by_role("link", name="Gradescope (.zip)")
        focus_by_tab(page, gradescope, "the Gradescope link")
        with page.expect_download() as package:
            page.keyboard.press("Enter")
        assert package.value.suggested_filename == "gradescope-iou.zip"

        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "exports-phone")
    finally:
        context.close()
