"""The hint ladder in headless Chromium: a student opens hint 2 and, after
confirming, hint 3 with the keyboard alone; focus lands on each new hint; a
level asked for too early is refused in words without losing the controls;
axe-core finds no WCAG 2 A or AA violation at phone and desktop widths."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

import engine
from tests.e2e.a11y import axe_source, check_accessibility
from tests.e2e.editor import sign_in
from tests.factories.hints import FailedSubmissionFactory, HintRevealFactory, move_to

pytestmark = pytest.mark.slow
PLUS_ONE = next(m for m in engine.get_spec("iou").mistakes if m.id == "iou-plus-one")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until `selector` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _wait_for_focus(page, selector: str) -> None:
    """Until `selector` has the focus and htmx has settled the swap (its
    autofocus runs in the settle step, after the browser's own: a key pressed
    in between would have its focus taken back). A function, not an
    expression: the page's CSP refuses the eval an expression needs."""
    page.wait_for_function(
        "s => document.activeElement.matches(s)"
        " && !document.querySelector('.htmx-settling, .htmx-request, .htmx-swapping')",
        arg=selector,
    )


def _focused_text(page) -> str:
    return page.evaluate("document.activeElement.textContent").strip()


def test_a_student_climbs_the_hint_ladder_by_keyboard(
    page, shot, student: User
) -> None:
    axe_source()
    submission = FailedSubmissionFactory(user=student)
    first = HintRevealFactory(user=student, exercise=submission.exercise)
    move_to(first, timezone.now() - timedelta(minutes=2))
    sign_in(page, student.username)
    page.goto(f"/submissions/{submission.pk}/")
    ladder = page.locator(f"#hint-ladder-{submission.pk}")
    ladder.wait_for()
    for size, where in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page.set_viewport_size(size)
        check_accessibility(page, f"hint ladder, {where}")
        shot(page, where)

    _tab_to(page, ".hint-ladder button")
    assert _focused_text(page) == "Show hint 2"
    page.keyboard.press("Enter")
    page.locator(f"#hint-{submission.pk}-2 .hint-text").wait_for()
    _wait_for_focus(page, ".hint-name")
    assert _focused_text(page).startswith("Hint 2 of 3")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "confirm"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert _focused_text(page) == "Show hint 3"
    page.keyboard.press("Enter")
    bottom = page.locator(f"#hint-{submission.pk}-3 .hint-text")
    bottom.wait_for()
    assert PLUS_ONE.fix.replace("`", "")[:40] in bottom.inner_text()
    _wait_for_focus(page, ".hint-name")
    assert _focused_text(page).startswith("Hint 3 of 3")
    shot(page, "all-levels")
    check_accessibility(page, "hint ladder, every level open")


def test_a_level_asked_for_too_early_is_refused_in_words(page, student: User) -> None:
    axe_source()
    submission = FailedSubmissionFactory(user=student)
    sign_in(page, student.username)
    page.goto(f"/submissions/{submission.pk}/")
    page.get_by_role("button", name="Show hint 2").focus()
    page.keyboard.press("Enter")
    alert = page.locator(f"#hint-ladder-{submission.pk} [role=alert]")
    alert.wait_for()
    assert alert.inner_text().startswith("Hint 2 opens after your next submission")
    _wait_for_focus(page, ".hint-ladder button")
    assert _focused_text(page) == "Show hint 2"  # focus stays for a retry
    check_accessibility(page, "hint ladder, refused")
