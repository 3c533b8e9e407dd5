"""Every well-formed answer to a symbolic question is decided: right or wrong.

For each symbolic question of the bank, its key is right, expressions sympy
rewrites it into (expanded, factored, terms reordered, padded with a term
that cancels) are right, and each of its listed typical wrong answers is
wrong, never "could not be checked": an answer that cannot be checked is never
marked wrong, never shows its explanation and never enters review.
"""

from __future__ import annotations

from typing import Any

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercises.bank import course_read
from exercises.checkers.expressions import ExpressionError, parse
from exercises.checkers.symbolic import check_symbolic


def _questions() -> list[dict[str, Any]]:
    return [
        question
        for topic in course_read().topics
        for question in topic.data.get("questions", [])
        if question.get("kind") == "symbolic"
    ]


QUESTIONS = {question["slug"]: question for question in _questions()}
pytestmark = pytest.mark.usefixtures("unhurried_symbolic")


def _spec(question: dict[str, Any]) -> dict[str, Any]:
    return {"variables": question["variables"], "answer": question["answer"]}


def _decided(question: dict[str, Any], expression: str) -> bool:
    result = check_symbolic(_spec(question), {"expression": expression})
    assert result.readable, f"{expression!r} was not decided: {result.message}"
    return result.correct


def test_the_bank_has_symbolic_questions_with_wrong_answers() -> None:
    assert len(QUESTIONS) >= 10
    assert all(question.get("wrong") for question in QUESTIONS.values())


@pytest.mark.parametrize("slug", sorted(QUESTIONS))
def test_the_key_is_right_and_every_listed_wrong_answer_is_wrong(slug: str) -> None:
    question = QUESTIONS[slug]
    assert _decided(question, question["answer"])
    for wrong in question.get("wrong", []):
        assert not _decided(question, wrong), f"{slug}: {wrong!r} was accepted"


def _plain(expression: sympy.Expr) -> str:
    """sympy's own spelling, in the syntax students type."""
    return str(expression).replace("Abs(", "abs(").replace("E", "e")


REWRITES = {
    "expanded": lambda key, var: _plain(sympy.expand(key)),
    "factored": lambda key, var: _plain(sympy.factor(key)),
    "sympy's order": lambda key, var: _plain(key),
    "padded": lambda key, var: f"({_plain(key)}) + {var} - {var}",
    "scaled": lambda key, var: f"2*({_plain(key)})/2",
    "times one": lambda key, var: f"({_plain(key)})*({var}^2 + 1)/(1 + {var}^2)",
}


@pytest.mark.parametrize("slug", sorted(QUESTIONS))
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_rewritten_keys_are_right(slug: str, data: st.DataObject) -> None:
    question = QUESTIONS[slug]
    key = parse(question["answer"], question["variables"]).expression
    how = data.draw(st.sampled_from(sorted(REWRITES)), label="rewrite")
    variable = data.draw(st.sampled_from(question["variables"]), label="variable")
    rewritten = REWRITES[how](key, variable)
    try:
        parse(rewritten, question["variables"])
    except ExpressionError:
        pytest.skip(f"sympy spells {how} as something students cannot type")
    assert _decided(question, rewritten), f"{slug}: {how} {rewritten!r} refused"
