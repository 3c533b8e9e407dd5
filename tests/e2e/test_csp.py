"""The Content-Security-Policy in a real browser: a student's and an
instructor's pages, clicked through with htmx, the code editor and the admin,
break no directive (every `securitypolicyviolation` event and every console
error about the policy is recorded)."""

from __future__ import annotations

import pytest

from exercises.models import CodingExercise, Question
from tests.e2e.editor import EDITOR, sign_in, type_code
from tests.factories import PASSWORD, ExamBlueprintFactory, PersonalSheetFactory

pytestmark = pytest.mark.slow

# Runs in every document before its own scripts. window.print is replaced so
# that the sheet's Print button can be seen to work without a print dialog.
RECORD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile || "?"}:${event.lineNumber}) ${event.sample}`
  );
});
window.__printed = 0;
window.print = () => { window.__printed += 1; };
"""
CODE = """
def iou(box_a, box_b):
return 0.0
"""


class Recorder:
    """Policy violations seen so far, page by page."""

    def __init__(self, page) -> None:
        self.page = page
        self.seen: list[str] = []
        page.add_init_script(RECORD)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.seen.append(f"console: {message.text}")

    def collect(self) -> None:
        """Read this document's violations (before leaving it)."""
        url = self.page.url
        for violation in self.page.evaluate("window.__csp || []"):
            self.seen.append(f"{url}: {violation}")

    def visit(self, url: str) -> None:
        self.collect()
        self.page.goto(url)
        self.page.wait_for_load_state("load")


def test_no_page_breaks_the_policy(page, course, student, instructor) -> None:
    recorder = Recorder(page)
    question = Question.objects.get(slug="yolo-iou-half-overlap")
    sheet = PersonalSheetFactory(user=student, title="Night before")
    ExamBlueprintFactory(quick=True)

    # The sign-in page, then the dashboard.
    sign_in(page, student.username)
    assert page.get_by_text("Mastery by topic").is_visible()

    recorder.visit("/topics/yolo/")
    recorder.visit(f"/questions/{question.slug}/")
    page.get_by_label("Your answer").fill("1/3")
    page.get_by_role("button", name="Check my answer").click()
    page.locator("#feedback .notice").first.wait_for()
    assert "Correct" in page.locator("#feedback").inner_text()

    # The code editor: its layout sheet applies, it takes keys, it submits.
    recorder.visit("/exercises/iou/")
    page.locator(EDITOR).wait_for()
    assert page.locator(EDITOR).evaluate("e => getComputedStyle(e).display") == "grid"
    type_code(page, CODE)
    assert "return 0.0" in page.locator("textarea[name=source]").input_value()
    page.get_by_role("button", name="Submit for grading").click()
    page.locator(".report").wait_for(timeout=90_000)

    # The cheat sheets; the Print button works without an inline handler.
    recorder.visit("/sheets/all/")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") == 1
    recorder.visit(f"/sheets/mine/{sheet.pk}/")
    recorder.visit("/review/")
    recorder.visit("/exams/")
    page.locator("article", has_text="Quick YOLO paper").get_by_role(
        "button", name="Start"
    ).click()
    page.locator(".timer").wait_for()
    recorder.collect()
    page.get_by_role("button", name="Sign out").click()

    # The instructor: the gradebook, then the admin (htmx on the coding
    # exercise's validation panel).
    sign_in(page, instructor.username)
    recorder.visit("/instructor/gradebook/")
    recorder.visit("/admin/")
    assert page.get_by_role("link", name="Questions").first.is_visible()
    recorder.visit("/admin/exercises/question/")
    recorder.visit(f"/admin/exercises/question/{question.pk}/change/")
    assert page.locator("#id_kind").is_visible()
    recorder.visit(
        f"/admin/exercises/codingexercise/{CodingExercise.objects.get(slug='iou').pk}"
        "/change/"
    )
    recorder.visit("/admin/axes/accessattempt/")
    recorder.collect()

    assert recorder.seen == []


def test_a_locked_out_sign_in_page_breaks_no_directive(page, student) -> None:
    recorder = Recorder(page)
    page.goto("/accounts/login/")
    for password in ["wrong"] * 5 + [PASSWORD]:
        page.get_by_label("Username").fill(student.username)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():  # each refusal is a new page
            page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    assert "Try again in 15" in alert.inner_text()
    recorder.collect()
    assert recorder.seen == []
