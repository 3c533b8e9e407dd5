"""Running code before submitting it, in headless Chromium with the real
sandbox: Ctrl+Enter runs the editor's code on the examples (or on the
student's own input) and the result and its one-line summary (a polite live
region) appear; Ctrl+Shift+Enter submits. axe-core finds no WCAG 2 A/AA
violation at phone and desktop widths."""

from __future__ import annotations

import time

import pytest

from engine.specs import get_spec
from exercises.coding.worked_examples import EXAMPLES_SEED
from exercises.models import CodeRun, Submission
from tests.e2e.a11y import DESKTOP, PHONE, axe_source, check_accessibility
from tests.e2e.editor import EDITOR, EDITOR_INPUT, RIGHT_IOU, sign_in, type_code

pytestmark = pytest.mark.slow

# Lines without indentation: the editor indents the body after "def …:".
NO_CLAMP = """
def iou(box_a, box_b):
w = min(box_a[2], box_b[2]) - max(box_a[0], box_b[0])
h = min(box_a[3], box_b[3]) - max(box_a[1], box_b[1])
inter = w * h
union = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1]) + (box_b[2] - box_b[0]) * (box_b[3] - box_b[1]) - inter
print("union", union)
return inter / union
"""


def _wait_for_run(page, count: int):
    page.wait_for_function(
        "id => document.querySelector('#run-result .run-status .run-report') && "
        "document.querySelector('#run-result .run-status').id === id",
        arg=f"run-{_nth_run(count)}",
        timeout=90_000,
    )
    return page.locator("#run-result .run-report")


def _nth_run(count: int) -> int:
    """The id the count-th run will get (runs are made one at a time here)."""
    for _ in range(900):  # the request is on its way: its row appears first
        ids = list(CodeRun.objects.order_by("pk").values_list("pk", flat=True))
        if len(ids) >= count:
            return ids[count - 1]
        time.sleep(0.1)
    raise AssertionError(f"run {count} never reached the server")


def test_ctrl_enter_runs_the_examples_and_ctrl_shift_enter_submits(
    page, shot, course, student
) -> None:
    axe_source()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size(DESKTOP)
    sign_in(page, student.username)
    page.goto("/exercises/iou/")
    page.locator(EDITOR).wait_for()
    visible = [c for c in get_spec("iou").cases(EXAMPLES_SEED) if not c.hidden]
    assert page.locator("article.example").count() == len(visible)
    check_accessibility(page, "exercise page with examples, 1280 px")

    # A wrong function: Ctrl+Enter in the editor runs it on the examples.
    type_code(page, NO_CLAMP)
    page.keyboard.press("Control+Enter")
    report = _wait_for_run(page, 1)
    run = CodeRun.objects.get()
    assert 0 < run.matched < run.total == len(visible)
    summary = f"{run.matched} of {run.total} examples match the reference."
    assert summary in report.locator(".headline").inner_text()
    live = page.locator("#run-announcement")
    assert live.get_attribute("role") == "status"
    assert live.inner_text() == summary
    # The first example that differs shows its values at once.
    opened = report.locator("tbody tr").filter(has=page.locator("details[open]"))
    assert opened.count() == 1 and "✗ expected 0, got 1" in opened.inner_text()
    assert "Largest error: 1" in opened.inner_text()
    assert "union" in report.inner_text()  # what the code printed
    # Ctrl+Enter ran the code; it did not put a blank line into it.
    assert page.locator("textarea[name=source]").input_value().count("\n") == 6
    assert not Submission.objects.exists()
    check_accessibility(page, "run report, 1280 px")
    shot(page, "run-wrong")
    page.set_viewport_size(PHONE)
    check_accessibility(page, "run report, 390 px")
    shot(page, "run-wrong-phone")
    page.set_viewport_size(DESKTOP)

    # The student's own input: choose it, edit a field, Ctrl+Enter there.
    page.get_by_label("your own input").check()
    box_b = page.get_by_label("box_b", exact=True)
    assert box_b.is_visible()
    box_b.fill("[2, 2, 3, 3]")
    box_b.press("Control+Enter")
    report = _wait_for_run(page, 2)
    assert "Your output: a float" in report.inner_text()
    assert "once you have passed this exercise" in report.inner_text()
    assert CodeRun.objects.order_by("pk").last().inputs[1] == [
        "box_b",
        [2.0, 2.0, 3.0, 3.0],
    ]
    check_accessibility(page, "own input, 1280 px")
    shot(page, "run-own")
    page.set_viewport_size(PHONE)
    check_accessibility(page, "own input, 390 px")
    page.set_viewport_size(DESKTOP)

    # The right function on the examples.
    page.get_by_label(f"the {len(visible)} examples").check()
    assert not box_b.is_visible()
    type_code(page, RIGHT_IOU)
    page.keyboard.press("Control+Enter")
    report = _wait_for_run(page, 3)
    done = f"All {len(visible)} examples match the reference."
    assert done in report.inner_text() and live.inner_text() == done
    shot(page, "run-right")

    # Ctrl+Shift+Enter submits it for grading.
    page.locator(EDITOR_INPUT).focus()
    page.keyboard.press("Control+Shift+Enter")
    page.locator("#result .report .notice.success").wait_for(timeout=90_000)
    assert Submission.objects.get().score == 1.0
    assert CodeRun.objects.count() == 3
    assert errors == []
