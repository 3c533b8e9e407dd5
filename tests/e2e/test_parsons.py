"""The ladder in a real browser: the IoU Parsons problem solved with the
keyboard alone (every action heard in the live region, then the verdict),
the faded example filled in by keyboard, and axe-core on the worked, faded
and Parsons pages on a phone and a desktop."""

from __future__ import annotations

import pytest

from engine import get_spec
from engine.ladder import get_ladder
from exercises.coding.ladder import rung_seed
from tests.e2e.a11y import axe_source, check_accessibility
from tests.e2e.editor import sign_in
from tests.factories import CodingExerciseFactory
from tests.factories.ladder import model_blanks, solution_blocks

pytestmark = pytest.mark.slow
LADDER = get_ladder("iou")
LIVE = "#parsons-live"
SIZES = [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]


@pytest.fixture
def exercise():
    return CodingExerciseFactory(iou=True)


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until `selector` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def _live(page) -> str:
    return page.locator(LIVE).text_content().replace("\u00a0", "").strip()


def _source_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        '#parsons-blocks [role="option"]', "all => all.map(o => o.dataset.block)"
    )


def _pick(page, block: str) -> None:
    """In the focused Blocks list: Home, then Down to the block."""
    page.keyboard.press("Home")
    for _ in range(_source_ids(page).index(block)):
        page.keyboard.press("ArrowDown")


def test_a_student_solves_the_parsons_problem_by_keyboard(
    page, shot, exercise, student
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, student.username)
    page.goto(f"/exercises/{exercise.slug}/ladder/parsons")
    seed = rung_seed(user=student, exercise=exercise, rung="parsons")
    placed = solution_blocks(LADDER, seed)
    texts = [line.text for line in LADDER.lines]
    count = len(placed)

    _tab_to(page, "#parsons-blocks")
    # The second line first, then the first: Alt+Up puts it right.
    for number, index in enumerate([1, 0], start=1):
        _pick(page, placed[index][0])
        page.keyboard.press("Enter")
        assert _live(page) == (
            f"Added to your program, line {number} of {number}, indent 0: {texts[index]}"
        )
    page.keyboard.press("Tab")  # to Your program, where the last block added is active
    assert page.evaluate("document.activeElement.id") == "parsons-program"
    page.keyboard.press("Alt+ArrowUp")
    assert _live(page) == f"Moved to line 1 of 2: {texts[0]}"
    page.keyboard.press("]")
    assert _live(page) == "Indent is already 0, the most."
    page.keyboard.press("Shift+Tab")
    for index in range(2, count):
        _pick(page, placed[index][0])
        page.keyboard.press("Enter")
        assert _live(page) == (
            f"Added to your program, line {index + 1} of {index + 1}, indent 0: "
            f"{texts[index]}"
        )
    labels = page.eval_on_selector_all(
        '#parsons-program [role="option"]', "all => all.map(o => o.ariaLabel)"
    )
    assert labels[2] == f"line 3 of {count}, indent 0: {texts[2]}"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the toolbar: one tab stop, its first button
    assert page.evaluate("document.activeElement.textContent") == "Add to program"
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.textContent") == "Check"
    page.keyboard.press("Enter")
    verdict = page.locator("#verdict").filter(has_text="Passed")
    verdict.wait_for(timeout=90_000)
    assert "Every block is in place" in verdict.text_content()
    # The live region reads one sentence; the verdict's details stay out of it.
    live = page.get_by_role("status").filter(has_text="Passed.")
    assert live.text_content().split() == ["Passed."]
    shot(page, "passed")
    assert errors == []


