"""The coding exercise by keyboard alone, and axe-core (default rules, every
impact) at 1280 and 390 px in each state a student meets: a fresh exercise,
a submission waiting for grading, a failing report, a syntax error marked in
the editor, a passing report with "Next exercise", a run's result, a report
with wide arrays; the lists that mark solved exercises."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from exercises.coding.submissions import submission_grade
from exercises.models import CodingExercise, Submission
from tests.e2e.a11y import at_widths, axe_source, overflows
from tests.e2e.editor import EDITOR, EDITOR_INPUT, RIGHT_IOU, sign_in, type_lines
from tests.factories import CodingExerciseFactory, SubmissionFactory
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    MembershipFactory,
)

# Each walks several pages at two widths under axe: on a busy two-core
# machine beside another browser test that can pass the default 300 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

# Lines without indentation: the editor indents the body after "def …:".
WRONG = """
def iou(box_a, box_b):
return 0.0
"""
SYNTAX_ERROR = """
def iou(box_a, box_b):
inter = 1
return inter +
"""
REPORT_DONE = "#result .submission-status[data-status=done]"


def _focused(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def _tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _type_by_keyboard(page, code: str) -> None:
    """Tab into the editor, replace its text by typing `code` line by line
    (tests/e2e/editor.py's type_code, without its click), then leave the
    editor the way its help says: Esc, then Tab."""
    if not _focused(page, EDITOR_INPUT):
        _tab_to(page, EDITOR_INPUT)
    type_lines(page, code)
    page.keyboard.press("Escape")


def _submit_by_keyboard(page, code: str) -> Submission:
    before = Submission.objects.count()
    _type_by_keyboard(page, code)
    _tab_to(page, "button[type=submit]:not([data-run])")
    assert page.evaluate("document.activeElement.textContent").strip() == (
        "Submit for grading"
    )
    page.keyboard.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#submissions tbody tr').length === n",
        arg=before + 1,
        timeout=90_000,
    )
    page.locator(REPORT_DONE).wait_for(timeout=90_000)
    return Submission.objects.latest("created_at")


def _announced(page) -> str:
    live = page.locator("#result-announcement")
    assert live.get_attribute("role") == "status"
    # The live region holds the sentence, never the report.
    assert live.locator("table, h2, pre").count() == 0
    return " ".join(live.inner_text().split())


def test_a_student_submits_code_by_keyboard_and_every_state_passes_axe(
    page, shot, course: None, student: User
) -> None:
    axe_source()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, student.username)
    page.goto("/exercises/iou/")
    page.locator(EDITOR).wait_for()
    at_widths(page, "fresh exercise")
    shot(page, "fresh")

    # A wrong answer: the live region says how many cases pass, in one sentence.
    wrong = _submit_by_keyboard(page, WRONG)
    report = wrong.report
    assert 0 < report["passed"] < report["total"]
    assert _announced(page) == (
        f"Graded: {report['passed']} of {report['total']} cases pass."
    )
    assert page.locator("#result h2.headline").count() == 1
    assert page.locator("#result .case-detail h3").count() == 1
    at_widths(page, "failing report")
    shot(page, "failing")

    # A syntax error: the line is marked in the editor and described in words.
    _submit_by_keyboard(page, SYNTAX_ERROR)
    assert _announced(page) == "Syntax error on line 3."
    marked = page.locator(f"{EDITOR} .pce-line.pce-error-line")
    assert marked.count() == 1 and "return inter +" in marked.inner_text()
    assert page.locator("#editor-errors").inner_text() == "Line 3: invalid syntax"
    described = page.locator(EDITOR_INPUT).get_attribute("aria-describedby")
    assert described.split() == ["editor-errors", "editor-help"]
    at_widths(page, "syntax error")
    shot(page, "syntax-error")
    # Editing the marked line drops its mark and its message.
    page.locator(EDITOR_INPUT).focus()
    page.keyboard.press("Control+End")
    page.keyboard.type(" 1")
    assert marked.count() == 0
    assert page.locator("#editor-errors").is_hidden()
    assert page.locator(EDITOR_INPUT).get_attribute("aria-describedby") == (
        "editor-help"
    )

    # Back on the exercise later: the last report and its code are there,
    # the marked line too.
    page.goto("/exercises/iou/")
    page.locator(EDITOR).wait_for()
    assert page.locator("#result h2.headline").inner_text().startswith("Syntax error")
    assert "return inter +" in page.locator(EDITOR).inner_text()
    assert page.locator(f"{EDITOR} .pce-error-line").count() == 1
    assert page.locator("#result-announcement").inner_text() == ""

    # A pass: "Next exercise" is reached by Tab and leads there.
    right = _submit_by_keyboard(page, RIGHT_IOU)
    assert right.score == 1.0
    total = right.report["total"]
    assert _announced(page) == f"Graded: {total} of {total} cases pass."
    assert page.locator(f"{EDITOR} .pce-error-line").count() == 0
    at_widths(page, "passing report")
    shot(page, "passing")
    _tab_to(page, ".next-exercise a")
    following = CodingExercise.objects.get(slug="nms")
    assert page.evaluate("document.activeElement.textContent").strip() == (
        f"Next exercise: {following.title}"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/exercises/{following.slug}/")
    assert errors == []


def test_reset_to_starter_code_asks_first_and_can_be_undone(
    page, course: None, student: User
) -> None:
    exercise = CodingExercise.objects.get(slug="iou")
    sign_in(page, student.username)
    page.goto("/exercises/iou/")
    page.locator(EDITOR).wait_for()
    source = page.locator("textarea[name=source]")
    _type_by_keyboard(page, WRONG)
    answers = iter([False, True])
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.message)
        if next(answers):
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", answer)
    _tab_to(page, "button[data-reset-code]")
    page.keyboard.press("Enter")  # dismissed: nothing changes
    assert source.input_value() == "def iou(box_a, box_b):\n    return 0.0"
    page.keyboard.press("Enter")  # accepted
    starter = exercise.starter_code.replace("\r\n", "\n")
    page.wait_for_function(
        "s => document.querySelector('textarea[name=source]').value === s",
        arg=starter,
    )
    assert len(asked) == 2 and "starter code" in asked[0]
    assert _focused(page, EDITOR_INPUT)
    page.keyboard.press("Control+z")
    assert source.input_value() == "def iou(box_a, box_b):\n    return 0.0"


def test_waiting_run_and_wide_reports_pass_axe(
    page, shot, course: None, student: User
) -> None:
    axe_source()
    iou = CodingExercise.objects.get(slug="iou")
    # Queued, never graded, behind others and with a long number: its busy
    # line is wider than a phone and must wrap.
    earlier = timezone.now() - timedelta(minutes=5)
    for _ in range(12):
        ahead = SubmissionFactory(exercise=iou)
        Submission.objects.filter(pk=ahead.pk).update(created_at=earlier)
    waiting = SubmissionFactory(pk=12_345_678, user=student, exercise=iou)
    sign_in(page, student.username)
    page.goto("/exercises/iou/")
    page.locator("#result .submission-status[data-status=queued]").wait_for()
    assert page.locator("#result progress").count() == 1
    at_widths(page, "exercise with a queued submission")
    page.goto(f"/submissions/{waiting.pk}/")
    assert page.locator("h1").inner_text() == f"Submission #{waiting.pk}"
    at_widths(page, "queued submission page")
    Submission.objects.filter(pk=waiting.pk).update(status=Submission.Status.ERROR)

    # A run on the examples: its report under the run panel.
    page.goto("/exercises/iou/")
    page.locator(EDITOR).wait_for()
    _type_by_keyboard(page, WRONG)
    _tab_to(page, "button[data-run]")
    page.keyboard.press("Enter")
    page.locator("#run-result .run-status[data-status=done]").wait_for(timeout=90_000)
    at_widths(page, "run result")
    shot(page, "run")

    # Wide arrays: a Gram matrix and filters, their numbers in scroll regions.
    topic = iou.topic
    for spec, source in WIDE.items():
        exercise = CodingExerciseFactory(
            topic=topic, slug=spec.replace("_", "-"), title=spec, engine_spec=spec
        )
        submission = SubmissionFactory(user=student, exercise=exercise, source=source)
        submission_grade(submission_id=submission.pk, worker_id="e2e")
        page.goto(f"/submissions/{submission.pk}/")
        page.locator(".report").wait_for()
        for details in page.locator(".case-detail details").all():
            details.locator("summary").press("Enter")
        regions = page.locator(".report pre[role=region]")
        assert regions.count() >= 2
        page.set_viewport_size({"width": 390, "height": 844})
        wide = [
            region
            for region in regions.all()
            if region.evaluate("e => e.scrollWidth > e.clientWidth")
        ]
        assert wide, f"{spec}: no value is wider than a phone"
        assert all(r.get_attribute("tabindex") == "0" for r in wide)
        assert not overflows(page)
        at_widths(page, f"{spec} report with its numbers open")
        shot(page, spec)


def test_lists_mark_solved_exercises_and_pass_axe(
    page, course: None, student: User
) -> None:
    axe_source()
    iou = CodingExercise.objects.get(slug="iou")
    SubmissionFactory(user=student, exercise=iou, graded=True)
    sign_in(page, student.username)
    for url in (f"/topics/{iou.topic.slug}/", f"/lectures/{iou.topic.lecture.slug}/"):
        page.goto(url)
        item = page.locator("li", has=page.get_by_role("link", name=iou.title))
        assert "✓ Solved" in item.inner_text()
        assert "Level 1 of 3" in item.inner_text()
        at_widths(page, url)


def test_a_course_coding_item_by_keyboard_passes_axe(
    page, shot, course: None, student: User
) -> None:
    axe_source()
    membership = MembershipFactory(user=student)
    assignment = AssignmentFactory(course=membership.course, published=True)
    item = AssignmentItemFactory(
        assignment=assignment,
        question=None,
        exercise=CodingExercise.objects.get(slug="iou"),
    )
    sign_in(page, student.username)
    page.goto(
        f"/courses/{membership.course.code}/assignments/{assignment.slug}"
        f"/items/{item.pk}/"
    )
    page.locator(EDITOR).wait_for()
    at_widths(page, "course coding item")
    _type_by_keyboard(page, SYNTAX_ERROR)
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.locator(REPORT_DONE).wait_for(timeout=90_000)
    assert _announced(page) == "Syntax error on line 3."
    assert page.locator(f"{EDITOR} .pce-error-line").count() == 1
    at_widths(page, "course coding item with a report")
    shot(page, "course-item")
    page.locator("#result .submission-status a").last.press("Enter")
    page.locator("h1").wait_for()
    at_widths(page, "course submission page")


WIDE = {
    "gram_matrix": (
        "def gram_matrix(features):\n"
        "    import numpy as np\n"
        "    m = np.asarray(features).reshape(len(features), -1)\n"
        "    return m @ m.T / m.shape[1]\n"
    ),
    "normalise_filters": (
        "def normalise_filters(weights):\n"
        "    import numpy as np\n"
        "    w = np.asarray(weights, dtype=float)\n"
        "    low = w.min(axis=(2, 3), keepdims=True)\n"
        "    span = w.max(axis=(2, 3), keepdims=True) - low\n"
        "    return np.where(span > 0, (w - low) / np.where(span > 0, span, 1), 0)\n"
    ),
}
