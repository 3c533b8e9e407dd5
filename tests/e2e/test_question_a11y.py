"""Answering questions with the keyboard alone, in headless Chromium: each
question kind (single, multiple, numeric, symbolic, matrix, multistep,
ordering) answered right with Tab, Space, Enter and the arrow keys; Enter in a
field runs "Check my answer"; unreadable fields are marked and described by
their messages; the live region holds a short verdict; a check in flight is
busy and a second Enter is dropped; ordering moves are named and announced.
axe-core (every default rule, every impact) finds nothing at 390 and 1280 px
in each state: fresh, "Check the form" errors, a wrong answer, a right answer,
a hint shown."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from exercises.models import Question, QuizAttempt
from exercises.presentation import Presented, current_seed, present
from tests.e2e.a11y import at_widths, axe_source
from tests.e2e.editor import sign_in
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    CourseFactory,
    MembershipFactory,
)
from tutor.courses.models import Work
from tutor.spoken import spoken

# Each walks several pages at two widths under axe: on a busy two-core
# machine beside another browser test that can pass the default 300 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

SINGLE = "design-pyramid-shape"
MULTIPLE = "design-four-principles"
NUMERIC = "design-receptive-field-stack"
SYMBOLIC = "design-two-3x3-symbolic"
MATRIX = "design-pyramid-stages"
MULTISTEP = "design-factorise-by-hand"
ORDERING = "dd-regimes-order"


def _shown(student: User, slug: str) -> Presented:
    """The variant the student sees (the page draws the same one)."""
    question = Question.objects.get(slug=slug)
    return present(question, current_seed(student, question))


def _focused(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until `selector` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _verdict(page) -> str:
    """The short verdict once htmx has settled (it takes the focus)."""
    page.wait_for_function(
        "() => document.activeElement.matches('#feedback .verdict')"
        " && !document.querySelector('.htmx-settling, .htmx-request, .htmx-swapping')"
    )
    return page.locator("#feedback .verdict").inner_text().strip()


def _open(page, slug: str) -> None:
    page.goto(f"/questions/{slug}/")
    page.locator("#answer-form").wait_for()


def _type_fields(page, values: list[str]) -> None:
    """Type each value into the next text field, Tab between them; Enter in
    the last one (which must run "Check my answer")."""
    _tab_to(page, "#answer-form input[type=text]")
    for index, value in enumerate(values):
        if index:
            page.keyboard.press("Tab")
        page.keyboard.type(value)
    page.keyboard.press("Enter")


def _answer_single(page, shown: Presented) -> None:
    spec = shown.question.spec["options"]
    right = next(
        i for i, (id_, _) in enumerate(shown.options) if spec[id_].get("correct")
    )
    _tab_to(page, "#answer-form input[type=radio]")
    page.keyboard.press("Space")  # the first option
    for _ in range(right):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


def _answer_multiple(page, shown: Presented) -> None:
    spec = shown.question.spec["options"]
    _tab_to(page, "#answer-form input[type=checkbox]")
    for index, (id_, _) in enumerate(shown.options):
        if index:
            page.keyboard.press("Tab")
        if spec[id_].get("correct"):
            page.keyboard.press("Space")
    page.keyboard.press("Enter")


def _answer_ordering(page, shown: Presented) -> None:
    """Selection sort with the move-up buttons: for each place in turn, the
    item that belongs there is moved up until it gets there."""
    count = len(shown.items)
    status = page.locator("[data-order-status]")
    for place in range(count):
        up = f'li:has(input[value="{place}"]) [data-move=up]'
        ids = page.eval_on_selector_all(
            "[data-sortable] input[name=order]", "els => els.map(e => e.value)"
        )
        moves = ids.index(str(place)) - place
        if not moves:
            continue
        _tab_to(page, up)
        name = page.locator(up).get_attribute("aria-label")
        for _ in range(moves):
            page.keyboard.press("Enter")
        assert _focused(page, up)  # the button keeps the focus
        item = page.locator(f'li:has(input[value="{place}"])').get_attribute(
            "data-item-name"
        )
        assert name == f"Move ‘{item}’ up"
        where = f"now {place + 1} of {count}"
        assert status.inner_text() == f"{item.removesuffix('.')}: {where}"
    _tab_to(page, "#answer-form .actions button")
    page.keyboard.press("Enter")


def _number(value: object) -> str:
    return f"{float(value):.10g}"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "slug",
    [SINGLE, MULTIPLE, NUMERIC, SYMBOLIC, MATRIX, MULTISTEP, ORDERING],
    ids=[
        "single",
        "multiple",
        "numeric",
        "symbolic",
        "matrix",
        "multistep",
        "ordering",
    ],
)
def test_each_kind_is_answered_by_keyboard(
    page, shot, course, student: User, slug: str
) -> None:
    axe_source()
    sign_in(page, student.username)
    _open(page, slug)
    at_widths(page, f"{slug}, fresh")
    shown = _shown(student, slug)
    answer = shown.variant.answer
    kind = shown.question.kind
    if kind == "single":
        _answer_single(page, shown)
    elif kind == "multiple":
        _answer_multiple(page, shown)
    elif kind == "ordering":
        _answer_ordering(page, shown)
    elif kind == "numeric":
        _type_fields(page, [_number(answer)])
    elif kind == "symbolic":
        _type_fields(page, [str(answer)])
    elif kind == "matrix":
        _type_fields(page, [_number(value) for value in answer])
    else:
        parts = shown.question.spec["parts"]
        _type_fields(page, [_number(answer[part["name"]]) for part in parts])
    assert _verdict(page) == "✓ Correct."
    assert QuizAttempt.objects.get(user=student, question__slug=slug).is_correct
    at_widths(page, f"{slug}, answered right")
    shot(page, "right")


def test_unreadable_fields_are_marked_and_a_wrong_answer_summarised(
    page, shot, course, student: User
) -> None:
    axe_source()
    sign_in(page, student.username)
    _open(page, MULTISTEP)
    shown = _shown(student, MULTISTEP)
    labels = [spoken(part["label_html"]) for part in shown.parts]
    fields = page.locator("#answer-form input[type=text]")
    assert [fields.nth(i).get_attribute("aria-label") for i in range(3)] == labels

    # "Check the form" (free) with two fields that cannot be read.
    _tab_to(page, "#answer-form input[type=text]")
    page.keyboard.type("abc")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    page.keyboard.type("3/0")
    _tab_to(page, "#answer-form button[formaction]")
    page.keyboard.press("Enter")
    page.locator("#answer-form [aria-invalid=true]").nth(1).wait_for()
    invalid = page.eval_on_selector_all(
        "#answer-form [aria-invalid=true]",
        "els => els.map(e => [e.name, e.getAttribute('aria-describedby')])",
    )
    assert invalid == [
        ["part-big", "answer-form-error-part-big"],
        ["part-saved", "answer-form-error-part-saved"],
    ]
    big = page.locator("#answer-form-error-part-big").inner_text()
    saved = page.locator("#answer-form-error-part-saved").inner_text()
    assert big == f"{labels[0]}: “abc” is not a number: " + big.split(": ", 2)[2]
    assert saved == f"{labels[2]}: That divides by zero."
    assert not QuizAttempt.objects.filter(user=student).exists()
    at_widths(page, "check the form, errors")
    shot(page, "errors")

    # Fixed, but wrong: Enter in the field answers (not "Check the form").
    page.locator("#answer-form input[name=part-big]").fill("1")
    page.locator("#answer-form input[name=part-saved]").fill("2")
    page.locator("#answer-form input[name=part-saved]").focus()
    page.keyboard.press("Enter")
    assert _verdict(page) == "✗ Not yet: 0 of 3 parts right."
    assert page.locator("[aria-invalid]").count() == 0
    live = page.locator("#feedback [role=status], #feedback [aria-live]")
    assert live.count() == 1  # the verdict alone; the worked solution is outside
    assert page.locator("#feedback .parts-review li").count() == 3
    assert QuizAttempt.objects.filter(user=student).count() == 1
    at_widths(page, "a wrong answer")
    shot(page, "wrong")


def test_a_check_in_flight_is_busy_and_a_second_enter_is_dropped(
    page, course, student: User
) -> None:
    sign_in(page, student.username)
    _open(page, NUMERIC)
    held: list[object] = []
    for checks in ("**/answer", "**/check"):
        page.route(checks, lambda route: held.append(route))
    page.locator("#answer-form input[name=value]").focus()
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    answer = page.get_by_role("button", name="Check my answer")
    free = page.get_by_role("button", name="Check the form (free)")
    page.wait_for_function("() => document.querySelector('[aria-busy=true]')")
    assert answer.get_attribute("aria-busy") == "true"
    assert free.get_attribute("aria-busy") is None
    assert free.get_attribute("aria-disabled") == "true"
    page.keyboard.press("Enter")
    free.focus()
    page.keyboard.press("Enter")
    assert len(held) == 1
    assert _focused(page, "#answer-form button[formaction]")
    held[0].continue_()  # type: ignore[attr-defined]
    assert _verdict(page) == "✗ Not yet."
    assert QuizAttempt.objects.filter(user=student).count() == 1


def test_a_hint_shown_passes_axe(page, course, student: User) -> None:
    axe_source()
    sign_in(page, student.username)
    _open(page, MULTISTEP)
    _tab_to(page, "#hints button")
    page.keyboard.press("Enter")
    page.locator("#hints ol.hints li").wait_for()
    at_widths(page, "a hint shown")


def test_a_course_item_is_answered_by_keyboard(page, shot, student: User) -> None:
    """The course item question page: Enter submits the attempt; a field
    that cannot be read is marked and keeps the focus; the verdict takes it."""
    axe_source()
    course = CourseFactory(code="dl")
    MembershipFactory(course=course, user=student)
    assignment = AssignmentFactory(course=course, slug="week", published=True)
    item = AssignmentItemFactory(assignment=assignment)  # numeric, answer 1
    sign_in(page, student.username)
    page.goto(f"/courses/dl/assignments/week/items/{item.pk}/")
    at_widths(page, "course item, fresh")
    _type_fields(page, ["one"])
    page.wait_for_function(
        "() => document.activeElement.getAttribute('aria-invalid') === 'true'"
    )
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == (
        "answer-form-error-value"
    )
    assert not Work.objects.exists()
    at_widths(page, "course item, unreadable")
    page.keyboard.press("Control+a")
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement.matches('#question-body .notice[role=status]')"
        " && !document.querySelector('.htmx-settling, .htmx-request, .htmx-swapping')"
    )
    assert page.locator("#question-body [role=status]").inner_text().strip() == (
        "✓ Correct."
    )
    assert Work.objects.get(user=student).raw_score == 1.0
    at_widths(page, "course item, answered")
    shot(page, "course-item")