def test_a_placed_distractor_is_named_in_the_verdict(page, exercise, student) -> None:
    sign_in(page, student.username)
    page.goto(f"/exercises/{exercise.slug}/ladder/parsons")
    seed = rung_seed(user=student, exercise=exercise, rung="parsons")
    distractor = LADDER.distractors[0]
    view = LADDER.parsons(seed)
    wrong = next(b.id for b in view.blocks if b.text == distractor.text)
    placed = solution_blocks(LADDER, seed)
    placed[distractor.pairs_with] = (wrong, 0)
    _tab_to(page, "#parsons-blocks")
    for block, _indent in placed:
        _pick(page, block)
        page.keyboard.press("Enter")
    page.get_by_role("button", name="Check").click()
    verdict = page.locator("#verdict").filter(has_text="Not yet")
    verdict.wait_for(timeout=90_000)
    title = next(
        m.title for m in get_spec("iou").mistakes if m.id == distractor.mistake_id
    )
    assert f"Known mistake: {title}" in verdict.text_content()


@pytest.mark.parametrize("size", SIZES, ids=["phone", "desktop"])
def test_the_ladder_pages_pass_axe(
    browser, live_server, exercise, student, size
) -> None:
    axe_source()
    context = browser.new_context(base_url=live_server.url, viewport=size)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, student.username)
    for rung in ("worked", "faded", "parsons"):
        page.goto(f"/exercises/{exercise.slug}/ladder/{rung}")
        check_accessibility(page, f"{rung} at {size['width']} px")
    page.locator("#parsons-blocks").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Check").click()
    page.locator("#verdict [data-status=done]").wait_for(timeout=90_000)
    check_accessibility(page, f"Parsons with a verdict at {size['width']} px")
    page.goto(f"/exercises/{exercise.slug}/")
    check_accessibility(page, f"exercise with its strip at {size['width']} px")
    context.close()


def test_a_student_fills_the_faded_example_by_keyboard(
    page, shot, exercise, student
) -> None:
    sign_in(page, student.username)
    page.goto(f"/exercises/{exercise.slug}/ladder/faded?level=2")
    for blank_id, text in model_blanks(LADDER, 2).items():
        _tab_to(page, f"#blank-{blank_id}")
        page.keyboard.type(text)
    _tab_to(page, ".faded-form button[type=submit]")
    page.keyboard.press("Enter")
    verdict = page.locator("#verdict").filter(has_text="Passed")
    verdict.wait_for(timeout=90_000)
    assert "Level 3" in verdict.text_content()
    shot(page, "faded-passed")


def test_without_javascript_the_puzzle_is_a_plain_form(
    browser, live_server, exercise, student
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, student.username)
    page.goto(f"/exercises/{exercise.slug}/ladder/parsons")
    assert not page.locator("#parsons-blocks").is_visible()
    seed = rung_seed(user=student, exercise=exercise, rung="parsons")
    for number, (block, indent) in enumerate(solution_blocks(LADDER, seed), start=1):
        page.get_by_label(f"Line {number}", exact=True).select_option(block)
        page.get_by_label(f"Indent of line {number}", exact=True).select_option(
            str(indent)
        )
    page.locator("[data-fallback]").get_by_role("button", name="Check").click()
    page.wait_for_url("**/rung-attempts/*/")
    # A page load announces nothing; the verdict is on the page.
    assert "✓ Passed." in page.locator("#verdict").text_content()
    context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_the_ladder_pages_fit_a_phone_without_scrolling_sideways(
    browser, live_server, exercise, student, width: int
) -> None:
    """WCAG 1.4.10 (reflow): at 320 px the breadcrumb's three crumbs and the
    faded table's widest blanks pushed the page past the screen."""
    topic = exercise.topic
    topic.code, topic.title = "6.10", "YOLO: cells, IoU and non-max suppression"
    topic.save()
    exercise.title = "Intersection over union of two boxes"
    exercise.save()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, student.username)
    levels = LADDER.faded(1).levels
    for path in ("worked", f"faded?level={levels}", "parsons"):
        page.goto(f"/exercises/{exercise.slug}/ladder/{path}")
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{path} at {width} px is {wide} px wide"
    context.close()
