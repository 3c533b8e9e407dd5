"""The answer forms of questions: every input has a name in words (formulas
read out in plain text), fields that cannot be read are named with their
messages in words, "Check my answer" is the button Enter presses, and the
live region holds a short verdict. On the practice page, a course's question
item and the mock-exam paper."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from exercises.checkers import CheckResult
from exercises.models import Question, QuizAttempt
from exercises.presentation import current_seed, present
from tests.factories.content import QuestionFactory
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    CourseFactory,
    MembershipFactory,
)
from tests.factories.study import MockExamFactory
from tutor.answer_errors import FieldError, field_errors
from tutor.courses.items import next_seed
from tutor.spoken import spoken
from tutor.views.practice import answer_from

pytestmark = pytest.mark.django_db

PARTS = [
    {"name": "gate", "label": "The gate $f_t$", "kind": "numeric", "answer": 0.5},
    {"name": "cell", "label": "The cell state", "kind": "numeric", "answer": 2},
    {"name": "w", "label": "The weights", "kind": "matrix", "answer": [[1, 2]]},
]
OPTIONS = [
    {"text": r"$\frac{1}{\sigma(t \cdot n)}$", "correct": True},
    {"text": r"$-\sigma(t)$"},
    {"text": "None of these"},
]


@pytest.fixture
def multistep() -> Question:
    return QuestionFactory(kind=Question.Kind.MULTISTEP, spec={"parts": PARTS})


@pytest.fixture
def formulas() -> Question:
    return QuestionFactory(kind=Question.Kind.SINGLE, spec={"options": OPTIONS})


def _attributes(page: str, tag: str, name: str) -> str:
    """The attributes of the first `tag` element whose name is `name`."""
    match = re.search(rf'<{tag}\b[^>]*name="{re.escape(name)}"[^>]*>', page, re.S)
    assert match, name
    return match.group(0)


def test_it_reads_formulas_out_in_plain_text() -> None:
    from exercises.rendering import render_markdown

    def read(text: str) -> str:
        return spoken(render_markdown(text, inline=True))

    assert read(r"$\frac{a+b}{c}$ or $\sqrt{d_k}$") == "(a + b)/c or √(d_k)"
    assert read(r"$\sigma(-t \cdot n)$") == "σ(−t · n)"
    assert read(r"$e^{-x}$ and $W_{hh}$") == "e^(−x) and W_hh"
    assert read(r"$\begin{bmatrix}1 & 2\\3 & 4\end{bmatrix}$") == "[1, 2; 3, 4]"
    assert read("Plain *words*, no formula") == "Plain words, no formula"


def test_every_part_input_is_named_by_its_label_in_words(
    multistep: Question, student_client: Client
) -> None:
    page = student_client.get(f"/questions/{multistep.slug}/").content.decode()
    gate = _attributes(page, "input", "part-gate")
    assert 'aria-label="The gate f_t"' in gate
    assert 'aria-label="The cell state"' in _attributes(page, "input", "part-cell")
    grid = _attributes(page, "textarea", "part-w")
    assert 'aria-label="The weights: the whole matrix, one row per line"' in grid
    assert 'aria-label="row 1, column 2"' in _attributes(
        page, "input", "part-w-cell-0-1"
    )


def test_formula_options_are_named_in_words_and_plain_ones_by_their_label(
    formulas: Question, student_client: Client
) -> None:
    page = student_client.get(f"/questions/{formulas.slug}/").content.decode()
    radios = re.findall(r'<input type="radio"[^>]*>', page)
    names = sorted(re.findall(r'aria-label="([^"]*)"', " ".join(radios)))
    assert len(radios) == 3
    assert names == ["1/(σ(t · n))", "−σ(t)"]  # "None of these" names itself


def test_the_exam_paper_names_formula_options_and_parts(
    formulas: Question, multistep: Question, student: User, student_client: Client
) -> None:
    exam = MockExamFactory(user=student, questions=[formulas, multistep])
    page = student_client.get(f"/exams/{exam.pk}/").content.decode()
    radios = re.findall(r'<input type="radio"[^>]*>', page)
    assert sum('aria-label="1/(σ(t · n))"' in radio for radio in radios) == 1
    assert re.search(r'name="q\d+-part-gate"[^>]*aria-label="The gate f_t"', page, re.S)


def test_enter_presses_check_my_answer(
    multistep: Question, student_client: Client
) -> None:
    page = student_client.get(f"/questions/{multistep.slug}/").content.decode()
    form = page[page.index('<form method="post"\n        id="answer-form"') :]
    buttons = re.findall(
        r"<button[^>]*>([^<]*)</button>", form[: form.index("</form>")]
    )
    assert buttons == ["Check my answer", "Check the form (free)"]
    assert 'hx-sync="this:drop"' in form[: form.index(">")]


def test_every_unreadable_part_is_named_with_its_message(
    multistep: Question,
) -> None:
    shown = present(multistep, 0)
    answer = {"parts": {"gate": {"value": "1/0"}, "cell": {"value": "2"}, "w": {}}}
    errors = field_errors(shown, answer, CheckResult.unreadable("first one"))
    assert errors == [
        FieldError("part-gate", "The gate f_t: That divides by zero."),
        FieldError("part-w", "The weights: Enter the entries, one row per line."),
    ]
    assert field_errors(shown, answer, CheckResult(True)) == []


def test_check_the_form_ties_each_error_to_its_field(
    multistep: Question, student_client: Client
) -> None:
    response = student_client.post(
        f"/questions/{multistep.slug}/check",
        {"part-gate": "1/0", "part-cell": "2", "part-w": "1 2", "seed": "0"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert 'data-field-errors="answer-form"' in body and 'role="alert"' in body
    assert re.search(
        r'<li id="answer-form-error-part-gate"\s+data-field="part-gate">'
        r"The gate f_t: That divides by zero.</li>",
        body,
    )
    assert "part-cell" not in body and "{" not in body and "no attempt was used" in body


def test_a_readable_check_names_each_part_by_its_label(
    multistep: Question, student_client: Client
) -> None:
    response = student_client.post(
        f"/questions/{multistep.slug}/check",
        {"part-gate": "1/2", "part-cell": "2", "part-w": "1 2", "seed": "0"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<li>The cell state: 2</li>" in body and "<li>cell:" not in body


def test_an_unreadable_answer_names_its_field_and_counts_nothing(
    multistep: Question, student: User, student_client: Client
) -> None:
    seed = current_seed(student, multistep)
    response = student_client.post(
        f"/questions/{multistep.slug}/answer",
        {"part-gate": "", "part-cell": "2", "part-w": "1 2", "seed": seed},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert 'data-field="part-gate">The gate f_t: Enter a number.</li>' in body
    assert "This did not count as an attempt." in body
    assert not QuizAttempt.objects.filter(user=student).exists()


def test_the_live_region_holds_a_short_verdict(
    multistep: Question, student: User, student_client: Client
) -> None:
    seed = current_seed(student, multistep)
    response = student_client.post(
        f"/questions/{multistep.slug}/answer",
        {"part-gate": "0.5", "part-cell": "3", "part-w": "1 2", "seed": seed},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    live = re.findall(r'role="status"[^>]*>(.*?)</div>', body, re.S)
    assert [re.sub(r"\s+", " ", text).strip() for text in live] == [
        "<strong> ✗ Not yet: 2 of 3 parts right. </strong>"
    ]


def test_the_course_item_tie_errors_and_refill_the_form(
    multistep: Question, student: User, student_client: Client
) -> None:
    course = CourseFactory(code="dl")
    MembershipFactory(course=course, user=student)
    assignment = AssignmentFactory(course=course, slug="week", published=True)
    item = AssignmentItemFactory(assignment=assignment, question=multistep)
    url = f"/courses/dl/assignments/week/items/{item.pk}/"
    page = student_client.get(url).content.decode()
    form = page[page.index('id="answer-form"') :]
    buttons = re.findall(
        r"<button[^>]*>([^<]*)</button>", form[: form.index("</form>")]
    )
    assert buttons == ["Submit this attempt", "Check the form (free)"]
    seed = next_seed(assignment=assignment, item=item, user=student)
    posted = {"part-gate": "0.5", "part-cell": "two", "part-w": "1 2", "seed": seed}
    response = student_client.post(
        url + "answer", posted, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert 'data-field="part-cell">The cell state: ' in body
    assert 'value="two"' in _attributes(body, "input", "part-cell")
    assert 'value="0.5"' in _attributes(body, "input", "part-gate")
    check = student_client.post(url + "check", posted).content.decode()
    assert 'data-field="part-cell">The cell state: ' in check


def test_answer_from_reads_what_the_form_posts(multistep: Question) -> None:
    """The names the errors point at are the names the form posts."""
    from django.test import RequestFactory

    request = RequestFactory().post("/", {"part-gate": "1", "part-w": "3 4"})
    answer = answer_from(request, multistep)
    assert answer["parts"]["gate"] == {"value": "1"}
    assert answer["parts"]["w"] == {"value": "3 4"}
