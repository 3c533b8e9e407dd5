"""Authoring refuses what cannot be shown, on the field at fault and all at
once; new questions and exercises start as drafts; saving an own exercise
as the browser posts it (CRLF) changes nothing."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from exercises.authoring_checks import formula_problem, text_problems
from exercises.bank_checks import answer_words
from exercises.models import AuditEntry, CodingExercise, Question, Topic
from tests.exercises.admin_forms import admin_client, errors_of, form_data
from tests.exercises.own_exercises import topic, validated
from tests.factories import QuestionFactory, TopicFactory

pytestmark = pytest.mark.django_db
__all__ = ["admin_client", "topic", "validated"]  # fixtures

ADD = "/admin/exercises/question/add/"


def new_question(topic: Topic, **overrides: str) -> dict[str, str]:
    data = {
        "topic": str(topic.pk),
        "kind": "numeric",
        "slug": "half-of-eight",
        "order": "0",
        "title": "Half of eight",
        "prompt": "What is half of $8$?",
        "explanation": "$8 / 2 = 4$.",
        "hints": "Divide by two.",
        "difficulty": "1",
        "tags": "arithmetic",
        "answer": "4",
        "wrong": "8\r\n16",
        "mode": "order",
        "options-TOTAL_FORMS": "0",
        "options-INITIAL_FORMS": "0",
        "parts-TOTAL_FORMS": "0",
        "parts-INITIAL_FORMS": "0",
        "spec": "{}",
        "shuffle": "on",
    }
    return {**data, **overrides}


def field_errors(page: Any, field: str) -> str:
    """The error text shown in one field's row of the admin form."""
    text = page.content.decode()
    row = re.search(
        rf'<div class="form-row[^"]*errors[^"]*field-{field}\b.*?</ul>', text, re.S
    ) or re.search(rf'<div class="[^"]*field-{field}\b[^"]*">.*?</ul>', text, re.S)
    assert row, f"no error row for {field}"
    return html.unescape(re.sub(r"<[^>]+>", " ", row.group(0)))


def test_it_names_what_keeps_a_formula_from_rendering() -> None:
    assert formula_problem(r"\frac{1") == "a `{` is never closed"
    assert formula_problem(r"x^{2") == "a `{` is never closed"
    assert formula_problem(r"x}") == "a `}` closes no `{`"
    assert "numerator and a denominator" in str(formula_problem(r"\frac{1}"))
    assert "LaTeX cannot read it" in str(formula_problem(r"\left( x"))
    for fine in (r"\frac{1}{2}", r"x^{2}", r"\{a, b\}", r"\left( x \right)"):
        assert formula_problem(fine) is None, fine


def test_it_finds_placeholders_the_generator_does_not_give() -> None:
    assert text_problems("IoU of {{ box_a }}", {"box_a": [0, 0, 1, 1]}) == []
    [problem] = text_problems("{{ missing }} and {{ box_a }}", {"box_a": 1})
    assert problem == (
        "placeholder `{{ missing }}` is not a value the generator gives "
        "(it gives `box_a`)"
    )
    [problem] = text_problems("Take {{ n }}.", {})
    assert "it has no generator" in problem


def test_a_wrong_answer_reads_as_words() -> None:
    assert answer_words("numeric", {}, {"value": "3.0"}) == "`3.0`"
    assert answer_words("symbolic", {}, {"expression": "2*C"}) == "`2*C`"
    assert answer_words("single", {}, {"choice": "1"}) == "option 2"
    items = {"items": ["conv", "pool"]}
    assert answer_words("ordering", items, {"order": ["1", "0"]}) == (
        "the order “pool”, “conv”"
    )


def test_every_broken_text_is_an_error_on_its_field_at_once(
    admin_client: Client,
) -> None:
    topic = TopicFactory()
    data = new_question(
        topic,
        prompt=r"What is $\frac{1$ of {{ missing }}?",
        explanation="So $x^{2$ it is.",
        hints="Divide by two.\r\nNot $\\frac{1}$.",
        wrong="4.0\r\n16",  # the first is the right answer
    )
    page = admin_client.post(ADD, data)
    assert page.status_code == 200
    prompt = field_errors(page, "prompt")
    assert (
        "The prompt's formula `\\frac{1` does not render: a `{` is never closed."
        in prompt
    )
    assert "The prompt's placeholder `{{ missing }}` is not a value" in prompt
    assert "The explanation's formula `x^{2` does not render" in field_errors(
        page, "explanation"
    )
    assert "Hint 2's formula `\\frac{1}` does not render" in field_errors(page, "hints")
    # The answers are checked in the same save, and the mistake reads as words.
    assert "a wrong answer passes as correct: `4.0`" in errors_of(page)
    assert "{'value'" not in page.content.decode()
    assert not Question.objects.exists()


def test_the_preview_does_not_say_a_broken_question_renders(
    admin_client: Client,
) -> None:
    question = QuestionFactory(
        prompt=r"What is $\frac{1$?", spec={"answer": 1, "wrong": ["2"]}
    )
    page = admin_client.get(f"/admin/exercises/question/{question.pk}/preview/")
    text = html.unescape(page.content.decode())
    assert "It renders" not in text
    assert "formula `\\frac{1` does not render: a `{` is never closed" in text


def test_a_new_question_starts_as_a_draft(admin_client: Client) -> None:
    assert Question().is_published is False
    assert CodingExercise().is_published is False
    topic = TopicFactory()
    add_page = form_data(admin_client.get(ADD))
    assert "is_published" not in add_page  # the box is not ticked
    response = admin_client.post(ADD, new_question(topic))
    assert response.status_code == 302, errors_of(response)
    assert Question.objects.get(slug="half-of-eight").is_published is False


def test_a_no_op_save_of_an_own_exercise_changes_nothing(
    admin_client: Client,
    validated: CodingExercise,
    django_capture_on_commit_callbacks: Any,
) -> None:
    validated.is_published = True
    validated.save()
    stored = CodingExercise.objects.values().get(pk=validated.pk)
    url = f"/admin/exercises/codingexercise/{validated.pk}/change/"
    data = form_data(admin_client.get(url), "codingexercise_form")
    assert "\r\n" in data["reference_solution"][0]  # as a browser posts it
    entries = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as pending:
        response = admin_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    assert pending == []  # no validation queued
    after = CodingExercise.objects.values().get(pk=validated.pk)
    changed = {key for key in stored if stored[key] != after[key]}
    assert changed <= {"updated_at"}
    assert after["is_published"] is True
    assert AuditEntry.objects.count() == entries
