"""The site's frame and the student pages around the questions, in headless
Chromium: axe-core (every default rule, every impact) finds nothing at 1280
and 390 px and no page is wider than the window; the skip link, the focus
ring, errors tied to their fields, formulas that scroll only inside a
keyboard-reachable region; and a cheat sheet built by keyboard alone."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exercises.models import Question
from tests.e2e.a11y import (
    DESKTOP,
    PHONE,
    at_widths,
    axe_source,
    check_accessibility,
    overflows,
)
from tests.e2e.editor import sign_in
from tests.factories import QuestionProgressFactory
from tests.factories.courses import CourseFactory
from tests.factories.mastery import answered
from tutor.models import PersonalSheet

# Each walks several pages at two widths under axe: on a busy two-core
# machine beside another browser test that can pass the default 300 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

SHEETS = ("lecture-6", "lecture-7", "all")
# Each formula box that scrolls is a focusable region named "Formula…"; none
# scrolls without being one.
UNREACHABLE_SCROLLERS = """() => [...document.querySelectorAll('main *')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1
        && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
    .filter((e) => e.tabIndex < 0 && !e.querySelector('a, button, input, select, textarea'))
    .map((e) => e.tagName + '.' + e.className)"""
FORMULA_REGIONS = """() => [...document.querySelectorAll('[role=region]')]
    .filter((e) => /^Formula( \\d+)?$/.test(e.getAttribute('aria-label') || ''))
    .map((e) => [e.tabIndex, e.scrollWidth > e.clientWidth])"""


def described_by(page, selector: str) -> str:
    """The text of the elements an input's aria-describedby names."""
    return page.evaluate(
        """(selector) => {
            const input = document.querySelector(selector);
            const ids = (input.getAttribute('aria-describedby') || '').split(/\\s+/);
            return ids.filter(Boolean)
                .map((id) => document.getElementById(id).textContent.trim()).join(' ');
        }""",
        selector,
    )


def luminance(rgb: str) -> float:
    channels = [int(value) / 255 for value in re.findall(r"\d+", rgb)[:3]]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def tab_until(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable by Tab")


def test_it_checks_the_anonymous_pages(page, shot, course, student) -> None:
    axe_source()
    for address in ("/", "/accounts/password_reset/", "/sheets/", "/lti/login/"):
        page.goto(address)
        at_widths(page, address)
    page.goto("/no/such/page/")
    assert page.locator("h1").inner_text() == "Not found"
    at_widths(page, "404")
    page.set_extra_http_headers({"Sec-Fetch-Dest": "iframe"})
    page.goto("/lti/login/?iss=https%3A%2F%2Flms.example")
    page.set_extra_http_headers({})
    at_widths(page, "LTI cookie check")

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(student.username)
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    # The refusal is a new page: wait for it before reading it.
    expect(page.get_by_label("Username")).to_have_attribute("aria-invalid", "true")
    assert "did not match" in described_by(page, "input[name=password]")
    assert page.get_by_label("Username").input_value() == student.username
    at_widths(page, "login with an error")

    page.goto("/accounts/signup/")
    page.locator("#id_username").fill(student.username)
    page.locator("#id_password1").fill("a-long-enough-passphrase")
    page.locator("#id_password2").fill("another-passphrase")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#id_username")).to_have_attribute("aria-invalid", "true")
    assert "already exists" in described_by(page, "#id_username")
    assert "didn’t match" in described_by(page, "#id_password2")
    at_widths(page, "signup with errors")
    shot(page, "signup-errors")

    for slug in SHEETS:
        page.goto(f"/sheets/{slug}/")
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            check_accessibility(page, f"sheet {slug} at {size['width']} px")
            assert page.evaluate(UNREACHABLE_SCROLLERS) == [], slug
            regions = page.evaluate(FORMULA_REGIONS)
            assert all(tab == 0 and scrolls for tab, scrolls in regions), regions
            if slug == "lecture-6" and size is PHONE:
                # Five of lecture 6's formulas are wider than a phone.
                assert len(regions) >= 1
                shot(page, "sheet-lecture-6-phone")


def test_it_checks_the_student_pages(page, shot, course, student) -> None:
    axe_source()
    sign_in(page, student.username)
    page.goto("/review/")
    at_widths(page, "review, nothing due")
    yolo = Question.objects.filter(topic__code="6.10", is_published=True)
    for question, correct in ((yolo[0], True), (yolo[1], False)):
        answered(student, question, correct=correct)
        QuestionProgressFactory(
            user=student,
            question=question,
            attempts=1,
            correct=int(correct),
            last_correct=correct,
            last_attempt_at=timezone.now(),
        )
    joinable = CourseFactory(title="Deep learning, spring")
    sheet = PersonalSheet.objects.create(user=student, title="Before the exam")
    sheet.topics.set(yolo[0].topic.lecture.topics.all())
    for address in (
        "/",
        "/lectures/lecture-6/",
        "/topics/yolo/",
        "/topics/lstm/",
        "/progress/",
        "/sheets/",
        f"/sheets/mine/{sheet.pk}/",
        "/courses/",
        f"/courses/join/{joinable.invite_code}/",
    ):
        page.goto(address)
        at_widths(page, address)
        assert page.evaluate(UNREACHABLE_SCROLLERS) == [], address
        shot(page, address.strip("/").replace("/", "-") or "dashboard")

    page.goto("/")
    chart = page.get_by_role("list", name="Questions attempted and answered correctly")
    link = chart.get_by_role("link", name=re.compile(r"^6\.10 YOLO"))
    total = Question.objects.filter(topic__code="6.10", is_published=True).count()
    assert link.inner_text() != ""
    assert re.search(
        rf": 1 of {total} questions answered correctly, 2 attempted$",
        link.evaluate("(a) => a.querySelector('.visually-hidden').textContent"),
    )
    assert chart.get_by_role("listitem").count() == 19

    page.goto("/sheets/mine/new")
    page.locator("#id_title").fill("   ")
    page.get_by_role("button", name="Save the sheet").click()
    expect(page.locator("#id_title")).to_have_attribute("aria-invalid", "true")
    assert "required" in described_by(page, "#id_title")
    assert page.locator("#topics-error").inner_text() == "Choose at least one topic."
    assert page.locator("fieldset[aria-describedby=topics-error]").count() == 2
    at_widths(page, "new own sheet with errors")
    shot(page, "sheet-errors")

    # An inline formula wider than a phone (the 30 numbers of a YOLO cell)
    # scrolls inside itself, not the page.
    page.set_viewport_size(PHONE)
    page.goto("/questions/yolo-decode-30-vector/")
    assert not overflows(page)
    assert page.evaluate(UNREACHABLE_SCROLLERS) == []


def test_it_checks_the_staff_setup_page(page, instructor) -> None:
    axe_source()
    sign_in(page, instructor.username)
    page.goto("/lti/setup/")
    at_widths(page, "LTI setup")


def test_it_skips_to_the_content_with_a_visible_focus_ring(page, course) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to main content"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 10
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    ring = page.evaluate(
        """() => {
            const PAGE_BACKGROUND = () => [document.body, document.documentElement]
                .map((e) => getComputedStyle(e).backgroundColor)
                .find((c) => c !== 'rgba(0, 0, 0, 0)') || 'rgb(255, 255, 255)';
            const style = getComputedStyle(document.activeElement);
            return [style.outlineStyle, style.outlineWidth, style.outlineColor,
                    style.outlineOffset, PAGE_BACKGROUND()];
        }"""
    )
    style, width, colour, offset, background = ring
    assert (style, width, offset) == ("solid", "3px", "2px")
    assert contrast(colour, background) >= 3
    # The first Tab after the skip lands inside the content (here the primary
    # "Sign in" button; the ring is 2 px outside it, and holds 3:1 against
    # the button's own colour as well).
    assert page.evaluate(
        "document.getElementById('main').contains(document.activeElement)"
    )
    fill = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert contrast(colour, fill) >= 3


def test_it_builds_a_cheat_sheet_by_keyboard(page, course, student) -> None:
    sign_in(page, student.username)
    page.goto("/sheets/")
    tab_until(page, "a[href='/sheets/mine/new']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sheets/mine/new")
    tab_until(page, "#id_title")
    page.keyboard.press("Control+a")
    page.keyboard.type("YOLO and GRU")
    picked = []
    for code in ("6.10", "7.9"):
        value = page.evaluate(
            """(code) => [...document.querySelectorAll('input[name=topics]')]
                .find((box) => box.parentElement.textContent.trim().startsWith(code + ' ')).value""",
            code,
        )
        tab_until(page, f"input[name=topics][value='{value}']")
        page.keyboard.press("Space")
        picked.append(value)
    # Open the GRU note (its summary is the next stop) and type into it.
    tab_until(page, "summary")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("Two gates, no cell state.")
    tab_until(page, "button[type=submit]:not(.outline)")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/sheets/mine/\d+/$"))
    sheet = PersonalSheet.objects.get(user=student)
    assert sheet.title == "YOLO and GRU"
    assert sorted(
        str(pk) for pk in sheet.topics.values_list("pk", flat=True)
    ) == sorted(picked)
    assert sheet.notes.get("7.9") == "Two gates, no cell state."

    page.goto("/sheets/")
    tab_until(page, f"a[href='/sheets/mine/{sheet.pk}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sheets/mine/{sheet.pk}/")
    assert page.locator("h1").inner_text() == "YOLO and GRU"
    assert "Two gates, no cell state." in page.locator(".sheet-note").inner_text()
